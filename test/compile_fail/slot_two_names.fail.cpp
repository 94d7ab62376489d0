// expect: input slot Slot is read as two different variables, First and Second
// Two helpers each create their variables with tl::variables<...>(), so k1 and lambda both take
// slot 0: an error naming the slot and both names (check_one_name_per_slot<0, "k1", "lambda">).
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto [k1, k2] = tl::variables<"k1", "k2">();
    auto [lambda] = tl::variables<"lambda">();
    auto f = k1 * exp(-k2) + square(lambda);
    return static_cast<int>(tl::gradient(f, std::array{2.0, 0.5, 3.0})[0]);
}
