// expect: input slot Slot is read both as a variable \(Variable\) and as data \(Data\)
// x (a variable) and c (data) both read slot 1.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto [w, x] = tl::variables<"w", "x">();
    auto c = tl::data<1, tl::scalar, "c">;
    return static_cast<int>(tl::gradient(w * x + c, std::array{1.0, 2.0})[0]);
}
