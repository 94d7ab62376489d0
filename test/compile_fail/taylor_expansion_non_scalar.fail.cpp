// expect: taylor_expansion<K>\(f, p\): f must be scalar-valued
// The Taylor polynomial of a vector-valued expression: expand each output on its own.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto w = tl::variable<0, tl::vector<2>, "w">;
    auto t = tl::taylor_expansion<2>(exp(w), std::array{1.0, 2.0});
    (void)t;
}
