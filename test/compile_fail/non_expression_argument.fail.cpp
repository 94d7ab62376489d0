// expect: the argument of this operation must be a tapeless expression, an arithmetic value
#include <string>
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto f = tl::sin(std::string("x"));
    (void)f;
}
