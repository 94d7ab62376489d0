// The twin of non_expression.fail.cpp: an expression as f.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto [x, y] = tl::variables<"x", "y">();
    const auto f = x * y;
    return static_cast<int>(tl::value(f, std::array{1.0, 2.0}));
}
