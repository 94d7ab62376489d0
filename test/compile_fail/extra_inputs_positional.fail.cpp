// expect: more inputs than input slots: Given inputs were passed but the expression reads Read input slots
// One argument per slot: the vector<2> w and the scalar s read slots 0 and 1; a third is passed.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto w = tl::variable<0, tl::vector<2>, "w">;
    auto s = tl::variable<1, tl::scalar, "s">;
    return static_cast<int>(std::get<1>(tl::gradient(sum(w) * s, std::array{1.0, 2.0}, 3.0, 4.0)));
}
