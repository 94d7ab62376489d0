// The twin of rows_static_mode.fail.cpp: the gradient of the same expression compiles.
#include <tapeless/tapeless.hpp>

#include <vector>
namespace tl = tapeless;

int main() {
    auto x = tl::variable<0, tl::vector<tl::dynamic>, "x">;
    auto f = tl::sum(exp(x));
    const auto g = tl::gradient(f, std::vector<double>{1.0, 2.0});
    (void)g;
}
