// expect: has no symbolic derivative
// The symbolic derivative through softmax, which has no forward rule: a sentence, not a deep error.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto [x] = tl::variables<"x">();
    auto f = sum(softmax(x * std::array{1.0, 2.0, 3.0}));
    auto d = tl::derivative(f, x);
    (void)d;
}
