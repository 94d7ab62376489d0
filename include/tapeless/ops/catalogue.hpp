// tapeless/ops/catalogue.hpp — every operation of ops/, in one list.
//
// `tl::op::catalogue` is a Boost.Hana tuple of the operation types (`hana::type<op::sin>`, ...):
// the one place that says which operations exist. What the modes need to know about an operation
// is declared on its struct (cheap, linear, singular, work, transcendental_derivative; see
// docs/adding-an-op.md); the catalogue only lists them, so that a test, a generator or a user can
// visit every one:
//
//     boost::hana::for_each(tl::op::catalogue, [](auto t) {
//         using Op = typename decltype(t)::type;
//         std::cout << Op::name << ": " << Op::domain << '\n';
//     });
//
// The test suite reads it (test/unit/ops/catalogue.cpp checks that every operation struct of ops/
// is listed here, and test/unit/ops/edge_cases.cpp that each has rows in docs/edge-cases.md), and
// so does the program that writes the list the Python generators read (scripts/catalogue.cpp). An
// operation template appears as one instance (powi<3>, slice<0, 1>, element<0>, atan_derivative<1>,
// erf_derivative<1>, polygamma<0>): its name, flags and rows are those of every instance.
//
// A short heterogeneous list is what Hana serves well; the graph itself stays a value-level DAG
// (graph/dag.hpp), since Hana over a whole expression graph is what ran out of memory. The header
// is not included by <tapeless/tapeless.hpp>, so programs that do not visit the operations do not
// pay for Hana's headers.
#ifndef TAPELESS_OPS_CATALOGUE_HPP
#define TAPELESS_OPS_CATALOGUE_HPP

#include <string_view>

#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>

#include "activation.hpp"
#include "arithmetic.hpp"
#include "exp_log.hpp"
#include "hyperbolic.hpp"
#include "hypot.hpp"
#include "linalg.hpp"
#include "loss.hpp"
#include "piecewise.hpp"
#include "power.hpp"
#include "reduce.hpp"
#include "rows.hpp"
#include "softmax.hpp"
#include "special.hpp"
#include "trig.hpp"

namespace tapeless::op {

inline constexpr auto catalogue = boost::hana::tuple_t<
    // arithmetic.hpp
    add, sub, mul, div, neg,
    // power.hpp
    sqrt, cbrt, square, powi<3>, pow,
    // exp_log.hpp
    exp, log, log1p, expm1,
    // trig.hpp
    sin, cos, tan, asin, acos, atan, atan_derivative<1>, atan2, atan2_partial<1, 0>,
    // hyperbolic.hpp
    sinh, cosh, tanh,
    // hypot.hpp
    hypot, hypot_partial<1, 0>,
    // special.hpp
    erf, erf_derivative<1>, lgamma, polygamma<0>,
    // activation.hpp
    sigmoid, softplus,
    // piecewise.hpp
    sign, positive, greater_equal, abs, relu, min, max,
    // reduce.hpp
    sum, mean, dot,
    // softmax.hpp
    log_sum_exp, softmax,
    // linalg.hpp
    slice<0, 1>, element<0>, transpose, matvec, matmul, add_rowwise, concat,
    // loss.hpp
    mse, binary_cross_entropy_with_logits, softmax_cross_entropy,
    // rows.hpp (run-time rows only)
    drop_front<1>, drop_back<1>, gather>;

// The first column of an operation's rows in docs/edge-cases.md: `edge_rows` where the operation
// says (`+` for add, `pow(x, 3_c)` for powi, empty for an array operation whose edges are those of
// + and ×), else its name. An operation that is only ever reached through another's derivative
// (`positive` through relu, `polygamma<N>` through lgamma) says `covered_by`: the operation whose
// rows exercise it.
TAPELESS_OP_MEMBER_OR(edge_rows_of, edge_rows, std::string_view, Op::name)
TAPELESS_OP_MEMBER_OR(covered_by_of, covered_by, std::string_view, std::string_view{})

} // namespace tapeless::op

#endif
