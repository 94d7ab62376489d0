// The twin of non_expression_argument.fail.cpp: sin of an expression and of a number.
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto [x] = tl::variables<"x">();
    auto f = tl::sin(x);
    double v = tl::sin(0.5);
    (void)f;
    (void)v;
}
