// test/support/mock_ops.hpp — operations that count how often the machinery calls their rules, so
// that a bug in the graph and a bug in a rule show up separately.
#ifndef TAPELESS_TEST_SUPPORT_MOCK_OPS_HPP
#define TAPELESS_TEST_SUPPORT_MOCK_OPS_HPP

#include <tapeless/ops/common.hpp>

namespace tapeless_test {

// counted(x) = x; counts calls of its value and of its derivative rule (per element).
// counted_cheap is the same operation marked cheap: fused sweeps recompute it rather than store it.
template <bool Cheap>
struct counting : tapeless::unary_elementwise {
    static constexpr std::string_view name = Cheap ? "counted_cheap" : "counted",
                                      domain = "all real x";
    static constexpr bool cheap = Cheap;
    static inline int values = 0, derivatives = 0;
    static void reset() { values = derivatives = 0; }
    template <class T>
    static T value(const T& x) {
        ++values;
        return x;
    }
    template <class X, class Y>
    static auto derivative(const X& x, const Y&) {
        ++derivatives;
        return tapeless::num<1>(x);
    }
};
using counted = counting<false>;
using counted_cheap = counting<true>;

// twice(x) = 2x: a mock with a non-trivial derivative, to tell a rule from the machinery.
struct twice : tapeless::unary_elementwise {
    static constexpr std::string_view name = "twice", domain = "all real x";
    template <class T>
    static constexpr T value(const T& x) {
        return x + x;
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return tapeless::num<2>(x);
    }
};

template <class X>
constexpr auto make_counted(const X& x) {
    return tapeless::make_node<counted>(x);
}
template <class X>
constexpr auto make_counted_cheap(const X& x) {
    return tapeless::make_node<counted_cheap>(x);
}
template <class X>
constexpr auto make_twice(const X& x) {
    return tapeless::make_node<twice>(x);
}

} // namespace tapeless_test

#endif
