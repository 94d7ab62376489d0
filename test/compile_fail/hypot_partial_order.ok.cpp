// The twin of hypot_partial_order.fail.cpp: a second partial is a member of the family.
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto [a, b] = tl::variables<"a", "b">();
    auto f = tl::call_op<tl::op::hypot_partial<1, 1>>(a, b);
    (void)f;
}
