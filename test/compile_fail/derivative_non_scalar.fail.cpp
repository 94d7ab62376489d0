// expect: derivative\(f, x\): f must be scalar-valued
// The symbolic derivative of a vector-valued expression.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto [x] = tl::variables<"x">();
    auto d = tl::derivative(sin(x * std::array{1.0, 2.0, 3.0}), x);
    (void)d;
}
