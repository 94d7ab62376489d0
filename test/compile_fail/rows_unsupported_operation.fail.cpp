// expect: this operation does not take operands with run-time rows
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto x = tl::variable<0, tl::vector<tl::dynamic>, "x">;
    auto f = tl::softmax(x);
    (void)f;
}
