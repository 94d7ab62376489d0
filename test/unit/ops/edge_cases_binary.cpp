// The edge-case table, docs/edge-cases.md: its binary rows in every mode and its reductions in the
// first-order modes (unary rows and the coverage of include/tapeless/ops/: edge_cases.cpp).

#include <tapeless/tapeless.hpp>

#include <array>
#include <string>

#include <boost/test/unit_test.hpp>

#include "support/edge_catalogue.hpp"
#include "support/edge_checks.hpp"

namespace tl = tapeless;
namespace edge = tapeless_test::edge;

BOOST_AUTO_TEST_SUITE(edge_cases_binary)

namespace {
template <class Make>
auto binary(Make make) {
    return [make](const edge::row& r) {
        auto [x, z] = tl::variables<"x", "z">();
        edge::check_binary(make(x, z), x, z, r);
    };
}
template <class Make>
auto reduction(Make make) {
    return [make](const edge::row& r) {
        auto x = tl::variable<0, tl::vector<2>, "x">;
        edge::check_reduction(make(x), r);
    };
}
} // namespace

BOOST_AUTO_TEST_CASE(binary_rows) {
    // every binary operation of the catalogue under its rows' name (add: `+`, pow: `pow`, ...)
    edge::registry ops;
    edge::add_catalogue_operations<2>(ops, [](auto t) {
        using Op = typename decltype(t)::type;
        return binary([](auto a, auto b) { return tl::call_op<Op>(a, b); });
    });
    edge::check_rows(ops, 9);
}

BOOST_AUTO_TEST_CASE(reduction_rows) {
    const std::array c{2.0, 3.0}, t{1.0, 0.0};
    const edge::registry ops{
        {"sum", reduction([](auto x) { return sum(x); })},
        {"mean", reduction([](auto x) { return mean(x); })},
        {"dot(x, [2, 3])", reduction([c](auto x) { return dot(x, c); })},
        {"log_sum_exp", reduction([](auto x) { return log_sum_exp(x); })},
        {"dot(softmax(x), [1, 0])", reduction([t](auto x) { return dot(softmax(x), t); })},
        {"mse(x, [1, 0])", reduction([t](auto x) { return mse(x, t); })},
        {"binary_cross_entropy_with_logits(x, [1, 0])",
         reduction([t](auto x) { return binary_cross_entropy_with_logits(x, t); })},
        {"softmax_cross_entropy(x, [1, 0])",
         reduction([t](auto x) { return softmax_cross_entropy(x, t); })},
    };
    edge::check_rows(ops, 4);
}

BOOST_AUTO_TEST_SUITE_END()
