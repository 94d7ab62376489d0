// The twin of derivative_not_variable.fail.cpp: the derivative with respect to a variable.
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto [x, z] = tl::variables<"x", "z">();
    auto d = tl::derivative(sin(x * z), x);
    (void)d;
}
