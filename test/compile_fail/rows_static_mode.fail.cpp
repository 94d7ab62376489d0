// expect: this mode does not take expressions with run-time rows
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto x = tl::variable<0, tl::vector<tl::dynamic>, "x">;
    auto f = tl::sum(exp(x));
    const auto c = tl::taylor_coefficients<3>(f, std::array<double, 2>{1.0, 2.0},
                                              std::array<double, 2>{1.0, 0.0});
    (void)c;
}
