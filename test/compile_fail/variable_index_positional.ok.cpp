// The twin of variable_index_positional.fail.cpp: one input per slot.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto w = tl::variable<0, tl::vector<2>, "w">;
    auto s = tl::variable<1, tl::scalar, "s">;
    auto f = sum(w) * s;
    return static_cast<int>(tl::value(f, std::array{1.0, 2.0}, 3.0));
}
