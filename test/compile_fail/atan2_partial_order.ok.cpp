// The twin of atan2_partial_order.fail.cpp: any order M + N >= 1 is a member of the family.
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto [a, b] = tl::variables<"a", "b">();
    auto f = tl::call_op<tl::op::atan2_partial<0, 3>>(a, b);
    (void)f;
}
