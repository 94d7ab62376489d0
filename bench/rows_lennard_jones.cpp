// bench/rows_lennard_jones.cpp — lennard_jones_atoms<N>: the energy Σ 4 (r⁻¹² − r⁻⁶) and its
// gradient (minus the forces) over a pair list within 2.5σ found at run time: /handwritten (one
// loop over the pairs), /tapeless (tl::gather over the pair list, tl::gradient_into)
// (docs/benchmarks.md, Run-time rows; how to run: bench/rows_common.hpp).
#include "rows_common.hpp"

namespace tl = tapeless;
using namespace tl::literals;
namespace tb = tapeless_bench;
using namespace tapeless_bench::rows;

namespace {

// ---- Lennard-Jones over a run-time pair list ----------------------------------------------------

struct atoms {
    std::vector<double> x, y, z;
    std::vector<std::uint32_t> i, j; // pairs within the cutoff
};

// n atoms on a jittered cubic lattice of spacing 1.1σ; pairs closer than 2.5σ.
atoms make_atoms(std::size_t n) {
    atoms a;
    std::size_t side = 1;
    while (side * side * side < n) ++side;
    for (std::size_t k = 0; k < n; ++k) {
        const double jitter = 0.05 * std::sin(static_cast<double>(k) * 12.9898);
        a.x.push_back(1.1 * static_cast<double>(k % side) + jitter);
        a.y.push_back(1.1 * static_cast<double>((k / side) % side) - jitter);
        a.z.push_back(1.1 * static_cast<double>(k / (side * side)) + 0.5 * jitter);
    }
    for (std::uint32_t p = 0; p < n; ++p)
        for (std::uint32_t q = p + 1; q < n; ++q) {
            const double dx = a.x[p] - a.x[q], dy = a.y[p] - a.y[q], dz = a.z[p] - a.z[q];
            if (dx * dx + dy * dy + dz * dz < 2.5 * 2.5) {
                a.i.push_back(p);
                a.j.push_back(q);
            }
        }
    return a;
}

// The energy Σ 4 (r⁻¹² − r⁻⁶) over the pairs and its gradient (minus the forces), by hand.
[[gnu::noinline]] double lj_gradient(const atoms& a, const double* x, const double* y,
                                     const double* z, double* gx, double* gy, double* gz) {
    const std::size_t n = a.x.size();
    for (std::size_t k = 0; k < n; ++k) gx[k] = gy[k] = gz[k] = 0;
    double e = 0;
    for (std::size_t p = 0; p < a.i.size(); ++p) {
        const std::uint32_t i = a.i[p], j = a.j[p];
        const double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
        const double s = 1 / (dx * dx + dy * dy + dz * dz);
        const double s6 = s * s * s;
        e += 4 * (s6 * s6 - s6);
        // dE/d(r²) = 4 (−6 s⁷ + 3 s⁴)
        const double de = 4 * (-6 * s6 * s6 * s + 3 * s6 * s) * 2;
        gx[i] += de * dx;
        gx[j] -= de * dx;
        gy[i] += de * dy;
        gy[j] -= de * dy;
        gz[i] += de * dz;
        gz[j] -= de * dz;
    }
    return e;
}

auto lj_expression() {
    const auto x = tl::variable<0, tl::vector<tl::dynamic>, "x">;
    const auto y = tl::variable<1, tl::vector<tl::dynamic>, "y">;
    const auto z = tl::variable<2, tl::vector<tl::dynamic>, "z">;
    const auto i = tl::indices<3, "i">;
    const auto j = tl::indices<4, "j">;
    const auto dx = tl::gather(x, i) - tl::gather(x, j);
    const auto dy = tl::gather(y, i) - tl::gather(y, j);
    const auto dz = tl::gather(z, i) - tl::gather(z, j);
    const auto s = 1_c / (square(dx) + square(dy) + square(dz));
    const auto s6 = tl::pow<3>(s);
    return tl::sum(4_c * (square(s6) - s6));
}

void add_lennard_jones(std::size_t n) {
    const std::string row = "lennard_jones_atoms" + std::to_string(n);
    const auto a = std::make_shared<atoms>(make_atoms(n));
    const auto f = lj_expression();
    std::vector<double> hand(3 * n), tape(3 * n);
    lj_gradient(*a, a->x.data(), a->y.data(), a->z.data(), hand.data(), hand.data() + n,
                hand.data() + 2 * n);
    tl::gradient_into(tape, f, a->x, a->y, a->z, a->i, a->j);
    if (n <= 256) {
        std::vector<double> p(a->x);
        p.insert(p.end(), a->y.begin(), a->y.end());
        p.insert(p.end(), a->z.begin(), a->z.end());
        std::vector<double> g(3 * n);
        const auto energy = [&](const std::vector<double>& q) {
            return lj_gradient(*a, q.data(), q.data() + n, q.data() + 2 * n, g.data(), g.data() + n,
                               g.data() + 2 * n);
        };
        expect_close(row + ": hand-written against differences", hand,
                     central_differences(energy, p), 1e-6);
    }
    expect_close(row + ": tapeless against hand-written", tape, hand, 1e-12);
    add(row, "handwritten", [a] {
        thread_local std::vector<double> g;
        g.resize(3 * a->x.size());
        benchmark::DoNotOptimize(a->x.data());
        const std::size_t m = a->x.size();
        return lj_gradient(*a, a->x.data(), a->y.data(), a->z.data(), g.data(), g.data() + m,
                           g.data() + 2 * m);
    });
    add(row, "tapeless", [a, f] {
        thread_local std::vector<double> g;
        g.resize(3 * a->x.size());
        benchmark::DoNotOptimize(a->x.data());
        return tl::gradient_into(g, f, a->x, a->y, a->z, a->i, a->j);
    });
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    tb::add_common_context();
    add_lennard_jones(256);
    add_lennard_jones(4096);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}
