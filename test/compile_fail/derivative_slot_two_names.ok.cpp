// The twin of derivative_slot_two_names.fail.cpp: lambda on the slot after f's.
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto [k1, k2] = tl::variables<"k1", "k2">();
    auto [lambda] = tl::variables_after<decltype(k1 * k2), "lambda">();
    auto d = tl::derivative(k1 * k2, lambda);
    (void)d;
}
