// tapeless::dual as an Eigen scalar: matrix products, norms and a linear solve carry tangents,
// checked against the derivatives worked out by hand.
#include <tapeless/adapters/eigen.hpp>

#include <cmath>

#include <Eigen/Dense>
#include <boost/test/unit_test.hpp>

namespace tl = tapeless;
using boost::test_tools::tolerance;

BOOST_AUTO_TEST_SUITE(eigen_dual)

BOOST_AUTO_TEST_CASE(products_norms_and_solves) {
    using D = tl::dual<double, 3>;
    Eigen::Matrix<D, 3, 1> v;
    v << D::seed(1.0, 0), D::seed(2.0, 1), D::seed(3.0, 2);
    Eigen::Matrix<double, 3, 3> A0;
    A0 << 2, 1, 0, 1, 3, 1, 0, 1, 4;
    const Eigen::Matrix<D, 3, 3> A = A0.cast<D>();

    // ‖A v‖ has gradient Aᵀ A v / ‖A v‖
    const D n = (A * v).norm();
    const Eigen::Vector3d v0(1, 2, 3);
    const Eigen::Vector3d w0 = A0 * v0;
    const Eigen::Vector3d want = A0.transpose() * w0 / w0.norm();
    BOOST_TEST(n.v == w0.norm(), tolerance(1e-15));
    for (int i = 0; i < 3; ++i)
        BOOST_TEST(n.d[static_cast<std::size_t>(i)] == want(i), tolerance(1e-14));

    // x = A⁻¹ v has Jacobian A⁻¹
    const Eigen::Matrix<D, 3, 1> x = A.lu().solve(v);
    const Eigen::Matrix3d inv = A0.inverse();
    for (int i = 0; i < 3; ++i) {
        BOOST_TEST(x(i).v == (inv * v0)(i), tolerance(1e-14));
        for (int j = 0; j < 3; ++j)
            BOOST_TEST(x(i).d[static_cast<std::size_t>(j)] == inv(i, j), tolerance(1e-14));
    }

    // mixed scalar types: 2.0 * vᵀ A v has gradient 2 (A + Aᵀ) v
    const D s = (A * v).dot(v) * 2.0;
    const Eigen::Vector3d gs = 2.0 * (A0 + A0.transpose()) * v0;
    for (int i = 0; i < 3; ++i)
        BOOST_TEST(s.d[static_cast<std::size_t>(i)] == gs(i), tolerance(1e-14));
}

BOOST_AUTO_TEST_SUITE_END()
