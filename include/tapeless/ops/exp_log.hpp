// tapeless/ops/exp_log.hpp — exp, log, log1p, expm1.
#ifndef TAPELESS_OPS_EXP_LOG_HPP
#define TAPELESS_OPS_EXP_LOG_HPP

#include "arithmetic.hpp"

namespace tapeless {
namespace op {

// exp x. Domain: all reals (overflows to +inf above ~709.78). d/dx exp x = exp x = y.
struct exp : unary_elementwise {
    static constexpr std::string_view name = "exp", domain = "all real x";
    template <class T>
    static constexpr T value(const T& x) { using std::exp; return exp(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X&, const Y& y) { return y; }
};

// log x (natural). Domain: x > 0; log 0 = −inf with derivative +inf, NaN for x < 0.
// d/dx log x = 1/x.
struct log : unary_elementwise {
    static constexpr std::string_view name = "log", domain = "x > 0";
    template <class T>
    static constexpr T value(const T& x) { using std::log; return log(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) { return num<1>(x) / x; }
};

// log(1 + x), accurate near 0. Domain: x > −1. d/dx = 1/(1 + x).
struct log1p : unary_elementwise {
    static constexpr std::string_view name = "log1p", domain = "x > -1";
    template <class T>
    static constexpr T value(const T& x) { using std::log1p; return log1p(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) { return num<1>(x) / (num<1>(x) + x); }
};

// exp x − 1, accurate near 0. Domain: all reals. d/dx = exp x = y + 1.
struct expm1 : unary_elementwise {
    static constexpr std::string_view name = "expm1", domain = "all real x";
    template <class T>
    static constexpr T value(const T& x) { using std::expm1; return expm1(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X&, const Y& y) { return y + num<1>(y); }
};

} // namespace op

template <class X>
constexpr auto exp(const X& x) { return call_op<op::exp>(x); }
template <class X>
constexpr auto log(const X& x) { return call_op<op::log>(x); }
template <class X>
constexpr auto log1p(const X& x) { return call_op<op::log1p>(x); }
template <class X>
constexpr auto expm1(const X& x) { return call_op<op::expm1>(x); }

} // namespace tapeless

#endif
