// tapeless/ops/linalg.hpp — slice, element, transpose, matvec, matmul, add_rowwise, concat.
// Matrices are row-major.
#ifndef TAPELESS_OPS_LINALG_HPP
#define TAPELESS_OPS_LINALG_HPP

#include "common.hpp"

namespace tapeless {
namespace op {

namespace detail {
template <std::size_t B, std::size_t L, class S>
struct slice_shape {
    static_assert(S::rank == 1, "tapeless::slice: the argument must be a vector");
    static_assert(L > 0 && B + L <= S::size,
                  "tapeless::slice<Begin, Length>: the slice must lie inside the vector");
    using type = vector<L>;
};
template <std::size_t I, class S>
struct element_shape {
    static_assert(S::rank == 1, "tapeless::element: the argument must be a vector");
    static_assert(I < S::size, "tapeless::element<I>: the index must lie inside the vector");
    using type = scalar;
};
template <class S>
struct transpose_shape {
    static_assert(S::rank == 2, "tapeless::transpose: the argument must be a matrix");
    using type = matrix<S::cols, S::rows>;
};
template <class SM, class SV>
struct matvec_shape {
    static_assert(SM::rank == 2 && SV::rank == 1,
                  "tapeless::matvec: the arguments must be a matrix and a vector");
    static_assert(SM::cols == SV::size,
                  "tapeless: shape mismatch in matvec: the matrix must have as many columns as "
                  "the vector has elements");
    using type = vector<SM::rows>;
};
template <class SA, class SB>
struct concat_shape {
    static_assert(SA::rank <= 1 && SB::rank <= 1,
                  "tapeless::concat: the arguments must be scalars or vectors");
    using type = vector<SA::size + SB::size>;
};
template <class SA, class SB>
struct matmul_shape {
    static_assert(SA::rank == 2 && SB::rank == 2,
                  "tapeless::matmul: both arguments must be matrices");
    static_assert(SA::cols == SB::rows,
                  "tapeless: shape mismatch in matmul: the left matrix must have as many columns "
                  "as the right matrix has rows");
    using type = matrix<SA::rows, SB::cols>;
};
template <class SM, class SV>
struct add_rowwise_shape {
    static_assert(SM::rank == 2 && SV::rank == 1,
                  "tapeless::add_rowwise: the arguments must be a matrix and a vector");
    static_assert(
        SM::cols == SV::size,
        "tapeless: shape mismatch in add_rowwise: the vector must have as many elements as "
        "the matrix has columns");
    using type = SM;
};
} // namespace detail

// slice<B, L>(v) = (v_B, ..., v_{B+L−1}). Domain: all reals. ∂y_i/∂v_{B+i} = 1.
template <std::size_t B, std::size_t L>
struct slice : array_operation {
    // no rows of its own: its edges are those of + and × (docs/edge-cases.md)
    static constexpr std::string_view edge_rows = "";
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr linearity linear = linearity::linear;
    static constexpr std::string_view name = "slice", domain = "all real v";
    static constexpr std::uint64_t parameters = B * 1000003u + L;
    static constexpr std::size_t begin = B, length = L;
    static constexpr fusion_kind fusion = fusion_kind::view;
    // Element i of the slice is element source(i) of the vector.
    static constexpr std::size_t source(std::size_t i) { return B + i; }
    template <class S>
    using result = typename detail::slice_shape<B, L, S>::type;
    template <class S, class T, class A>
    static constexpr void eval(T* out, const A& a) {
        for (std::size_t i = 0; i < L; ++i) out[i] = a[B + i];
    }
    template <std::size_t Operand, class S, class T>
    static constexpr void vjp(T* a_bar, const T* y_bar, const T*, const T*) {
        for (std::size_t i = 0; i < L; ++i) a_bar[B + i] = a_bar[B + i] + y_bar[i];
    } // Its tangent in the symbolic mode (ops/common.hpp).
    template <class SA, class T>
    static constexpr auto tangent(const T& t) {
        return linear_map_tangent<slice, SA>(t);
    }
};

// element<I>(v) = v_I, a scalar. Domain: all reals. ∂y/∂v_I = 1.
template <std::size_t I>
struct element : array_operation {
    // no rows of its own: its edges are those of + and × (docs/edge-cases.md)
    static constexpr std::string_view edge_rows = "";
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr linearity linear = linearity::linear;
    static constexpr std::string_view name = "element", domain = "all real v";
    static constexpr std::uint64_t parameters = I;
    static constexpr std::size_t index = I;
    static constexpr fusion_kind fusion = fusion_kind::view;
    static constexpr std::size_t source(std::size_t) { return I; }
    template <class S>
    using result = typename detail::element_shape<I, S>::type;
    template <class S, class T, class A>
    static constexpr void eval(T* out, const A& a) {
        out[0] = a[I];
    }
    template <std::size_t Operand, class S, class T>
    static constexpr void vjp(T* a_bar, const T* y_bar, const T*, const T*) {
        a_bar[I] = a_bar[I] + y_bar[0];
    } // Its tangent in the symbolic mode (ops/common.hpp).
    template <class SA, class T>
    static constexpr auto tangent(const T& t) {
        return linear_map_tangent<element, SA>(t);
    }
};

// transpose(M)_{ij} = M_{ji}. Domain: all reals. The adjoint is transposed back.
struct transpose : array_operation {
    // no rows of its own: its edges are those of + and × (docs/edge-cases.md)
    static constexpr std::string_view edge_rows = "";
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr linearity linear = linearity::linear;
    static constexpr work_kind work = work_kind::move; // (cost model)
    static constexpr std::string_view name = "transpose", domain = "all real M";
    static constexpr latex_notation latex{"$0^{\\top}", latex_precedence::power};
    template <class S>
    using result = typename detail::transpose_shape<S>::type;
    template <class S, class T>
    static constexpr void eval(T* out, const T* a) {
        for (std::size_t r = 0; r < S::rows; ++r)
            for (std::size_t c = 0; c < S::cols; ++c) out[c * S::rows + r] = a[r * S::cols + c];
    }
    template <std::size_t Operand, class S, class T>
    static constexpr void vjp(T* a_bar, const T* y_bar, const T*, const T*) {
        for (std::size_t r = 0; r < S::rows; ++r)
            for (std::size_t c = 0; c < S::cols; ++c)
                a_bar[r * S::cols + c] = a_bar[r * S::cols + c] + y_bar[c * S::rows + r];
    } // Its tangent in the symbolic mode (ops/common.hpp).
    template <class SA, class T>
    static constexpr auto tangent(const T& t) {
        return linear_map_tangent<transpose, SA>(t);
    }
};

// matvec(M, v) = M v. Domain: all reals. M̄ += ȳ vᵀ, v̄ += Mᵀ ȳ.
struct matvec : array_operation {
    // no rows of its own: its edges are those of + and × (docs/edge-cases.md)
    static constexpr std::string_view edge_rows = "";
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr linearity linear = linearity::bilinear;
    static constexpr work_kind work = work_kind::contraction; // (cost model)
    static constexpr std::string_view name = "matvec", domain = "all real M, v";
    // On a matrix<dynamic, C> input (a batch of run-time rows), element i is row i times v: these
    // rules on matrix<1, C>, one row at a time (graph/rows.hpp).
    static constexpr bool dynamic_extents = true;
    static constexpr row_access row_read = row_access::by_row;
    template <class SM, class SV>
    using result = typename detail::matvec_shape<SM, SV>::type;
    template <class SM, class SV, class T>
    static constexpr void eval(T* out, const T* m, const T* v) {
        for (std::size_t r = 0; r < SM::rows; ++r) {
            T acc = m[r * SM::cols] * v[0];
            for (std::size_t c = 1; c < SM::cols; ++c) acc = acc + m[r * SM::cols + c] * v[c];
            out[r] = acc;
        }
    }
    template <std::size_t Operand, class SM, class SV, class T>
    static constexpr void vjp(T* in_bar, const T* y_bar, const T*, const T* m, const T* v) {
        if constexpr (Operand == 0) {
            for (std::size_t r = 0; r < SM::rows; ++r)
                for (std::size_t c = 0; c < SM::cols; ++c)
                    in_bar[r * SM::cols + c] = in_bar[r * SM::cols + c] + y_bar[r] * v[c];
        } else {
            for (std::size_t r = 0; r < SM::rows; ++r)
                for (std::size_t c = 0; c < SM::cols; ++c)
                    in_bar[c] = in_bar[c] + m[r * SM::cols + c] * y_bar[r];
        }
    }
};

// The matmul kernels, register-tiled: a tile of RT × CT results accumulates in a local array that
// the compiler keeps in vector registers (8 × 32 floats or 8 × 16 doubles: 16 AVX-512 registers)
// while k runs, instead of loading and storing each result once per k. Measured on the 784-128-10
// network's X·W1 and its weight gradient Xᵀ·Ȳ (g++ 12, -O3 -march=native, AVX-512): 8-row tiles
// several times faster than the plain loop and well ahead of 4-row tiles (the training rates:
// docs/benchmarks.md, MLP training). Partial tiles at the edges take the plain loops. Generic in
// T: dual and Taylor numbers run the same loops, the tile's width fitted to their size. The sums
// run over k in ascending order, as the plain loop.
namespace detail {
template <class T>
inline constexpr std::size_t tile_cols = sizeof(T) >= 128 ? 1 : 128 / sizeof(T);
inline constexpr std::size_t tile_rows = 8;

// One tile: out[i·os + j] = (Accumulate ? out[i·os + j] : 0) + Σ_k a[i·ai + k·ak] · b[k·bs + j] for
// i < M, j < N, the sum over k in ascending order.
template <std::size_t M, std::size_t N, std::size_t K, bool Accumulate, class T>
TAPELESS_INLINE constexpr void gemm_tile(T* out, std::size_t os, const T* a, std::size_t ai,
                                         std::size_t ak, const T* b, std::size_t bs) {
    T acc[M][N];
    for (std::size_t i = 0; i < M; ++i)
        for (std::size_t j = 0; j < N; ++j)
            acc[i][j] = Accumulate ? out[i * os + j] : static_cast<T>(0);
    for (std::size_t k = 0; k < K; ++k) {
        const T* bk = b + k * bs;
        for (std::size_t i = 0; i < M; ++i) {
            const T aik = a[i * ai + k * ak];
            for (std::size_t j = 0; j < N; ++j) acc[i][j] = acc[i][j] + aik * bk[j];
        }
    }
    for (std::size_t i = 0; i < M; ++i)
        for (std::size_t j = 0; j < N; ++j) out[i * os + j] = acc[i][j];
}

// out (M × N, row stride os) = [out +] A · B, A's element (i, k) at a[i·ai + k·ak], B's (k, j) at
// b[k·bs + j]: full tiles of tile_rows × tile_cols<T>, then the edges as tiles of their own size
// (a 10-column output still accumulates in registers, across its 10 columns).
template <std::size_t M, std::size_t N, std::size_t K, bool Accumulate, class T>
constexpr void gemm(T* out, std::size_t os, const T* a, std::size_t ai, std::size_t ak, const T* b,
                    std::size_t bs) {
    constexpr std::size_t RT = tile_rows < M ? tile_rows : M,
                          CT = tile_cols<T> < N ? tile_cols<T> : N;
    constexpr std::size_t M0 = M / RT * RT, N0 = N / CT * CT;
    for (std::size_t i = 0; i < M0; i += RT) {
        for (std::size_t j = 0; j < N0; j += CT)
            gemm_tile<RT, CT, K, Accumulate>(out + i * os + j, os, a + i * ai, ai, ak, b + j, bs);
        if constexpr (N0 < N)
            gemm_tile<RT, N - N0, K, Accumulate>(out + i * os + N0, os, a + i * ai, ai, ak, b + N0,
                                                 bs);
    }
    if constexpr (M0 < M) {
        for (std::size_t j = 0; j < N0; j += CT)
            gemm_tile<M - M0, CT, K, Accumulate>(out + M0 * os + j, os, a + M0 * ai, ai, ak, b + j,
                                                 bs);
        if constexpr (N0 < N)
            gemm_tile<M - M0, N - N0, K, Accumulate>(out + M0 * os + N0, os, a + M0 * ai, ai, ak,
                                                     b + N0, bs);
    }
}

// The lanes of a dot product that is summed in parallel (a power of two; 8 floats or 4 doubles,
// half an AVX-512 register: short rows still fill them).
template <class T>
inline constexpr std::size_t dot_lanes = sizeof(T) <= 4   ? 8
                                         : sizeof(T) <= 8 ? 4
                                                          : 1;

// Above this many bytes, matmul's Ā = C̄ Bᵀ computes dot products of B's rows instead of
// transposing B first.
inline constexpr std::size_t transpose_scratch_bytes = 32 * 1024;
} // namespace detail

// matmul(A, B) = A B. Domain: all reals. Ā += C̄ Bᵀ, B̄ += Aᵀ C̄.
struct matmul : array_operation {
    // no rows of its own: its edges are those of + and × (docs/edge-cases.md)
    static constexpr std::string_view edge_rows = "";
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr linearity linear = linearity::bilinear;
    static constexpr work_kind work = work_kind::contraction; // (cost model)
    static constexpr std::string_view name = "matmul", domain = "all real A, B";
    template <class SA, class SB>
    using result = typename detail::matmul_shape<SA, SB>::type;
    template <class SA, class SB, class T>
    static constexpr void eval(T* out, const T* a, const T* b) {
        constexpr std::size_t R = SA::rows, K = SA::cols, C = SB::cols;
        detail::gemm<R, C, K, false>(out, C, a, K, 1, b, C);
    }
    template <std::size_t Operand, class SA, class SB, class T>
    static constexpr void vjp(T* in_bar, const T* y_bar, const T*, const T* a, const T* b) {
        constexpr std::size_t R = SA::rows, K = SA::cols, C = SB::cols;
        if constexpr (Operand == 0) {
            // Ā (R × K) += C̄ (R × C) · Bᵀ (C × K): with Bᵀ made contiguous when it is small (the
            // last layer of a network) and there are rows enough to pay for it, else as dot
            // products of C̄'s and B's rows
            if constexpr (R >= detail::tile_rows &&
                          K * C * sizeof(T) <= detail::transpose_scratch_bytes) {
                T bt[C * K];
                for (std::size_t k = 0; k < K; ++k)
                    for (std::size_t c = 0; c < C; ++c) bt[c * K + k] = b[k * C + c];
                detail::gemm<R, K, C, true>(in_bar, K, y_bar, C, 1, bt, K);
            } else {
                // one dot product of contiguous rows per (r, k), summed in L lanes (c mod L) and
                // then pairwise: an order written out, so the compiler vectorises it as it is
                constexpr std::size_t L = detail::dot_lanes<T>, C0 = C / L * L;
                for (std::size_t r = 0; r < R; ++r) {
                    const T* yr = y_bar + r * C;
                    for (std::size_t k = 0; k < K; ++k) {
                        const T* bk = b + k * C;
                        T lane[L];
                        for (std::size_t l = 0; l < L; ++l) lane[l] = static_cast<T>(0);
                        for (std::size_t c = 0; c < C0; c += L)
                            for (std::size_t l = 0; l < L; ++l)
                                lane[l] = lane[l] + yr[c + l] * bk[c + l];
                        for (std::size_t w = L / 2; w > 0; w /= 2)
                            for (std::size_t l = 0; l < w; ++l) lane[l] = lane[l] + lane[l + w];
                        T acc = lane[0];
                        for (std::size_t c = C0; c < C; ++c) acc = acc + yr[c] * bk[c];
                        in_bar[r * K + k] = in_bar[r * K + k] + acc;
                    }
                }
            }
        } else {
            // B̄ (K × C) += Aᵀ (K × R) · C̄ (R × C): Aᵀ's element (k, r) is A's (r, k)
            detail::gemm<K, C, R, true>(in_bar, C, a, 1, K, y_bar, C);
        }
    }
};

// add_rowwise(M, v)[r][c] = M[r][c] + v[c]: v added to every row of M (a layer's bias over a
// batch). Domain: all reals. M̄ += Ȳ, v̄[c] += Σ_r Ȳ[r][c].
struct add_rowwise : array_operation {
    // no rows of its own: its edges are those of + and × (docs/edge-cases.md)
    static constexpr std::string_view edge_rows = "";
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr linearity linear = linearity::linear;
    static constexpr work_kind work = work_kind::arithmetic; // (cost model)
    static constexpr std::string_view name = "add_rowwise", domain = "all real M, v";
    template <class SM, class SV>
    using result = typename detail::add_rowwise_shape<SM, SV>::type;
    template <class SM, class SV, class T>
    static constexpr void eval(T* out, const T* m, const T* v) {
        for (std::size_t r = 0; r < SM::rows; ++r)
            for (std::size_t c = 0; c < SM::cols; ++c)
                out[r * SM::cols + c] = m[r * SM::cols + c] + v[c];
    }
    template <std::size_t Operand, class SM, class SV, class T>
    static constexpr void vjp(T* in_bar, const T* y_bar, const T*, const T*, const T*) {
        if constexpr (Operand == 0) {
            for (std::size_t i = 0; i < SM::size; ++i) in_bar[i] = in_bar[i] + y_bar[i];
        } else {
            for (std::size_t r = 0; r < SM::rows; ++r)
                for (std::size_t c = 0; c < SM::cols; ++c)
                    in_bar[c] = in_bar[c] + y_bar[r * SM::cols + c];
        }
    }
};

// concat(a, b) = (a_0, ..., a_{n−1}, b_0, ..., b_{m−1}) for scalars or vectors a, b. Domain: all
// reals. The adjoint splits: ā_i += ȳ_i, b̄_j += ȳ_{n+j}. tl::outputs(f1, ..., fm) is built on it.
struct concat : array_operation {
    // no rows of its own: its edges are those of + and × (docs/edge-cases.md)
    static constexpr std::string_view edge_rows = "";
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr linearity linear = linearity::linear;
    static constexpr std::string_view name = "concat", domain = "all real a, b";
    static constexpr fusion_kind fusion = fusion_kind::join;
    template <class SA, class SB>
    using result = typename detail::concat_shape<SA, SB>::type;
    template <class SA, class SB, class T, class A, class B>
    static TAPELESS_INLINE constexpr void eval(T* out, const A& a, const B& b) {
        for (std::size_t i = 0; i < SA::size; ++i) out[i] = a[i];
        for (std::size_t j = 0; j < SB::size; ++j) out[SA::size + j] = b[j];
    }
    template <std::size_t Operand, class SA, class SB, class T>
    static constexpr void vjp(T* in_bar, const T* y_bar, const T*, const T*, const T*) {
        if constexpr (Operand == 0)
            for (std::size_t i = 0; i < SA::size; ++i) in_bar[i] = in_bar[i] + y_bar[i];
        else
            for (std::size_t j = 0; j < SB::size; ++j) in_bar[j] = in_bar[j] + y_bar[SA::size + j];
    }
};

} // namespace op

template <class A, class B>
    requires(Expression<A> || Expression<B>)
constexpr auto concat(const A& a, const B& b) {
    return call_op<op::concat>(a, b);
}

// The vector (f1, ..., fm) of scalar (or vector) expressions, as one expression: one DAG, so
// subexpressions shared between the outputs are computed once. A single output is itself.
template <Expression F, Expression... Fs>
constexpr auto outputs(const F& f, const Fs&... fs) {
    if constexpr (sizeof...(Fs) == 0)
        return f;
    else
        return concat(f, outputs(fs...));
}

template <std::size_t B, std::size_t L, Expression X>
constexpr auto slice(const X& x) {
    return make_node<op::slice<B, L>>(x);
}
template <std::size_t I, Expression X>
constexpr auto element(const X& x) {
    return make_node<op::element<I>>(x);
}
template <Expression X>
constexpr auto transpose(const X& x) {
    return make_node<op::transpose>(x);
}
template <class M, class V>
    requires(Expression<M> || Expression<V>)
constexpr auto matvec(const M& m, const V& v) {
    if constexpr (Expression<M>) {
        if constexpr (is_dynamic_v<shape_of<M>>)
            static_assert(node_of<M>::kind == node_kind::variable,
                          "tapeless::matvec(M, v) on run-time rows reads M, a matrix<dynamic, C>, "
                          "directly: M must be an input (a variable or data)");
    }
    if constexpr (Expression<V>)
        static_assert(!is_dynamic_v<shape_of<V>>,
                      "tapeless::matvec(M, v): v must have a static shape");
    return call_op<op::matvec>(m, v);
}
template <class A, class B>
    requires(Expression<A> || Expression<B>)
constexpr auto matmul(const A& a, const B& b) {
    return call_op<op::matmul>(a, b);
}
template <class M, class V>
    requires(Expression<M> || Expression<V>)
constexpr auto add_rowwise(const M& m, const V& v) {
    return call_op<op::add_rowwise>(m, v);
}

} // namespace tapeless

#endif
