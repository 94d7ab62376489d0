// expect: shape mismatch: the operands of an elementwise operation must have the same shape
// Adding a vector<3> to a vector<4> is a compile error naming both shapes.
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto a = tl::variable<0, tl::vector<3>, "a">;
    auto b = tl::variable<1, tl::vector<4>, "b">;
    auto f = a + b;
    (void)f;
}
