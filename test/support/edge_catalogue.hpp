// test/support/edge_catalogue.hpp — the elementwise operations of the catalogue (ops/catalogue.hpp)
// as entries of an edge-case registry (edge_checks.hpp): every unary or binary elementwise
// operation with rows of its own, under the first column of its rows (`edge_rows`, else its name),
// built as tl::call_op<Op>(x) or tl::call_op<Op>(a, b). A new operation is checked against its
// rows without a line here; one whose rows are missing fails check_rows.
#ifndef TAPELESS_TEST_SUPPORT_EDGE_CATALOGUE_HPP
#define TAPELESS_TEST_SUPPORT_EDGE_CATALOGUE_HPP

#include <tapeless/ops/catalogue.hpp>

#include <string>

#include <boost/hana/for_each.hpp>

#include "edge_checks.hpp"

namespace tapeless_test::edge {

// Adds to `ops`, for each elementwise operation Op of the catalogue with `Arity` operands and no
// `covered_by`, the entry edge_rows_of<Op>() -> check(hana::type_c<Op>).
template <std::size_t Arity, class Check>
void add_catalogue_operations(registry& ops, Check check) {
    boost::hana::for_each(tapeless::op::catalogue, [&](auto t) {
        using Op = typename decltype(t)::type;
        constexpr bool fits =
            Arity == 1 ? tapeless::UnaryElementwise<Op> : tapeless::BinaryElementwise<Op>;
        if constexpr (fits && !requires { Op::covered_by; })
            ops.emplace(std::string(tapeless::op::edge_rows_of<Op>()), check(t));
    });
}

} // namespace tapeless_test::edge

#endif
