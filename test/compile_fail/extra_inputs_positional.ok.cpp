// The twin of extra_inputs_positional.fail.cpp: one argument per slot.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto w = tl::variable<0, tl::vector<2>, "w">;
    auto s = tl::variable<1, tl::scalar, "s">;
    return static_cast<int>(std::get<1>(tl::gradient(sum(w) * s, std::array{1.0, 2.0}, 3.0)));
}
