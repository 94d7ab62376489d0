// A project that uses an installed tapeless through find_package(tapeless CONFIG).
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstdio>

static_assert(__cplusplus >= 202002L, "tapeless::tapeless must request C++20");

int main() {
    namespace tl = tapeless;
    auto [x, z] = tl::variables<"x", "z">();
    auto f = exp(x * z) + x * z / log(x);
    const double v = tl::value(f, std::array{2.0, 3.0});
    const double expected = std::exp(6.0) + 6.0 / std::log(2.0);
    if (v != expected) {
        std::printf("tapeless consumer: wrong value %.17g, expected %.17g\n", v, expected);
        return 1;
    }
    std::printf("tapeless consumer: ok (%s = %.17g)\n", tl::to_string(f).c_str(), v);
    return 0;
}
