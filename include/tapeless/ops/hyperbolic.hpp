// tapeless/ops/hyperbolic.hpp — sinh, cosh, tanh.
#ifndef TAPELESS_OPS_HYPERBOLIC_HPP
#define TAPELESS_OPS_HYPERBOLIC_HPP

#include "arithmetic.hpp"

namespace tapeless {
namespace op {

struct cosh;

// sinh x. Domain: all reals (±inf beyond ~710). d/dx sinh x = cosh x.
struct sinh : unary_elementwise {
    static constexpr std::string_view name = "sinh", domain = "all real x";
    template <class T>
    static constexpr T value(const T& x) { using std::sinh; return sinh(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) { return call_op<cosh>(x); }
};

// cosh x. Domain: all reals. d/dx cosh x = sinh x.
struct cosh : unary_elementwise {
    static constexpr std::string_view name = "cosh", domain = "all real x";
    template <class T>
    static constexpr T value(const T& x) { using std::cosh; return cosh(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) { return call_op<sinh>(x); }
};

// tanh x. Domain: all reals (saturates to ±1). d/dx tanh x = 1 − tanh² x = 1 − y².
struct tanh : unary_elementwise {
    static constexpr std::string_view name = "tanh", domain = "all real x";
    template <class T>
    static constexpr T value(const T& x) { using std::tanh; return tanh(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X&, const Y& y) { return num<1>(y) - y * y; }
};

} // namespace op

template <class X>
constexpr auto sinh(const X& x) { return call_op<op::sinh>(x); }
template <class X>
constexpr auto cosh(const X& x) { return call_op<op::cosh>(x); }
template <class X>
constexpr auto tanh(const X& x) { return call_op<op::tanh>(x); }

} // namespace tapeless

#endif
