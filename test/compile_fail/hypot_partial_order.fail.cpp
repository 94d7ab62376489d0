// expect: hypot_partial<M, N> is a first or second partial derivative of hypot, 1 <= M \+ N <= 2
// A third partial of hypot is a product of the first two orders (ops/hypot.hpp), not a member.
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto [a, b] = tl::variables<"a", "b">();
    auto f = tl::call_op<tl::op::hypot_partial<2, 1>>(a, b);
    (void)f;
}
