// The twin of slot_two_names.fail.cpp: lambda numbered after the slots of k1 * exp(-k2).
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto [k1, k2] = tl::variables<"k1", "k2">();
    auto rate = k1 * exp(-k2);
    auto [lambda] = tl::variables_after<decltype(rate), "lambda">();
    auto f = rate + square(lambda);
    return static_cast<int>(tl::gradient(f, std::array{2.0, 0.5, 3.0})[0]);
}
