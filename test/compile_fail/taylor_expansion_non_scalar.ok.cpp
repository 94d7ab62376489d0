// The twin of taylor_expansion_non_scalar.fail.cpp: a scalar of the same vector expression.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto w = tl::variable<0, tl::vector<2>, "w">;
    auto t = tl::taylor_expansion<2>(sum(exp(w)), std::array{1.0, 2.0});
    (void)t;
}
