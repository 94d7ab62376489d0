// The twin of shape_mismatch.fail.cpp: same shapes, or a scalar broadcast, compile.
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto a = tl::variable<0, tl::vector<3>, "a">;
    auto b = tl::variable<1, tl::vector<3>, "b">;
    auto s = tl::variable<2, tl::scalar, "s">;
    auto f = a + b * s;
    (void)f;
}
