// The edge-case table, docs/edge-cases.md: its unary rows in every mode, and that every operation
// of include/tapeless/ops/ has rows (binary operations and reductions: edge_cases_binary.cpp).

#include <tapeless/ops/catalogue.hpp>
#include <tapeless/tapeless.hpp>

#include <cmath>
#include <set>
#include <string>

#include <boost/hana/for_each.hpp>
#include <boost/test/unit_test.hpp>

#include "support/edge_catalogue.hpp"
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
    // rows of expressions rather than operations: pow with other exponents
    edge::registry ops{
        {"pow(x, -1_c)", unary([](auto x) { return pow(x, -1_c); })},
        {"pow(x, 2.0)", unary([](auto x) { return pow(x, 2.0); })},
        {"pow(x, 0.5)", unary([](auto x) { return pow(x, 0.5); })},
    };
    // and every unary operation of the catalogue under its rows' name (neg: `-x`, powi<3>:
    // `pow(x, 3_c)`, sqrt: `sqrt`, ...)
    edge::add_catalogue_operations<1>(ops, [](auto t) {
        using Op = typename decltype(t)::type;
        return unary([](auto x) { return tl::call_op<Op>(x); });
    });
    edge::check_rows(ops, 5);
}

// Every operation of the catalogue (ops/catalogue.hpp) has rows in the table, under the name its
// struct gives (`edge_rows`, else its name); only an array operation may have none of its own
// (slices, products, copies: their edges are those of + and ×). test/unit/ops/catalogue.cpp checks
// that the catalogue lists every operation struct of include/tapeless/ops/.
BOOST_AUTO_TEST_CASE(every_operation_has_rows) {
    std::set<std::string> ops_in_table;
    for (const auto& r : edge::table()) ops_in_table.insert(r.op);
    int visited = 0;
    boost::hana::for_each(tl::op::catalogue, [&](auto t) {
        using Op = typename decltype(t)::type;
        const std::string rows{tl::op::edge_rows_of<Op>()};
        const std::string covered_by{tl::op::covered_by_of<Op>()};
        ++visited;
        if (!covered_by.empty())
            BOOST_CHECK_MESSAGE(ops_in_table.count(covered_by) == 1,
                                "op::" << Op::name << " is covered by the rows of `" << covered_by
                                       << "`, which docs/edge-cases.md does not have");
        else if (rows.empty())
            BOOST_CHECK_MESSAGE(!tl::UnaryElementwise<Op> && !tl::BinaryElementwise<Op>,
                                "op::" << Op::name
                                       << " is elementwise and has no rows in docs/edge-cases.md");
        else
            BOOST_CHECK_MESSAGE(ops_in_table.count(rows) == 1,
                                "op::" << Op::name << ": docs/edge-cases.md has no rows for `"
                                       << rows << "`");
    });
    BOOST_TEST(visited >= 40);
}

// No entry of the table is NaN in one mode where the row's value for every other mode is a number
// (docs/edge-cases.md, "Trade-offs": the last were atan2's and hypot's second partials at big and
// infinite operands). An exception to a number may be another number (Taylor's c₂ of a denormal
// f″, say), never NaN. The rows themselves are checked in every mode by unary_rows and
// edge_cases_binary.cpp, so the table cannot claim what the modes do not do.
BOOST_AUTO_TEST_CASE(no_mode_is_nan_where_the_others_give_a_number) {
    int entries = 0;
    for (const auto& r : edge::table()) {
        for (std::size_t i = 0; i + 1 < r.cells.size(); ++i) { // the last cell is the note
            const std::string& cell = r.cells[i];
            if (cell.find(" (") == std::string::npos || cell.find(':') == std::string::npos)
                continue;
            for (const std::string& part : edge::split_commas(cell)) { // a gradient's components
                const edge::entry e = edge::parse_entry(part);
                ++entries;
                const bool number = e.all.any_zero || !std::isnan(e.all.value);
                for (const auto& [mode, v] : e.by_mode)
                    BOOST_CHECK_MESSAGE(!number || v.any_zero || !std::isnan(v.value),
                                        "docs/edge-cases.md:"
                                            << r.line << ": `" << r.op << "` is nan in mode "
                                            << mode << " where the others give " << e.all.text);
            }
        }
    }
    BOOST_TEST(entries > 0); // the table has exceptions to read
}

BOOST_AUTO_TEST_SUITE_END()
