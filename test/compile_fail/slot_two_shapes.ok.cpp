// The twin of slot_two_shapes.fail.cpp: s has a slot of its own.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto w = tl::variable<0, tl::vector<2>, "w">;
    auto s = tl::variable<1, tl::scalar, "s">;
    return static_cast<int>(tl::value(sum(w) * s, std::array{1.0, 2.0}, 3.0));
}
