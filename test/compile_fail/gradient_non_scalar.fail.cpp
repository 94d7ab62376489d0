// expect: f must be scalar-valued
// The gradient of a vector-valued expression: use tl::vjp or tl::jacobian instead.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto w = tl::variable<0, tl::vector<3>, "w">;
    auto g = tl::gradient(softmax(w), std::array{1.0, 2.0, 3.0});
    (void)g;
}
