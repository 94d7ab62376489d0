// expect: an operand of this operation is neither a tapeless expression nor an arithmetic value
// An operand that is not a number (a string) next to an expression.
#include <tapeless/tapeless.hpp>

#include <string>
namespace tl = tapeless;

int main() {
    auto [x] = tl::variables<"x">();
    auto f = x + std::string("1");
    (void)f;
}
