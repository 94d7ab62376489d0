// expect: atan2_partial<M, N> is a partial derivative of atan2, M \+ N >= 1
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto [a, b] = tl::variables<"a", "b">();
    auto f = tl::call_op<tl::op::atan2_partial<0, 0>>(a, b);
    (void)f;
}
