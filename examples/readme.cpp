#include <tapeless/tapeless.hpp>
#include <array>
#include <cstdio>
namespace tl = tapeless;
using namespace tl::literals;

int main() {
    auto [x, z] = tl::variables<"x", "z">();
    auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);   // x * z is one shared node
    std::printf("%s = %g\n", tl::to_string(f).c_str(), tl::value(f, std::array{2.0, 3.0}));

    auto w = tl::variable<0, tl::vector<100>, "w">;                  // static shapes
    auto rosenbrock = sum(100_c * square(slice<1, 99>(w) - square(slice<0, 99>(w)))
                          + square(1_c - slice<0, 99>(w)));        // 2_c, 0.5_c: exact literals
    std::array<double, 100> w0{};
    std::printf("%g\n", tl::value(rosenbrock, w0));
}
