// tapeless/ops/softmax.hpp — log_sum_exp and softmax, row-wise on matrices, without overflow.
#ifndef TAPELESS_OPS_SOFTMAX_HPP
#define TAPELESS_OPS_SOFTMAX_HPP

#include "common.hpp"

namespace tapeless {
namespace op {

namespace detail {
// A vector is one row; a matrix is a stack of rows (a batch).
template <class S>
inline constexpr std::size_t rows_of = S::rank == 2 ? S::rows : 1;
template <class S>
inline constexpr std::size_t cols_of = S::rank == 2 ? S::cols : S::size;

template <class S>
struct rowwise_reduce_shape {
    static_assert(S::rank >= 1, "tapeless::log_sum_exp: the argument must be a vector or a matrix");
    using type = std::conditional_t<S::rank == 1, scalar, vector<rows_of<S>>>;
};
template <class S>
struct rowwise_shape {
    static_assert(S::rank >= 1, "tapeless::softmax: the argument must be a vector or a matrix");
    using type = S;
};

// The largest element of x[0..n), NaN if any element is NaN.
template <class T>
constexpr T max_element(const T* x, std::size_t n) {
    T m = x[0];
    for (std::size_t i = 1; i < n; ++i)
        if (x[i] != x[i] || x[i] > m) m = x[i];
    return m;
}
// How many entries of x[0..n) are +inf.
template <class T>
constexpr std::size_t count_positive_infinite(const T* x, std::size_t n) {
    std::size_t k = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (x[i] > static_cast<T>(0) && x[i] - x[i] != x[i] - x[i]) ++k;
    return k;
}
// Whether m is +inf / −inf.
template <class T>
constexpr bool positive_infinite(const T& m) {
    return m > static_cast<T>(0) && m - m != m - m;
}
template <class T>
constexpr bool negative_infinite(const T& m) {
    return m < static_cast<T>(0) && m - m != m - m;
}
// log Σ exp x_i, shifted by the maximum: exact at ±inf, no overflow for finite x. With k entries
// +inf it is their mean (+inf, whose derivative is shared among them as softmax's mass is); when
// every entry is −inf, −inf; a NaN entry makes it NaN (and its derivatives).
template <class T>
constexpr T log_sum_exp_row(const T* x, std::size_t n) {
    using std::exp;
    using std::log;
    const T m = max_element(x, n);
    if (positive_infinite(m)) {
        T s = static_cast<T>(0);
        for (std::size_t i = 0; i < n; ++i)
            if (x[i] == m) s = s + x[i];
        return s / static_cast<T>(count_positive_infinite(x, n));
    }
    if (negative_infinite(m)) return m;
    T s = static_cast<T>(0);
    for (std::size_t i = 0; i < n; ++i) s = s + exp(x[i] - m);
    return m + log(s);
}
// softmax(x) of one row, element by element: exp(x_c − max x) / Σ; +inf entries share the whole
// mass; a NaN entry makes the row NaN. It is also the gradient of log_sum_exp_row.
template <class T>
struct softmax_of_row {
    const T* x;
    T m, s{}, share{};
    bool infinite_mass;
    constexpr softmax_of_row(const T* row, std::size_t n)
        : x(row), m(max_element(row, n)), infinite_mass(positive_infinite(m)) {
        using std::exp;
        if (infinite_mass) {
            share = static_cast<T>(1) / static_cast<T>(count_positive_infinite(x, n));
        } else {
            s = static_cast<T>(0);
            for (std::size_t c = 0; c < n; ++c) s = s + exp(x[c] - m);
        }
    }
    constexpr T operator[](std::size_t c) const {
        using std::exp;
        if (infinite_mass) return x[c] == m ? share : static_cast<T>(0);
        return exp(x[c] - m) / s;
    }
};
// −log softmax(x)_c = lse − x_c, given lse = log_sum_exp(x). When some x_i = +inf, softmax is
// 1/k on the k infinite entries and 0 elsewhere: −log is log k there and +inf elsewhere.
template <class T>
constexpr T neg_log_softmax(const T* x, std::size_t n, std::size_t c, const T& lse) {
    using std::log;
    if (positive_infinite(lse)) {
        if (!(x[c] == lse)) return lse - x[c]; // +inf, with the derivatives of lse − x_c
        return log(static_cast<T>(count_positive_infinite(x, n)));
    }
    return lse - x[c];
}
} // namespace detail

// log_sum_exp(x) = log Σ_i exp x_i, per row. Domain: all reals (−inf when every x_i = −inf).
// ∂/∂x_i = softmax(x)_i (computed as softmax, not as exp(x_i − y): exact where y rounds or is inf).
struct log_sum_exp : array_operation {
    static constexpr work_kind work = work_kind::exponentials; // (cost model)
    static constexpr std::string_view name = "log_sum_exp", domain = "all real x";
    template <class S>
    using result = typename detail::rowwise_reduce_shape<S>::type;
    template <class S, class T>
    static constexpr void eval(T* out, const T* x) {
        constexpr std::size_t R = detail::rows_of<S>, C = detail::cols_of<S>;
        for (std::size_t r = 0; r < R; ++r) out[r] = detail::log_sum_exp_row(x + r * C, C);
    }
    template <std::size_t Operand, class S, class T>
    static constexpr void vjp(T* x_bar, const T* y_bar, const T*, const T* x) {
        constexpr std::size_t R = detail::rows_of<S>, C = detail::cols_of<S>;
        for (std::size_t r = 0; r < R; ++r) {
            const detail::softmax_of_row<T> w(x + r * C, C);
            for (std::size_t c = 0; c < C; ++c)
                x_bar[r * C + c] = x_bar[r * C + c] + y_bar[r] * w[c];
        }
    }
};

// softmax(x)_i = exp x_i / Σ_j exp x_j, per row, computed as exp(x_i − max x). Domain: all reals;
// +inf entries share the whole mass (softmax([inf, 0]) = [1, 0]), a NaN makes the row NaN.
// ∂y_i/∂x_j = y_i (δ_ij − y_j), so x̄_j += y_j (ȳ_j − Σ_i ȳ_i y_i).
struct softmax : array_operation {
    // the first column of its rows in docs/edge-cases.md
    static constexpr std::string_view edge_rows = "dot(softmax(x), [1, 0])";
    static constexpr work_kind work = work_kind::exponentials; // (cost model)
    static constexpr std::string_view name = "softmax", domain = "all real x";
    template <class S>
    using result = typename detail::rowwise_shape<S>::type;
    template <class S, class T>
    static constexpr void eval(T* out, const T* x) {
        constexpr std::size_t R = detail::rows_of<S>, C = detail::cols_of<S>;
        for (std::size_t r = 0; r < R; ++r) {
            const detail::softmax_of_row<T> w(x + r * C, C);
            for (std::size_t c = 0; c < C; ++c) out[r * C + c] = w[c];
        }
    }
    template <std::size_t Operand, class S, class T>
    static constexpr void vjp(T* x_bar, const T* y_bar, const T* y, const T*) {
        constexpr std::size_t R = detail::rows_of<S>, C = detail::cols_of<S>;
        for (std::size_t r = 0; r < R; ++r) {
            T d = static_cast<T>(0);
            for (std::size_t c = 0; c < C; ++c) d = d + y_bar[r * C + c] * y[r * C + c];
            for (std::size_t c = 0; c < C; ++c)
                x_bar[r * C + c] = x_bar[r * C + c] + y[r * C + c] * (y_bar[r * C + c] - d);
        }
    }
};

} // namespace op

template <Expression X>
constexpr auto log_sum_exp(const X& x) {
    return make_node<op::log_sum_exp>(x);
}
template <Expression X>
constexpr auto softmax(const X& x) {
    return make_node<op::softmax>(x);
}

} // namespace tapeless

#endif
