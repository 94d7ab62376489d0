// tapeless/ops/loss.hpp — mean squared error and the cross-entropies from logits.
#ifndef TAPELESS_OPS_LOSS_HPP
#define TAPELESS_OPS_LOSS_HPP

#include "activation.hpp"
#include "reduce.hpp"
#include "softmax.hpp"

namespace tapeless {
namespace op {

// mse(a, b) = (1/n) Σ (a_i − b_i)². Domain: all reals. ∂/∂a_i = 2(a_i − b_i)/n = −∂/∂b_i.
struct mse : array_operation {
    // the first column of its rows in docs/edge-cases.md
    static constexpr std::string_view edge_rows = "mse(x, [1, 0])";
    static constexpr work_kind work = work_kind::arithmetic; // (cost model)
    static constexpr std::string_view name = "mse", domain = "all real a, b";
    template <class SA, class SB>
    using result = typename detail::same_shape<SA, SB>::type;
    template <class SA, class SB, class T>
    static constexpr void eval(T* out, const T* a, const T* b) {
        T acc = static_cast<T>(0);
        for (std::size_t i = 0; i < SA::size; ++i) acc = acc + (a[i] - b[i]) * (a[i] - b[i]);
        out[0] = acc / static_cast<T>(SA::size);
    }
    template <std::size_t Operand, class SA, class SB, class T>
    static constexpr void vjp(T* in_bar, const T* y_bar, const T*, const T* a, const T* b) {
        const T g = static_cast<T>(Operand == 0 ? 2 : -2) * y_bar[0] / static_cast<T>(SA::size);
        for (std::size_t i = 0; i < SA::size; ++i) in_bar[i] = in_bar[i] + g * (a[i] - b[i]);
    }
};

// binary_cross_entropy_with_logits(z, t) = (1/n) Σ [softplus(z_i) − t_i z_i]
//   = −(1/n) Σ [t_i log σ(z_i) + (1 − t_i) log(1 − σ(z_i))], for logits z and targets t in [0, 1].
// Evaluated as (1 − t) z + log1p(e^−z) for z ≥ 0 and −t z + log1p(e^z) for z < 0: no overflow for
// any z, and a term whose weight (1 − t or t) is zero contributes nothing even at z = ±inf.
// ∂/∂z_i = (σ(z_i) − t_i)/n, ∂/∂t_i = −z_i/n.
struct binary_cross_entropy_with_logits : array_operation {
    // the first column of its rows in docs/edge-cases.md
    static constexpr std::string_view edge_rows = "binary_cross_entropy_with_logits(x, [1, 0])";
    static constexpr work_kind work = work_kind::exponentials; // (cost model)
    static constexpr std::string_view name = "binary_cross_entropy_with_logits",
                                      domain = "all real z; targets t in [0, 1]";
    template <class SA, class SB>
    using result = typename detail::same_shape<SA, SB>::type;
    template <class T>
    static constexpr T term(const T& z, const T& t) {
        using std::exp;
        using std::log1p;
        const T zero = static_cast<T>(0), one = static_cast<T>(1);
        if (z >= zero) {
            const T w = one - t;
            return (w == zero ? zero : w * z) + log1p(exp(-z));
        }
        return (t == zero ? zero : -(t * z)) + log1p(exp(z));
    }
    template <class SA, class SB, class T>
    static constexpr void eval(T* out, const T* z, const T* t) {
        T acc = static_cast<T>(0);
        for (std::size_t i = 0; i < SA::size; ++i) acc = acc + term(z[i], t[i]);
        out[0] = acc / static_cast<T>(SA::size);
    }
    template <std::size_t Operand, class SA, class SB, class T>
    static constexpr void vjp(T* in_bar, const T* y_bar, const T*, const T* z, const T* t) {
        const T g = y_bar[0] / static_cast<T>(SA::size);
        for (std::size_t i = 0; i < SA::size; ++i) {
            if constexpr (Operand == 0) {
                in_bar[i] = in_bar[i] + g * (sigmoid::value(z[i]) - t[i]);
            } else {
                in_bar[i] = in_bar[i] - g * z[i];
            }
        }
    }
};

// softmax_cross_entropy(z, t) = −Σ_i t_i log softmax(z)_i = (Σ t) lse(z) − Σ t_i z_i, for logits
// z and a target distribution t (one-hot or soft); for matrices, the mean over rows (a batch).
// Terms with t_i = 0 contribute nothing, even where z_i = −inf.
// ∂/∂z_i = (Σ t) softmax(z)_i − t_i, ∂/∂t_i = lse(z) − z_i (each divided by the number of rows).
struct softmax_cross_entropy : array_operation {
    // the first column of its rows in docs/edge-cases.md
    static constexpr std::string_view edge_rows = "softmax_cross_entropy(x, [1, 0])";
    static constexpr work_kind work = work_kind::exponentials; // (cost model)
    static constexpr std::string_view name = "softmax_cross_entropy",
                                      domain = "all real z; targets t >= 0";
    template <class SA, class SB>
    using result = typename detail::same_shape<SA, SB>::type;
    template <class SA, class SB, class T>
    static constexpr void eval(T* out, const T* z, const T* t) {
        constexpr std::size_t R = detail::rows_of<SA>, C = detail::cols_of<SA>;
        T acc = static_cast<T>(0);
        for (std::size_t r = 0; r < R; ++r) {
            const T* zr = z + r * C;
            const T lse = detail::log_sum_exp_row(zr, C);
            for (std::size_t c = 0; c < C; ++c) {
                const T tc = t[r * C + c];
                if (tc != static_cast<T>(0))
                    acc = acc + tc * detail::neg_log_softmax(zr, C, c, lse);
            }
        }
        out[0] = acc / static_cast<T>(R);
    }
    template <std::size_t Operand, class SA, class SB, class T>
    static constexpr void vjp(T* in_bar, const T* y_bar, const T*, const T* z, const T* t) {
        constexpr std::size_t R = detail::rows_of<SA>, C = detail::cols_of<SA>;
        const T g = y_bar[0] / static_cast<T>(R);
        for (std::size_t r = 0; r < R; ++r) {
            if constexpr (Operand == 0) {
                const detail::softmax_of_row<T> w(z + r * C, C); // log_sum_exp's gradient
                T ts = static_cast<T>(0);
                for (std::size_t c = 0; c < C; ++c) ts = ts + t[r * C + c];
                for (std::size_t c = 0; c < C; ++c)
                    in_bar[r * C + c] = in_bar[r * C + c] + g * (ts * w[c] - t[r * C + c]);
            } else {
                const T lse = detail::log_sum_exp_row(z + r * C, C);
                for (std::size_t c = 0; c < C; ++c)
                    in_bar[r * C + c] = in_bar[r * C + c] + g * (lse - z[r * C + c]);
            }
        }
    }
};

} // namespace op

template <class A, class B>
    requires(Expression<A> || Expression<B>)
constexpr auto mse(const A& a, const B& b) {
    return call_op<op::mse>(a, b);
}
template <class A, class B>
    requires(Expression<A> || Expression<B>)
constexpr auto binary_cross_entropy_with_logits(const A& z, const B& t) {
    return call_op<op::binary_cross_entropy_with_logits>(z, t);
}
template <class A, class B>
    requires(Expression<A> || Expression<B>)
constexpr auto softmax_cross_entropy(const A& z, const B& t) {
    return call_op<op::softmax_cross_entropy>(z, t);
}

} // namespace tapeless

#endif
