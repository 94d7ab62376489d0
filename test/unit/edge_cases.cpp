// The edge-case table, docs/edge-cases.md: its unary rows in every mode, and that every operation
// of include/tapeless/ops/ has rows (binary operations and reductions: edge_cases_binary.cpp).

#include <tapeless/ops/catalogue.hpp>
#include <tapeless/tapeless.hpp>

#include <set>
#include <string>

#include <boost/hana/for_each.hpp>
#include <boost/test/unit_test.hpp>

#include "support/edge_checks.hpp"

namespace tl = tapeless;
namespace edge = tapeless_test::edge;
using namespace tl::literals;

BOOST_AUTO_TEST_SUITE(edge_cases)

namespace {
template <class Make>
auto unary(Make make) {
    return [make](const edge::row& r) {
        auto [x] = tl::variables<"x">();
        edge::check_unary(make(x), x, r);
    };
}
} // namespace

BOOST_AUTO_TEST_CASE(unary_rows) {
    const edge::registry ops{
        {"-x", unary([](auto x) { return -x; })},
        {"square", unary([](auto x) { return square(x); })},
        {"pow(x, 3_c)", unary([](auto x) { return pow(x, 3_c); })},
        {"pow(x, -1_c)", unary([](auto x) { return pow(x, -1_c); })},
        {"pow(x, 2.0)", unary([](auto x) { return pow(x, 2.0); })},
        {"pow(x, 0.5)", unary([](auto x) { return pow(x, 0.5); })},
        {"sqrt", unary([](auto x) { return sqrt(x); })},
        {"cbrt", unary([](auto x) { return cbrt(x); })},
        {"exp", unary([](auto x) { return exp(x); })},
        {"log", unary([](auto x) { return log(x); })},
        {"log1p", unary([](auto x) { return log1p(x); })},
        {"expm1", unary([](auto x) { return expm1(x); })},
        {"sin", unary([](auto x) { return sin(x); })},
        {"cos", unary([](auto x) { return cos(x); })},
        {"tan", unary([](auto x) { return tan(x); })},
        {"asin", unary([](auto x) { return asin(x); })},
        {"acos", unary([](auto x) { return acos(x); })},
        {"atan", unary([](auto x) { return atan(x); })},
        {"sinh", unary([](auto x) { return sinh(x); })},
        {"cosh", unary([](auto x) { return cosh(x); })},
        {"tanh", unary([](auto x) { return tanh(x); })},
        {"sigmoid", unary([](auto x) { return sigmoid(x); })},
        {"softplus", unary([](auto x) { return softplus(x); })},
        {"relu", unary([](auto x) { return relu(x); })},
        {"abs", unary([](auto x) { return abs(x); })},
        {"sign", unary([](auto x) { return sign(x); })},
    };
    edge::check_rows(ops, 5);
}

// Every operation of the catalogue (ops/catalogue.hpp) has rows in the table, under the name its
// struct gives (`edge_rows`, else its name); only an array operation may have none of its own
// (slices, products, copies: their edges are those of + and ×). test/unit/catalogue.cpp checks
// that the catalogue lists every operation struct of include/tapeless/ops/.
BOOST_AUTO_TEST_CASE(every_operation_has_rows) {
    std::set<std::string> ops_in_table;
    for (const auto& r : edge::table()) ops_in_table.insert(r.op);
    int visited = 0;
    boost::hana::for_each(tl::op::catalogue, [&](auto t) {
        using Op = typename decltype(t)::type;
        const std::string rows{tl::op::edge_rows_of<Op>()};
        ++visited;
        if (rows.empty())
            BOOST_CHECK_MESSAGE(!tl::UnaryElementwise<Op> && !tl::BinaryElementwise<Op>,
                                "op::" << Op::name << " is elementwise and has no rows in docs/edge-cases.md");
        else
            BOOST_CHECK_MESSAGE(ops_in_table.count(rows) == 1,
                                "op::" << Op::name << ": docs/edge-cases.md has no rows for `" << rows << "`");
    });
    BOOST_TEST(visited >= 40);
}

BOOST_AUTO_TEST_SUITE_END()
