// expect: input slot Slot is read by variables of two different shapes
// w (a vector<2>) and s (a scalar) both read slot 0.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto w = tl::variable<0, tl::vector<2>, "w">;
    auto s = tl::variable<0, tl::scalar, "s">;
    return static_cast<int>(tl::value(sum(w) * s, std::array{1.0, 2.0}));
}
