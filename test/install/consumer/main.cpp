// A project that uses an installed tapeless through find_package(tapeless CONFIG).
#include <tapeless/tapeless.hpp>
#ifdef TAPELESS_CONSUMER_NN
#include <tapeless/nn.hpp>
#endif

#include <array>
#include <cmath>
#include <cstdio>

static_assert(__cplusplus >= 202002L, "tapeless::tapeless must request C++20");

int main([[maybe_unused]] int argc, [[maybe_unused]] char** argv) {
    namespace tl = tapeless;
    auto [x, z] = tl::variables<"x", "z">();
    auto f = exp(x * z) + x * z / log(x);
    const double v = tl::value(f, std::array{2.0, 3.0});
    const double expected = std::exp(6.0) + 6.0 / std::log(2.0);
    if (v != expected) {
        std::printf("tapeless consumer: wrong value %.17g, expected %.17g\n", v, expected);
        return 1;
    }
#ifdef TAPELESS_CONSUMER_NN
    // tapeless::nn links zlib: reading this program as an IDX file is a data_error.
    try {
        (void)tl::nn::read_idx_labels(argv[0]);
        std::printf("tapeless consumer: reading a non-IDX file did not throw\n");
        return 1;
    } catch (const tl::nn::data_error& e) {
        std::printf("tapeless consumer: nn ok (%s)\n", e.what());
    }
#endif
    std::printf("tapeless consumer: ok (%s = %.17g)\n", tl::to_string(f).c_str(), v);
    return 0;
}
