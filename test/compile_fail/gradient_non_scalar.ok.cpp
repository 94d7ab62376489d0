// The twin of gradient_non_scalar.fail.cpp: a scalar of the same vector expression.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto w = tl::variable<0, tl::vector<3>, "w">;
    auto g = tl::gradient(sum(softmax(w) * w), std::array{1.0, 2.0, 3.0});
    (void)g;
}
