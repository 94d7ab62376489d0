// examples/taylor_error.cpp — how well the Taylor polynomial T_K of degree K approximates f near p.
//
// For the running example f(x, z) = e^{xz} + xz/ln x + sin(ln x)/(xz) at p = (2, 3) (README,
// Sources), it prints the error |f(p + δ) − T_K(p + δ)| for K = 1..5 and shrinking steps
// δ = r·(0.6, −0.8), then the observed order log2(error(r) / error(r/2)), which approaches K + 1:
// the error of T_K is O(|δ|^(K+1)). With an argument, it also writes the table as CSV to that file
// (for a plot). Exits with 1 if an observed order is off by more than 0.5 at the two largest steps.
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tl = tapeless;

int main(int argc, char** argv) {
    auto [x, z] = tl::variables<"x", "z">();
    auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    const std::array p{2.0, 3.0}, dir{0.6, -0.8};
    constexpr std::size_t steps = 6;
    constexpr std::array<double, steps> radius{0.2, 0.1, 0.05, 0.025, 0.0125, 0.00625};

    const auto t1 = tl::taylor_expansion<1>(f, p);
    const auto t2 = tl::taylor_expansion<2>(f, p);
    const auto t3 = tl::taylor_expansion<3>(f, p);
    const auto t4 = tl::taylor_expansion<4>(f, p);
    const auto t5 = tl::taylor_expansion<5>(f, p);

    std::array<std::array<double, steps>, 5> error{};
    for (std::size_t s = 0; s < steps; ++s) {
        const std::array q{p[0] + radius[s] * dir[0], p[1] + radius[s] * dir[1]};
        const double fq = tl::value(f, q);
        error[0][s] = std::fabs(fq - t1(q));
        error[1][s] = std::fabs(fq - t2(q));
        error[2][s] = std::fabs(fq - t3(q));
        error[3][s] = std::fabs(fq - t4(q));
        error[4][s] = std::fabs(fq - t5(q));
    }

    std::printf("f(x, z) = %s at p = (2, 3), delta = r (0.6, -0.8)\n\n", tl::to_string(f).c_str());
    std::printf("|f(p + delta) - T_K(p + delta)|\n%-9s", "|delta|");
    for (std::size_t k = 1; k <= 5; ++k) std::printf("  K = %zu      ", k);
    std::printf("\n");
    for (std::size_t s = 0; s < steps; ++s) {
        std::printf("%-9g", radius[s]);
        for (std::size_t k = 0; k < 5; ++k) std::printf("  %.3e", error[k][s]);
        std::printf("\n");
    }
    std::printf("\nobserved order log2(error(r) / error(r/2)), expected K + 1\n%-9s", "r");
    for (std::size_t k = 1; k <= 5; ++k) std::printf("  K+1 = %zu    ", k + 1);
    std::printf("\n");
    bool ok = true;
    for (std::size_t s = 0; s + 1 < steps; ++s) {
        std::printf("%-9g", radius[s]);
        for (std::size_t k = 0; k < 5; ++k) {
            const double order = std::log2(error[k][s] / error[k][s + 1]);
            std::printf("  %-11.2f", order);
            if (s < 2 && std::fabs(order - static_cast<double>(k + 2)) > 0.5) ok = false;
        }
        std::printf("\n");
    }

    if (argc > 1) {
        std::FILE* out = std::fopen(argv[1], "w");
        if (out == nullptr) {
            std::fprintf(stderr, "taylor_error: cannot write %s\n", argv[1]);
            return 1;
        }
        std::fprintf(out, "radius,K1,K2,K3,K4,K5\n");
        for (std::size_t s = 0; s < steps; ++s)
            std::fprintf(out, "%g,%.6e,%.6e,%.6e,%.6e,%.6e\n", radius[s], error[0][s], error[1][s],
                         error[2][s], error[3][s], error[4][s]);
        std::fclose(out);
    }
    if (!ok) {
        std::fprintf(stderr, "taylor_error: an observed order is off by more than 0.5\n");
        return 1;
    }
    return 0;
}
