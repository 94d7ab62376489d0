// expect: input slot Slot is read as two different variables, First and Second
// tl::derivative(f, lambda) with lambda on slot 0, which f reads as k1.
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto [k1, k2] = tl::variables<"k1", "k2">();
    auto [lambda] = tl::variables<"lambda">();
    auto d = tl::derivative(k1 * k2, lambda);
    (void)d;
}
