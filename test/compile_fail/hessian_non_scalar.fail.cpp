// expect: tapeless::hessian / tapeless::hvp: f must be scalar-valued
// The Hessian of a vector-valued expression (a third-order tensor) is not provided.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto w = tl::variable<0, tl::vector<3>, "w">;
    auto H = tl::hessian(softmax(w), std::array{1.0, 2.0, 3.0});
    (void)H;
}
