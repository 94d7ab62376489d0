// The twin of derivative_array_operation.fail.cpp: the same function through sum and exp, which
// have symbolic derivatives.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto [x] = tl::variables<"x">();
    auto f = sum(exp(x * std::array{1.0, 2.0, 3.0}));
    auto d = tl::derivative(f, x);
    (void)d;
}
