// The checks of the edge-case table (docs/edge-cases.md) in every mode, shared by
// test/unit/ops/edge_cases.cpp (unary operations) and test/unit/ops/edge_cases_binary.cpp (binary
// operations and reductions).
#ifndef TAPELESS_TEST_SUPPORT_EDGE_CHECKS_HPP
#define TAPELESS_TEST_SUPPORT_EDGE_CHECKS_HPP

#include <tapeless/tapeless.hpp>

#include <array>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "support/edge_table.hpp"
#include "support/leading_inputs.hpp"

namespace tapeless_test::edge {

namespace tl = tapeless;

inline const std::vector<row>& table() {
    static const std::vector<row> rows = read_rows(TAPELESS_EDGE_CASES_TABLE);
    return rows;
}

// One comparison, reported with the table's line, the mode and both numbers.
inline void check(const row& r, const std::string& what, const std::string& mode, const entry& e,
                  double got) {
    const expected& want = e.in(mode);
    BOOST_CHECK_MESSAGE(matches(got, want),
                        "docs/edge-cases.md:" << r.line << ": `" << r.op << "` " << what
                                              << " in mode " << mode << ": got " << show(got)
                                              << ", the table says " << want.text);
}

// A unary row | `op` | x | f | f' | f'' | note | in every mode.
template <class F, class X>
void check_unary(const F& f, const X& x, const row& r) {
    BOOST_REQUIRE_MESSAGE(r.cells.size() == 5,
                          "docs/edge-cases.md:" << r.line << ": a unary row has 6 cells");
    const double at = evaluate(r.cells[0]);
    const entry v = parse_entry(r.cells[1], at), d1 = parse_entry(r.cells[2], at),
                d2 = parse_entry(r.cells[3], at);
    const std::string where = "at x = " + r.cells[0] + ":";
    const std::array p{at};
    const std::array one{1.0};
    check(r, where + " f", "value", v, tl::value(f, p));
    check(r, where + " f'", "reverse", d1, tl::gradient(f, p)[0]);
    check(r, where + " f'", "forward", d1, tl::gradient(f, p, tl::forward_mode)[0]);
    check(r, where + " f'", "jvp", d1, tl::jvp(f, p, one));
    check(r, where + " f'", "symbolic", d1, value_at(tl::derivative(f, x), p));
    check(r, where + " f''", "symbolic", d2, value_at(tl::derivative<2>(f, x), p));
    const auto c = tl::taylor_coefficients<2>(f, p, one);
    check(r, where + " f", "taylor", v, c[0]);
    check(r, where + " f'", "taylor", d1, c[1]);
    check(r, where + " f''", "taylor", d2, 2 * c[2]);
    check(r, where + " f''", "hvp", d2, tl::hvp(f, p, one)[0]);
    check(r, where + " f''", "hessian", d2, tl::hessian(f, p)[0][0]);
}

// A binary row | `op` | a | b | f | ∂a | ∂b | ∂aa | ∂ab | ∂bb | note | in every mode; ∂ab is
// d/db (∂f/∂a), as tl::derivative(tl::derivative(f, a), b), the a-row of H e_b and H[0][1].
template <class F, class X, class Z>
void check_binary(const F& f, const X& x, const Z& z, const row& r) {
    BOOST_REQUIRE_MESSAGE(r.cells.size() == 9,
                          "docs/edge-cases.md:" << r.line << ": a binary row has 10 cells");
    const double a = evaluate(r.cells[0]), b = evaluate(r.cells[1]);
    std::vector<entry> e;
    for (std::size_t i = 2; i < 8; ++i) e.push_back(parse_entry(r.cells[i]));
    const entry &v = e[0], &da = e[1], &db = e[2], &daa = e[3], &dab = e[4], &dbb = e[5];
    const std::string where = "at (" + r.cells[0] + ", " + r.cells[1] + "):";
    const std::array p{a, b};
    const std::array ea{1.0, 0.0}, eb{0.0, 1.0};
    check(r, where + " f", "value", v, tl::value(f, p));
    const auto gr = tl::gradient(f, p);
    check(r, where + " df/da", "reverse", da, gr[0]);
    check(r, where + " df/db", "reverse", db, gr[1]);
    const auto gf = tl::gradient(f, p, tl::forward_mode);
    check(r, where + " df/da", "forward", da, gf[0]);
    check(r, where + " df/db", "forward", db, gf[1]);
    check(r, where + " df/da", "jvp", da, tl::jvp(f, p, ea));
    check(r, where + " df/db", "jvp", db, tl::jvp(f, p, eb));
    const auto fx = tl::derivative(f, x);
    const auto fz = tl::derivative(f, z);
    check(r, where + " df/da", "symbolic", da, value_at(fx, p));
    check(r, where + " df/db", "symbolic", db, value_at(fz, p));
    check(r, where + " d2f/da2", "symbolic", daa, value_at(tl::derivative(fx, x), p));
    check(r, where + " d2f/dadb", "symbolic", dab, value_at(tl::derivative(fx, z), p));
    check(r, where + " d2f/db2", "symbolic", dbb, value_at(tl::derivative(fz, z), p));
    const auto ca = tl::taylor_coefficients<2>(f, p, ea);
    const auto cb = tl::taylor_coefficients<2>(f, p, eb);
    check(r, where + " f", "taylor", v, ca[0]);
    check(r, where + " df/da", "taylor", da, ca[1]);
    check(r, where + " df/db", "taylor", db, cb[1]);
    check(r, where + " d2f/da2", "taylor", daa, 2 * ca[2]);
    check(r, where + " d2f/db2", "taylor", dbb, 2 * cb[2]);
    const auto ha = tl::hvp(f, p, ea), hb = tl::hvp(f, p, eb);
    check(r, where + " d2f/da2", "hvp", daa, ha[0]);
    // the mixed partial as the symbolic mode takes it, d/db (df/da): the a-component of H e_b
    check(r, where + " d2f/dadb", "hvp", dab, hb[0]);
    check(r, where + " d2f/db2", "hvp", dbb, hb[1]);
    const auto H = tl::hessian(f, p);
    check(r, where + " d2f/da2", "hessian", daa, H[0][0]);
    check(r, where + " d2f/dadb", "hessian", dab, H[0][1]);
    check(r, where + " d2f/db2", "hessian", dbb, H[1][1]);
}

// A reduction row | `op` | x | f | ∇f | note | (x of two elements) in the first-order modes.
template <class F>
void check_reduction(const F& f, const row& r) {
    BOOST_REQUIRE_MESSAGE(r.cells.size() == 4,
                          "docs/edge-cases.md:" << r.line << ": a reduction row has 5 cells");
    const auto xs = split_commas(r.cells[0]);
    const auto gs = split_commas(r.cells[2]);
    BOOST_REQUIRE_MESSAGE(xs.size() == 2 && gs.size() == 2,
                          "docs/edge-cases.md:" << r.line
                                                << ": x and the gradient have two elements");
    const std::array p{evaluate(xs[0]), evaluate(xs[1])};
    const entry v = parse_entry(r.cells[1]);
    const entry g0 = parse_entry(gs[0]), g1 = parse_entry(gs[1]);
    const std::string where = "at x = (" + r.cells[0] + "):";
    const std::array ea{1.0, 0.0}, eb{0.0, 1.0};
    check(r, where + " f", "value", v, tl::value(f, p));
    const auto gr = tl::gradient(f, p);
    check(r, where + " df/dx0", "reverse", g0, gr[0]);
    check(r, where + " df/dx1", "reverse", g1, gr[1]);
    const auto gf = tl::gradient(f, p, tl::forward_mode);
    check(r, where + " df/dx0", "forward", g0, gf[0]);
    check(r, where + " df/dx1", "forward", g1, gf[1]);
    check(r, where + " df/dx0", "jvp", g0, tl::jvp(f, p, ea));
    check(r, where + " df/dx1", "jvp", g1, tl::jvp(f, p, eb));
}

// The operations of a kind of row: table name -> the check of one row.
using registry = std::map<std::string, std::function<void(const row&)>>;

// Every registered operation has rows of this kind, and every row of this kind (by cell count) is
// a registered operation.
inline void check_rows(const registry& ops, std::size_t cell_count) {
    std::set<std::string> seen;
    for (const row& r : table()) {
        if (r.cells.size() != cell_count) continue;
        auto it = ops.find(r.op);
        BOOST_CHECK_MESSAGE(it != ops.end(),
                            "docs/edge-cases.md:" << r.line << ": no test knows `" << r.op << "`");
        if (it == ops.end()) continue;
        seen.insert(r.op);
        BOOST_TEST_CONTEXT("docs/edge-cases.md:" << r.line) {
            it->second(r);
        }
    }
    for (const auto& [name, run] : ops)
        BOOST_CHECK_MESSAGE(seen.count(name) == 1,
                            "docs/edge-cases.md has no rows for `" << name << "`");
}

} // namespace tapeless_test::edge

#endif
