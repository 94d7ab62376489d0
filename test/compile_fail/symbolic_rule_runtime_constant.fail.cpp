// expect: a derivative rule of this operation creates a runtime constant
// A user operation whose derivative rule makes a runtime constant (std::log(2.0) * y): reverse and
// forward mode take it, a symbolic derivative cannot (its twin writes the constant as a literal).
#include <tapeless/tapeless.hpp>

#include <cmath>
#include <string_view>

namespace tl = tapeless;

namespace user {
struct exp2_op : tl::unary_elementwise {
    static constexpr std::string_view name = "exp2", domain = "all real x";
    template <class T>
    static constexpr T value(const T& x) {
        using std::exp2;
        return exp2(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X&, const Y& y) {
        return std::log(2.0) * y;
    }
};
} // namespace user

int main() {
    auto [x] = tl::variables<"x">();
    auto f = tl::call_op<user::exp2_op>(x * x);
    auto d = tl::derivative(f, x);
    (void)d;
}
