// The twin of non_expression_operand.fail.cpp: a number next to an expression.
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto [x] = tl::variables<"x">();
    auto f = x + 1.0;
    (void)f;
}
