// expect: x must be a variable
// The derivative with respect to an expression that is not a variable.
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto [x, z] = tl::variables<"x", "z">();
    auto d = tl::derivative(sin(x * z), x * z);
    (void)d;
}
