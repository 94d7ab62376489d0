// expect: the argument of this operation must be a tapeless expression, an arithmetic value
#include <tapeless/tapeless.hpp>

#include <string>
namespace tl = tapeless;

int main() {
    auto f = tl::sin(std::string("x"));
    (void)f;
}
