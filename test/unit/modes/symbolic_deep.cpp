// tl::derivative of a deep expression: sin applied 250 times. The derivative is built node by node
// in the DAG's topological order, so the compiler's template recursion stays shallow (building it
// by plain recursion from the root exceeds g++'s default instantiation depth of 900 here). Its
// value is checked against reverse and forward mode (relative 1e-12).
#include <tapeless/modes/symbolic.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>

#include <boost/test/unit_test.hpp>

namespace tl = tapeless;

namespace {
template <int N, class E>
auto nest(const E& e) {
    if constexpr (N == 0)
        return e;
    else
        return nest<N - 1>(sin(e));
}
} // namespace

BOOST_AUTO_TEST_SUITE(symbolic_deep)

BOOST_AUTO_TEST_CASE(derivative_of_a_250_level_chain) {
    const auto x = tl::variable<0, tl::scalar, "x">;
    const auto f = nest<250>(x);
    const auto d = tl::derivative(f, x);
    static_assert(tl::graph::dag_of<tl::node_of<decltype(f)>>.size == 251);
    for (double at : {0.3, -1.2, 2.0}) {
        const std::array p{at};
        const double got = tl::value(d, p);
        const double rev = tl::gradient(f, p)[0];
        const double fwd = tl::gradient(f, p, tl::forward_mode)[0];
        BOOST_TEST(std::fabs(got - rev) <= 1e-12 * std::fabs(rev), got << " vs reverse " << rev);
        BOOST_TEST(std::fabs(got - fwd) <= 1e-12 * std::fabs(fwd), got << " vs forward " << fwd);
    }
}

BOOST_AUTO_TEST_SUITE_END()
