// tapeless::dual as an Eigen scalar: matrix products, norms and a linear solve carry tangents,
// checked against the derivatives worked out by hand; Eigen vectors as inputs of run-time rows.
#include <tapeless/adapters/eigen.hpp>
#include <tapeless/tapeless.hpp>

#include <cmath>
#include <span>
#include <vector>

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

// Eigen vectors and Maps as inputs of run-time rows (modes/rows.hpp): read where they are, the
// same numbers as std::vector inputs; a strided Map is not accepted (not contiguous).
BOOST_AUTO_TEST_SUITE(eigen_inputs)

BOOST_AUTO_TEST_CASE(vectors_and_maps_of_run_time_rows) {
    const auto x = tl::variable<0, tl::vector<tl::dynamic>, "x">;
    const auto i = tl::indices<1, "i">;
    const auto [a] = tl::variables_after<decltype(x + i), "a">();
    const auto g = tl::sum(tl::pow<2>(tl::gather(x, i) - a) * exp(a * tl::gather(x, i)));
    const std::vector<double> xs{0.5, -1.0, 2.0, 0.25};
    const std::vector<int> is{3, 0, 0, 2};
    Eigen::VectorXd ex(4);
    ex << 0.5, -1.0, 2.0, 0.25;
    Eigen::VectorXi ei(4);
    ei << 3, 0, 0, 2;
    const Eigen::Map<const Eigen::VectorXd> mx(xs.data(), 4);
    const double want = tl::value(g, xs, is, 0.3);
    BOOST_TEST(tl::value(g, ex, ei, 0.3) == want);
    BOOST_TEST(tl::value(g, mx, is, 0.3) == want);
    const auto [gx, gi, ga] = tl::gradient(g, xs, is, 0.3);
    const auto [ex_grad, ei_grad, ea] = tl::gradient(g, ex, ei, 0.3);
    BOOST_TEST(ex_grad.size() == 4u);
    for (std::size_t k = 0; k < 4; ++k) BOOST_TEST(ex_grad[k] == gx[k]);
    BOOST_TEST(ea == ga);
    Eigen::VectorXd out(5);
    const double v = tl::gradient_into(std::span<double>(out.data(), 5), g, mx, ei, 0.3);
    BOOST_TEST(v == want);
    for (std::size_t k = 0; k < 4; ++k) BOOST_TEST(out(static_cast<Eigen::Index>(k)) == gx[k]);
    BOOST_TEST(out(4) == ga);
    static_assert(!tl::detail::run_time_arg<
                  Eigen::Map<const Eigen::VectorXd, 0, Eigen::InnerStride<2>>>::valid);
    static_assert(!tl::detail::run_time_arg<Eigen::MatrixXd>::valid);
}

BOOST_AUTO_TEST_SUITE_END()
