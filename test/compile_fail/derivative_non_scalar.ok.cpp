// The twin of derivative_non_scalar.fail.cpp: the sum of the same vector expression.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto [x] = tl::variables<"x">();
    auto d = tl::derivative(sum(sin(x * std::array{1.0, 2.0, 3.0})), x);
    (void)d;
}
