// tapeless/modes/taylor_expansion.hpp — the multivariate Taylor polynomial of degree K.
//
//   auto T = tl::taylor_expansion<3>(f, p);     // f: ℝⁿ → ℝ, p: std::array<double, n>
//   T(x)                  T_3(x) = Σ_{k ≤ 3} D^k f(p) δ^k / k!, δ = x − p
//   T.term(k, delta)      D^k f(p) δ^k / k!
//   T.derivative({0, 1})  ∂²f / ∂x_0 ∂x_1 at p (any mixed partial of order ≤ K)
//   T.tensor(k)           D^k f(p): all nᵏ entries, row-major ([i_1 … i_k] at Σ i_m n^(k−m))
//   T.gradient(), T.hessian()
// The polynomial is in the variables only: tl::data inputs stay at their values in p, and N is the
// number of variables; variable i is the i-th non-data element of p (the order of the gradient).
// Indices are checked: an index ≥ N, more than K indices, or a degree above K throws
// std::out_of_range.
//
// How the tensors are built: by exact interpolation from univariate Taylor coefficients
// (Griewank, Utke & Walther, "Evaluating higher derivative tensors by forward propagation of
// univariate Taylor series", Math. Comp. 69, 2000). Along a direction v, the k-th coefficient of
// t ↦ f(p + t v) is the homogeneous polynomial c_k(v) = Σ_{|j| = k} a_j v^j in v, with
// a_j = ∂^j f(p) / j! over the multi-indices j (j! = Π j_i!). It has C(n + k − 1, k) unknowns and
// is fixed by its values at as many lattice directions v = i, |i| = k; each value is one
// taylor_coefficients sweep (O(K²) per operation), and the a_j solve that small linear system (in
// long double, partial pivoting). Chosen over nested forward mode because it reuses the Taylor
// rules as they are, propagates only univariate series (no dual<dual<…>> of nᵏ tangents, whose
// compile time and storage grow with K levels of nesting), and computes each distinct mixed partial
// once instead of all nᵏ orderings. Cost: Σ_k C(n + k − 1, k) sweeps plus the solves (cubic in
// C(n + k − 1, k)): meant for small n (a handful of inputs), as the examples of the course's
// notes on Taylor series have (README, Sources).
#ifndef TAPELESS_MODES_TAYLOR_EXPANSION_HPP
#define TAPELESS_MODES_TAYLOR_EXPANSION_HPP

#include <array>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "taylor_coefficients.hpp"

namespace tapeless {

namespace detail {

// Every multi-index j of n variables with |j| = k, in lexicographic order.
template <std::size_t N>
inline void multi_indices(std::size_t k, std::vector<std::array<unsigned, N>>& out) {
    std::array<unsigned, N> j{};
    auto rec = [&](auto&& self, std::size_t i, std::size_t left) -> void {
        if (i + 1 == N) {
            j[i] = static_cast<unsigned>(left);
            out.push_back(j);
            return;
        }
        for (std::size_t m = left + 1; m-- > 0;) {
            j[i] = static_cast<unsigned>(m);
            self(self, i + 1, left - m);
        }
    };
    if constexpr (N > 0) rec(rec, 0, k);
}

// Solves A x = b (A m×m row-major) by Gaussian elimination with partial pivoting; b becomes x.
inline void solve_dense(std::vector<long double>& a, std::vector<long double>& b, std::size_t m) {
    for (std::size_t c = 0; c < m; ++c) {
        std::size_t piv = c;
        for (std::size_t r = c + 1; r < m; ++r)
            if (std::fabs(a[r * m + c]) > std::fabs(a[piv * m + c])) piv = r;
        if (piv != c) {
            for (std::size_t q = 0; q < m; ++q) std::swap(a[c * m + q], a[piv * m + q]);
            std::swap(b[c], b[piv]);
        }
        for (std::size_t r = c + 1; r < m; ++r) {
            const long double f = a[r * m + c] / a[c * m + c];
            if (f == 0.0L) continue;
            for (std::size_t q = c; q < m; ++q) a[r * m + q] -= f * a[c * m + q];
            b[r] -= f * b[c];
        }
    }
    for (std::size_t c = m; c-- > 0;) {
        long double s = b[c];
        for (std::size_t q = c + 1; q < m; ++q) s -= a[c * m + q] * b[q];
        b[c] = s / a[c * m + c];
    }
}

inline long double factorial(unsigned k) {
    long double f = 1.0L;
    for (unsigned i = 2; i <= k; ++i) f *= static_cast<long double>(i);
    return f;
}

} // namespace detail

// The Taylor polynomial of degree K of a scalar f: ℝᴺ → ℝ at a point (see the top of the file).
template <class T, std::size_t N, std::size_t K>
class taylor_polynomial {
public:
    using index = std::array<unsigned, N>;

    // The expansion point p.
    const std::array<T, N>& point() const { return p_; }
    // f(p).
    T value() const { return terms_[0].empty() ? T{} : terms_[0][0].second; }

    // T_K(x) = Σ_{k ≤ K} D^k f(p) δ^k / k! with δ = x − p (x and p: the variables' values).
    T operator()(const std::array<T, N>& x) const {
        std::array<T, N> d{};
        for (std::size_t i = 0; i < N; ++i) d[i] = x[i] - p_[i];
        T s = static_cast<T>(0);
        for (std::size_t k = 0; k <= K; ++k) s += term(k, d);
        return s;
    }

    // D^k f(p) δ^k / k! = Σ_{|j| = k} (∂^j f(p) / j!) δ^j.
    T term(std::size_t k, const std::array<T, N>& delta) const {
        check_degree("term", k);
        T s = static_cast<T>(0);
        for (const auto& [j, a] : terms_[k]) {
            T m = a;
            for (std::size_t i = 0; i < N; ++i)
                for (unsigned e = 0; e < j[i]; ++e) m *= delta[i];
            s += m;
        }
        return s;
    }

    // ∂^j f(p) / j! for the multi-index j (|j| ≤ K).
    T coefficient(const index& j) const {
        std::size_t k = 0;
        for (unsigned e : j) k += e;
        check_degree("coefficient: the multi-index's", k);
        for (const auto& [i, a] : terms_[k])
            if (i == j) return a;
        return T{};
    }

    // The mixed partial ∂^k f / ∂x_{i_1} … ∂x_{i_k} at p, k = indices.size() ≤ K.
    T derivative(std::initializer_list<std::size_t> indices) const {
        return derivative_at(indices.begin(), indices.size());
    }

    // D^k f(p): all Nᵏ entries, row-major (entry [i_1 … i_k] at Σ_m i_m N^(k−m)); symmetric.
    std::vector<T> tensor(std::size_t k) const {
        check_degree("tensor", k);
        std::size_t size = 1;
        for (std::size_t m = 0; m < k; ++m) size *= N;
        std::vector<T> out(size);
        std::vector<std::size_t> idx(k);
        for (std::size_t flat = 0; flat < size; ++flat) {
            std::size_t r = flat;
            for (std::size_t m = k; m-- > 0;) {
                idx[m] = r % N;
                r /= N;
            }
            out[flat] = derivative_at(idx.data(), k);
        }
        return out;
    }

    std::array<T, N> gradient() const {
        std::array<T, N> g{};
        for (std::size_t i = 0; i < N; ++i) g[i] = derivative({i});
        return g;
    }

    row_matrix<T, N, N> hessian() const {
        row_matrix<T, N, N> h{};
        for (std::size_t i = 0; i < N; ++i)
            for (std::size_t j = 0; j < N; ++j) h[i][j] = derivative({i, j});
        return h;
    }

    // Built by taylor_expansion.
    taylor_polynomial(const std::array<T, N>& p,
                      std::array<std::vector<std::pair<index, T>>, K + 1> terms)
        : p_(p), terms_(std::move(terms)) {}

private:
    static void check_degree(const char* what, std::size_t k) {
        if (k > K)
            throw std::out_of_range(
                "tapeless::taylor_polynomial::" + std::string(what) + " degree " +
                std::to_string(k) +
                " is out of range: the expansion has degree K = " + std::to_string(K));
    }

    T derivative_at(const std::size_t* indices, std::size_t k) const {
        if (k > K)
            throw std::out_of_range(
                "tapeless::taylor_polynomial::derivative: " + std::to_string(k) +
                " indices, but the expansion has degree K = " + std::to_string(K));
        index j{};
        for (std::size_t m = 0; m < k; ++m) {
            if (indices[m] >= N)
                throw std::out_of_range(
                    "tapeless::taylor_polynomial::derivative: index " + std::to_string(indices[m]) +
                    " is out of range (it must be less than N = " + std::to_string(N) +
                    ", the number of variables)");
            ++j[indices[m]];
        }
        long double jf = 1.0L;
        for (unsigned e : j) jf *= detail::factorial(e);
        return static_cast<T>(static_cast<long double>(coefficient(j)) * jf);
    }

    std::array<T, N> p_;
    std::array<std::vector<std::pair<index, T>>, K + 1> terms_; // per degree: (j, ∂^j f / j!)
};

// The multivariate Taylor polynomial of degree K of a scalar f at p (one flat std::array of the
// scalar inputs, or one vector-shaped input). f: an expression or a callable traced like
// tl::gradient's.
template <std::size_t K, class F, class T, std::size_t N>
auto taylor_expansion(const F& f, const std::array<T, N>& p) {
    using P = std::array<T, N>;
    if constexpr (!Expression<F> && detail::Traceable<F, P>) {
        return taylor_expansion<K>(detail::tracer<F, P>::trace(f), p);
    } else if constexpr (!Expression<F>) {
        static_assert(detail::dependent_false<F>,
                      "tapeless::taylor_expansion<K>(f, p): f must be a tapeless expression, or a "
                      "callable that builds one from variables");
    } else if constexpr (node_of<F>::shape::rank != 0) {
        static_assert(detail::dependent_false<F>,
                      "tapeless::taylor_expansion<K>(f, p): f must be scalar-valued (expand each "
                      "output of a vector-valued f on its own)");
    } else {
        // The variables: p's elements except tl::data ones, in order.
        using Root = node_of<F>;
        constexpr bool flat = detail::check_arguments<Root, P>();
        constexpr const auto& active = detail::active_elements_v<Root, flat, P>;
        constexpr std::size_t na = active.size();
        using index = std::array<unsigned, na>;
        std::array<std::vector<std::pair<index, T>>, K + 1> terms;
        terms[0].push_back({index{}, tapeless::value(f, p)});
        for (std::size_t k = 1; k <= K; ++k) {
            std::vector<index> js;
            detail::multi_indices<na>(k, js);
            const std::size_t m = js.size();
            // c_k at the lattice directions v = i (|i| = k): the right-hand side; A[r][s] =
            // i_r^{j_s}.
            std::vector<long double> a(m * m), b(m);
            for (std::size_t r = 0; r < m; ++r) {
                P dir{};
                for (std::size_t i = 0; i < na; ++i) dir[active[i]] = static_cast<T>(js[r][i]);
                b[r] = static_cast<long double>(taylor_coefficients<K>(f, p, dir)[k]);
                for (std::size_t s = 0; s < m; ++s) {
                    long double v = 1.0L;
                    for (std::size_t i = 0; i < na; ++i)
                        for (unsigned e = 0; e < js[s][i]; ++e)
                            v *= static_cast<long double>(js[r][i]);
                    a[r * m + s] = v;
                }
            }
            detail::solve_dense(a, b, m);
            for (std::size_t s = 0; s < m; ++s) terms[k].push_back({js[s], static_cast<T>(b[s])});
        }
        std::array<T, na> point{};
        for (std::size_t i = 0; i < na; ++i) point[i] = p[active[i]];
        return taylor_polynomial<T, na, K>(point, std::move(terms));
    }
}

} // namespace tapeless

#endif
