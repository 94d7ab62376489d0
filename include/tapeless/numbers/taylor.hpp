// tapeless/numbers/taylor.hpp — taylor<T, K>: a truncated Taylor series, the number type of Taylor
// mode.
//
//   tl::taylor<double, 5> x = tl::taylor<double, 5>::variable(0.5);  // x(t) = 0.5 + t
//   auto y = tl::exp(tl::sin(x));          // y.c[k] = (d/dt)^k exp(sin(0.5 + t)) / k! at t = 0
//
// A taylor number holds the coefficients c[0..K] of x(t) = Σ c_k t^k, c_k = x^(k)(0)/k!. It is an
// ordinary value type, like dual: arithmetic with itself and with T, comparisons on c[0] (so
// branches in generic code follow the values), usable in any generic code. Its arithmetic and
// every operation of ops/ use the operation's Taylor rule (the `taylor<K>` member written beside
// the op, ops/series.hpp): O(K²) per operation. An op without a rule of its own would get one from
// its first-derivative rule (taylor_from_derivative below, O(K³)); every op of ops/ has its own.
// Nesting with dual is not supported. Taylor mode, the coefficients of an expression along a line,
// is tl::taylor_coefficients (modes/taylor_coefficients.hpp).
#ifndef TAPELESS_NUMBERS_TAYLOR_HPP
#define TAPELESS_NUMBERS_TAYLOR_HPP

#include <array>
#include <compare>
#include <cstddef>
#include <type_traits>

#include "../core/expr.hpp"
#include "../ops/arithmetic.hpp"
#include "../ops/common.hpp"

namespace tapeless {

template <class T, std::size_t K>
struct taylor {
    using value_type = T;
    static constexpr std::size_t order = K;

    std::array<T, K + 1> c{}; // c[k] = x^(k)(0) / k!

    constexpr taylor() = default;
    // A constant: c[0] = value, higher coefficients zero.
    constexpr taylor(const T& value) { c[0] = value; } // NOLINT(google-explicit-constructor)
    template <class A>
        requires(std::is_arithmetic_v<A> && !std::is_same_v<A, T>)
    // NOLINTNEXTLINE(google-explicit-constructor)
    constexpr taylor(const A& value) { c[0] = static_cast<T>(value); }
    constexpr explicit taylor(const std::array<T, K + 1>& coefficients) : c(coefficients) {}

    // The line x(t) = x + t·dir: c[0] = x, c[1] = dir.
    static constexpr taylor variable(const T& x, const T& dir = static_cast<T>(1)) {
        taylor r(x);
        if constexpr (K > 0) r.c[1] = dir;
        return r;
    }

    constexpr const T& operator[](std::size_t k) const { return c[k]; }
    constexpr T& operator[](std::size_t k) { return c[k]; }
    constexpr const T& value() const { return c[0]; }
    // The k-th derivative at t = 0: k! c[k].
    constexpr T derivative(std::size_t k) const {
        T f = static_cast<T>(1);
        for (std::size_t i = 2; i <= k; ++i) f = f * static_cast<T>(i);
        return f * c[k];
    }
    // The polynomial Σ c_k t^k at t (Horner).
    constexpr T operator()(const T& t) const {
        T s = c[K];
        for (std::size_t k = K; k-- > 0;) s = s * t + c[k];
        return s;
    }

    friend constexpr taylor operator+(const taylor& a) { return a; }
    friend constexpr taylor operator-(const taylor& a) {
        taylor r;
        op::neg::taylor<K>(a.c.data(), r.c.data());
        return r;
    }
    friend constexpr taylor operator+(const taylor& a, const taylor& b) {
        taylor r;
        op::add::taylor<K>(a.c.data(), b.c.data(), r.c.data());
        return r;
    }
    friend constexpr taylor operator-(const taylor& a, const taylor& b) {
        taylor r;
        op::sub::taylor<K>(a.c.data(), b.c.data(), r.c.data());
        return r;
    }
    friend constexpr taylor operator*(const taylor& a, const taylor& b) {
        taylor r;
        op::mul::taylor<K>(a.c.data(), b.c.data(), r.c.data());
        return r;
    }
    friend constexpr taylor operator/(const taylor& a, const taylor& b) {
        taylor r;
        op::div::taylor<K>(a.c.data(), b.c.data(), r.c.data());
        return r;
    }
    // With a plain T on one side: only the constant coefficient moves, or every one scales.
    friend constexpr taylor operator+(const taylor& a, const T& b) {
        taylor r = a;
        r.c[0] = r.c[0] + b;
        return r;
    }
    friend constexpr taylor operator+(const T& a, const taylor& b) { return b + a; }
    friend constexpr taylor operator-(const taylor& a, const T& b) {
        taylor r = a;
        r.c[0] = r.c[0] - b;
        return r;
    }
    friend constexpr taylor operator-(const T& a, const taylor& b) {
        taylor r = -b;
        r.c[0] = r.c[0] + a;
        return r;
    }
    friend constexpr taylor operator*(const taylor& a, const T& b) {
        taylor r;
        TAPELESS_UNROLL
        for (std::size_t k = 0; k <= K; ++k) r.c[k] = a.c[k] * b;
        return r;
    }
    friend constexpr taylor operator*(const T& a, const taylor& b) {
        taylor r;
        TAPELESS_UNROLL
        for (std::size_t k = 0; k <= K; ++k) r.c[k] = a * b.c[k];
        return r;
    }
    friend constexpr taylor operator/(const taylor& a, const T& b) {
        taylor r;
        TAPELESS_UNROLL
        for (std::size_t k = 0; k <= K; ++k) r.c[k] = a.c[k] / b;
        return r;
    }
    friend constexpr taylor operator/(const T& a, const taylor& b) { return taylor(a) / b; }

    constexpr taylor& operator+=(const taylor& b) { return *this = *this + b; }
    constexpr taylor& operator-=(const taylor& b) { return *this = *this - b; }
    constexpr taylor& operator*=(const taylor& b) { return *this = *this * b; }
    constexpr taylor& operator/=(const taylor& b) { return *this = *this / b; }

    // Comparisons look at c[0] only, so branches in generic code follow the values.
    friend constexpr bool operator==(const taylor& a, const taylor& b) { return a.c[0] == b.c[0]; }
    friend constexpr auto operator<=>(const taylor& a, const taylor& b) {
        return a.c[0] <=> b.c[0];
    }
    friend constexpr bool operator==(const taylor& a, const T& b) { return a.c[0] == b; }
    friend constexpr auto operator<=>(const taylor& a, const T& b) { return a.c[0] <=> b; }
};

template <class X>
concept Taylor = NumberOf<X, taylor>;

// A passive Taylor number is its constant coefficient (ops/common.hpp: passive operands).
template <class T, std::size_t K>
struct passive_traits<taylor<T, K>> {
    using type = passive_t<T>;
    static constexpr type value(const taylor<T, K>& x) { return passive(x.c[0]); }
};

namespace detail {

template <class Op, class T, std::size_t K>
concept HasUnaryTaylorRule = requires(const T* x, T* y) {
    Op::template taylor<K>(x, y);
};
template <class Op, class T, std::size_t K>
concept HasBinaryTaylorRule = requires(const T* a, const T* b, T* y) {
    Op::template taylor<K>(a, b, y);
};

// A Taylor rule from the first-derivative rule alone: y' = f'(x) x', so
// y_k = (1/k) Σ_{j=1..k} j x_j g_{k−j} with g = f'(x) evaluated on taylor<T, K−1> numbers (from x
// and the y coefficients already known; g_{k−1} only needs those). One derivative evaluation per
// coefficient: O(K³). Used for an op that has no `taylor` member.
template <class Op, std::size_t K, class T>
constexpr void taylor_from_derivative(const T* x, T* y) {
    y[0] = Op::value(x[0]);
    if constexpr (K > 0) {
        using S = taylor<T, K - 1>;
        for (std::size_t k = 1; k <= K; ++k) {
            S xs, ys;
            for (std::size_t j = 0; j < K; ++j) xs.c[j] = x[j];
            for (std::size_t j = 0; j < k; ++j) ys.c[j] = y[j];
            const S g = Op::derivative(xs, ys);
            y[k] = series::chain(x, g.c.data(), k);
        }
    }
}
template <class Op, std::size_t K, class T>
constexpr void taylor_from_derivative(const T* a, const T* b, T* y) {
    y[0] = Op::value(a[0], b[0]);
    if constexpr (K > 0) {
        using S = taylor<T, K - 1>;
        for (std::size_t k = 1; k <= K; ++k) {
            S as, bs, ys;
            for (std::size_t j = 0; j < K; ++j) {
                as.c[j] = a[j];
                bs.c[j] = b[j];
            }
            for (std::size_t j = 0; j < k; ++j) ys.c[j] = y[j];
            const S ga = Op::da(as, bs, ys), gb = Op::db(as, bs, ys);
            y[k] = series::chain(a, ga.c.data(), k) + series::chain(b, gb.c.data(), k);
        }
    }
}

} // namespace detail

// Every operation of ops/ on Taylor numbers, by its Taylor rule.
template <class Op, class X>
    requires Taylor<X>
struct unary_dispatch<Op, X> {
    static constexpr X apply(const X& x) {
        using T = typename X::value_type;
        constexpr std::size_t K = X::order;
        X r;
        if constexpr (detail::HasUnaryTaylorRule<Op, T, K>)
            Op::template taylor<K>(x.c.data(), r.c.data());
        else
            detail::taylor_from_derivative<Op, K>(x.c.data(), r.c.data());
        return r;
    }
};

// Operands of a binary operation on Taylor numbers: at least one, neither an expression.
template <class A, class B>
concept TaylorOperands = !Expression<A> && !Expression<B> && (Taylor<A> || Taylor<B>);

template <class Op, class A, class B>
    requires TaylorOperands<A, B>
struct binary_dispatch<Op, A, B> {
    using X = std::conditional_t<Taylor<A>, A, B>;
    static constexpr X apply(const A& a, const B& b) {
        using T = typename X::value_type;
        constexpr std::size_t K = X::order;
        const X xa = X(a), xb = X(b);
        X r;
        if constexpr (detail::HasBinaryTaylorRule<Op, T, K>)
            Op::template taylor<K>(xa.c.data(), xb.c.data(), r.c.data());
        else
            detail::taylor_from_derivative<Op, K>(xa.c.data(), xb.c.data(), r.c.data());
        return r;
    }
};

} // namespace tapeless

#endif
