// tapeless/ops/trig.hpp — sin, cos, tan, asin, acos, atan, atan2.
#ifndef TAPELESS_OPS_TRIG_HPP
#define TAPELESS_OPS_TRIG_HPP

#include "power.hpp"

namespace tapeless {
namespace op {

struct cos;

// sin x. Domain: all finite reals (NaN at ±inf). d/dx sin x = cos x.
struct sin : unary_elementwise {
    static constexpr std::string_view name = "sin", domain = "all real x";
    template <class T>
    static constexpr T value(const T& x) { using std::sin; return sin(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) { return call_op<cos>(x); }
};

// cos x. Domain: all finite reals. d/dx cos x = −sin x.
struct cos : unary_elementwise {
    static constexpr std::string_view name = "cos", domain = "all real x";
    template <class T>
    static constexpr T value(const T& x) { using std::cos; return cos(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) { return -call_op<sin>(x); }
};

// tan x. Domain: x ≠ π/2 + kπ. d/dx tan x = 1 + tan² x = 1 + y².
struct tan : unary_elementwise {
    static constexpr std::string_view name = "tan", domain = "x != pi/2 + k pi";
    template <class T>
    static constexpr T value(const T& x) { using std::tan; return tan(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X&, const Y& y) { return num<1>(y) + y * y; }
};

// asin x. Domain: −1 ≤ x ≤ 1 (derivative +inf at ±1). d/dx asin x = 1/√(1 − x²).
struct asin : unary_elementwise {
    static constexpr std::string_view name = "asin", domain = "-1 <= x <= 1";
    template <class T>
    static constexpr T value(const T& x) { using std::asin; return asin(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return num<1>(x) / call_op<sqrt>(num<1>(x) - x * x);
    }
};

// acos x. Domain: −1 ≤ x ≤ 1 (derivative −inf at ±1). d/dx acos x = −1/√(1 − x²).
struct acos : unary_elementwise {
    static constexpr std::string_view name = "acos", domain = "-1 <= x <= 1";
    template <class T>
    static constexpr T value(const T& x) { using std::acos; return acos(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return num<-1>(x) / call_op<sqrt>(num<1>(x) - x * x);
    }
};

// atan x. Domain: all reals. d/dx atan x = 1/(1 + x²).
struct atan : unary_elementwise {
    static constexpr std::string_view name = "atan", domain = "all real x";
    template <class T>
    static constexpr T value(const T& x) { using std::atan; return atan(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) { return num<1>(x) / (num<1>(x) + x * x); }
};

// atan2(a, b): the angle of the point (b, a). Domain: (a, b) ≠ (0, 0).
// ∂/∂a = b/(a² + b²), ∂/∂b = −a/(a² + b²).
struct atan2 : binary_elementwise {
    static constexpr std::string_view name = "atan2", domain = "(a, b) != (0, 0)";
    template <class T>
    static constexpr T value(const T& a, const T& b) { using std::atan2; return atan2(a, b); }
    template <class A, class B, class Y>
    static constexpr auto da(const A& a, const B& b, const Y&) { return b / (a * a + b * b); }
    template <class A, class B, class Y>
    static constexpr auto db(const A& a, const B& b, const Y&) { return -a / (a * a + b * b); }
};

} // namespace op

template <class X>
constexpr auto sin(const X& x) { return call_op<op::sin>(x); }
template <class X>
constexpr auto cos(const X& x) { return call_op<op::cos>(x); }
template <class X>
constexpr auto tan(const X& x) { return call_op<op::tan>(x); }
template <class X>
constexpr auto asin(const X& x) { return call_op<op::asin>(x); }
template <class X>
constexpr auto acos(const X& x) { return call_op<op::acos>(x); }
template <class X>
constexpr auto atan(const X& x) { return call_op<op::atan>(x); }
template <class A, class B>
constexpr auto atan2(const A& a, const B& b) { return call_op<op::atan2>(a, b); }

} // namespace tapeless

#endif
