// The twin of slot_variable_and_data.fail.cpp: the data has a slot of its own.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto [w, x] = tl::variables<"w", "x">();
    auto c = tl::data<2, tl::scalar, "c">;
    return static_cast<int>(tl::gradient(w * x + c, std::array{1.0, 2.0, 3.0})[0]);
}
