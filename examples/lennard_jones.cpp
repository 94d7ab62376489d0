// examples/lennard_jones.cpp — the Lennard-Jones energy of a few hundred atoms over a pair list
// built at run time, its forces, and a relaxation.
//
// The coordinates are three variables of shape vector<tl::dynamic> (one per axis), the pair list
// two tl::indices: tl::gather reads the atoms of each pair, and the energy
//     E = Σ_pairs 4 (r⁻¹² − r⁻⁶)          (σ = ε = 1, pairs closer than the cutoff 2.5)
// is one expression, whatever the number of atoms or pairs. tl::gradient_into writes −forces into
// a buffer the program owns (its adjoint of a gather adds into the atoms of each pair: a
// scatter-add). The program checks a few force components against central differences, then
// relaxes a jittered lattice of 343 atoms by steepest descent with a backtracking step (the pair
// list rebuilt every ten steps: its length changes, the expression does not), printing the energy
// and the largest force; it exits with 1 if a force is wrong or the energy does not fall.
#include <tapeless/tapeless.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace tl = tapeless;
using namespace tl::literals;

namespace {

struct atoms {
    std::vector<double> x, y, z;
    std::vector<std::uint32_t> i, j; // the pairs closer than the cutoff
};

// The pairs of atoms closer than the cutoff (rebuilt when the atoms have moved).
void build_pairs(atoms& s, double cutoff) {
    s.i.clear();
    s.j.clear();
    const auto n = static_cast<std::uint32_t>(s.x.size());
    for (std::uint32_t p = 0; p < n; ++p)
        for (std::uint32_t q = p + 1; q < n; ++q) {
            const double dx = s.x[p] - s.x[q], dy = s.y[p] - s.y[q], dz = s.z[p] - s.z[q];
            if (dx * dx + dy * dy + dz * dz < cutoff * cutoff) {
                s.i.push_back(p);
                s.j.push_back(q);
            }
        }
}

} // namespace

int main() {
    const auto x = tl::variable<0, tl::vector<tl::dynamic>, "x">;
    const auto y = tl::variable<1, tl::vector<tl::dynamic>, "y">;
    const auto z = tl::variable<2, tl::vector<tl::dynamic>, "z">;
    const auto i = tl::indices<3, "i">;
    const auto j = tl::indices<4, "j">;
    const auto dx = tl::gather(x, i) - tl::gather(x, j);
    const auto dy = tl::gather(y, i) - tl::gather(y, j);
    const auto dz = tl::gather(z, i) - tl::gather(z, j);
    const auto inv_r2 = 1_c / (square(dx) + square(dy) + square(dz));
    const auto inv_r6 = tl::pow<3>(inv_r2);
    const auto energy = tl::sum(4_c * (square(inv_r6) - inv_r6));

    // 7 × 7 × 7 atoms on a lattice of spacing 1.2 (near the pair minimum 2^(1/6) ≈ 1.12), jittered
    atoms s;
    const std::size_t side = 7;
    for (std::size_t k = 0; k < side * side * side; ++k) {
        const auto jitter = [&](double phase) {
            return 0.06 * std::sin(static_cast<double>(k) * 12.9898 + phase);
        };
        const std::size_t column = k % side, row = (k / side) % side, layer = k / (side * side);
        s.x.push_back(1.2 * static_cast<double>(column) + jitter(0.0));
        s.y.push_back(1.2 * static_cast<double>(row) + jitter(1.0));
        s.z.push_back(1.2 * static_cast<double>(layer) + jitter(2.0));
    }
    const double cutoff = 2.5;
    build_pairs(s, cutoff);
    const std::size_t n = s.x.size();
    std::printf("%zu atoms, %zu pairs within %.1f\n", n, s.i.size(), cutoff);

    // the gradient (minus the forces): x components, then y, then z
    std::vector<double> grad(3 * n);
    double e = tl::gradient_into(grad, energy, s.x, s.y, s.z, s.i, s.j);

    // a few components against central differences (same pair list)
    bool ok = true;
    for (std::size_t k : {std::size_t{0}, n / 2, n - 1}) {
        std::vector<double> up = s.x, down = s.x;
        const double h = 1e-6;
        up[k] += h;
        down[k] -= h;
        const double diff = (tl::value(energy, up, s.y, s.z, s.i, s.j) -
                             tl::value(energy, down, s.y, s.z, s.i, s.j)) /
                            (2 * h);
        std::printf("dE/dx%zu: %.9f (central difference %.9f)\n", k, grad[k], diff);
        if (std::fabs(diff - grad[k]) > 1e-5 * (1 + std::fabs(diff))) ok = false;
    }

    // steepest descent with a backtracking step
    const double e0 = e;
    double step = 1e-3;
    std::vector<double> tx(n), ty(n), tz(n), trial(3 * n);
    std::printf("%5s %16s %12s\n", "step", "energy", "max |force|");
    for (int it = 0; it <= 40; ++it) {
        if (it > 0 && it % 10 == 0) { // atoms have moved: a new pair list, and E on it
            build_pairs(s, cutoff);
            e = tl::gradient_into(grad, energy, s.x, s.y, s.z, s.i, s.j);
        }
        double fmax = 0;
        for (double g : grad) fmax = std::max(fmax, std::fabs(g));
        if (it % 5 == 0) std::printf("%5d %16.8f %12.6f\n", it, e, fmax);
        for (;;) {
            for (std::size_t k = 0; k < n; ++k) {
                tx[k] = s.x[k] - step * grad[k];
                ty[k] = s.y[k] - step * grad[n + k];
                tz[k] = s.z[k] - step * grad[2 * n + k];
            }
            const double et = tl::gradient_into(trial, energy, tx, ty, tz, s.i, s.j);
            if (et < e || step < 1e-12) {
                s.x.swap(tx);
                s.y.swap(ty);
                s.z.swap(tz);
                grad.swap(trial);
                e = et;
                step *= 1.5;
                break;
            }
            step /= 2;
        }
    }
    std::printf("energy %.6f -> %.6f\n", e0, e);
    if (!(e < e0)) ok = false;
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
