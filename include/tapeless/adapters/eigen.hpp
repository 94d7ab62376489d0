// tapeless/adapters/eigen.hpp — tapeless::dual as an Eigen scalar type.
//
//   #include <Eigen/Core>
//   #include <tapeless/adapters/eigen.hpp>
//   Eigen::Matrix<tl::dual<double, 3>, 3, 3> A;  ...  A * v, A.norm(), A.lu().solve(b)
// Needs Eigen 3.4 (Debian: libeigen3-dev); without Eigen this header declares nothing.
#ifndef TAPELESS_ADAPTERS_EIGEN_HPP
#define TAPELESS_ADAPTERS_EIGEN_HPP

#include "../numbers/dual.hpp"
#include "../ops/exp_log.hpp"
#include "../ops/piecewise.hpp"
#include "../ops/power.hpp"

#if __has_include(<Eigen/Core>)
#include <Eigen/Core>

namespace tapeless {
// |x|² of a real dual number, as Eigen's norms expect.
template <class T, std::size_t N>
constexpr dual<T, N> abs2(const dual<T, N>& x) {
    return x * x;
}
template <class T, std::size_t N>
constexpr const dual<T, N>& conj(const dual<T, N>& x) {
    return x;
}
template <class T, std::size_t N>
constexpr const dual<T, N>& real(const dual<T, N>& x) {
    return x;
}
template <class T, std::size_t N>
constexpr dual<T, N> imag(const dual<T, N>&) {
    return dual<T, N>{};
}
} // namespace tapeless

namespace Eigen {
template <class T, std::size_t N>
struct NumTraits<tapeless::dual<T, N>> : NumTraits<T> {
    using Real = tapeless::dual<T, N>;
    using NonInteger = Real;
    using Nested = Real;
    using Literal = Real;
    enum {
        IsComplex = 0,
        IsInteger = 0,
        IsSigned = 1,
        RequireInitialization = 1,
        ReadCost = static_cast<int>(N) + 1,
        AddCost = static_cast<int>(N) + 1,
        MulCost = 2 * static_cast<int>(N) + 1
    };
    static inline Real epsilon() { return Real(NumTraits<T>::epsilon()); }
    static inline Real dummy_precision() { return Real(NumTraits<T>::dummy_precision()); }
    static inline Real highest() { return Real(NumTraits<T>::highest()); }
    static inline Real lowest() { return Real(NumTraits<T>::lowest()); }
    static inline int digits10() { return NumTraits<T>::digits10(); }
};
// dual op T and T op dual give dual.
template <class T, std::size_t N, class BinaryOp>
struct ScalarBinaryOpTraits<tapeless::dual<T, N>, T, BinaryOp> {
    using ReturnType = tapeless::dual<T, N>;
};
template <class T, std::size_t N, class BinaryOp>
struct ScalarBinaryOpTraits<T, tapeless::dual<T, N>, BinaryOp> {
    using ReturnType = tapeless::dual<T, N>;
};
} // namespace Eigen

#endif
#endif
