// tapeless/io/to_dot.hpp — tl::to_dot(f, inputs...): the computation graph in Graphviz DOT.
//
//   std::ofstream("f.dot") << tl::to_dot(f, std::array{2.0, 3.0});
//   dot -Tpng f.dot -o f.png
//
// One box per unique node of the DAG (a shared subexpression is one box, with an edge to each of
// its uses), following the convention of the course's lecture on differentiation (README, Sources):
// the operation inside the box, the variable's name outside it. Inputs are named as tl::to_string
// names them (your names, else x0, x1, ...); intermediate nodes are named t1, t2, ... in the order
// they are computed, and the output y (drawn with a double border). Each box also shows the node's
// forward value and, for a scalar f, its adjoint ∂y/∂node from one reverse sweep (nodes that depend
// on no variable have no adjoint). Edges run from operands to the operations that use them, inputs
// on the left.
#ifndef TAPELESS_IO_TO_DOT_HPP
#define TAPELESS_IO_TO_DOT_HPP

#include <array>
#include <cstddef>
#include <cstdio>
#include <string>
#include <utility>

#include "../graph/dag.hpp"
#include "../graph/reverse.hpp"
#include "../graph/sweep.hpp"
#include "../modes/value.hpp"
#include "to_string.hpp"

namespace tapeless {

struct dot_options {
    int digits = 6;               // significant digits of values and adjoints
    std::size_t max_elements = 6; // arrays with more elements show their shape only
};

namespace detail::io {

// What is written inside a node's box: the operation (its symbol or name), or the leaf itself.
template <class N>
struct dot_inside;
template <std::size_t I, class S, name Nm, bool A>
struct dot_inside<var<I, S, Nm, A>> {
    static std::string print(const double*) {
        std::string s = printer<var<I, S, Nm, A>>::print(nullptr, nullptr).s;
        if constexpr (S::rank > 0) s += " : " + shape_name<S>();
        return s;
    }
};
template <rational R>
struct dot_inside<lit<R>> {
    static std::string print(const double*) { return rational_text(R); }
};
template <std::size_t O, class S>
struct dot_inside<cst<O, S>> {
    static std::string print(const double* c) { return printer<cst<O, S>>::print(nullptr, c).s; }
};
template <class Op, class... Cs>
struct dot_inside<node<Op, Cs...>> {
    static std::string print(const double*) {
        if constexpr (requires { Op::symbol; }) {
            return std::string(Op::symbol);
        } else if constexpr (requires { Op::exponent; }) {
            return "^" + std::to_string(Op::exponent);
        } else {
            return std::string(Op::name) + template_arguments<Op>();
        }
    }
};

inline std::string dot_number(long double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*Lg", digits, v);
    return buf;
}

// The elements of a node: a number, [a, b, c], or its shape when long.
template <class T>
std::string dot_elements(const T* v, std::size_t n, const node_info& info, const dot_options& opt) {
    if (info.rank == 0) return dot_number(static_cast<long double>(v[0]), opt.digits);
    if (n > opt.max_elements)
        return info.rank == 1
                   ? "vector<" + std::to_string(info.rows) + ">"
                   : "matrix<" + std::to_string(info.rows) + ", " + std::to_string(info.cols) + ">";
    std::string s = "[";
    for (std::size_t i = 0; i < n; ++i)
        s += (i ? ", " : "") + dot_number(static_cast<long double>(v[i]), opt.digits);
    return s + "]";
}

// DOT string literal contents: quotes and backslashes escaped.
inline std::string dot_escape(const std::string& s) {
    std::string r;
    for (char c : s) {
        if (c == '"' || c == '\\') r += '\\';
        r += c;
    }
    return r;
}

template <class Root, class T, bool Flat, class... Args>
std::string to_dot_impl(const double* constants, const dot_options& opt, const Args&... args) {
    constexpr const auto& g = graph::dag_of<Root>;
    constexpr std::size_t slots = graph::slot_count<Root>;
    constexpr bool scalar_output = Root::shape::rank == 0;
    const detail::input_values<T, Args...> in(args...);
    const auto ptrs = in.template pointers<Flat, slots>();
    detail::node_storage<T, g.storage> values, adjoints;
    graph::forward_values<Root>(values.data(), graph::sweep_context<T>{ptrs.data(), constants});
    if constexpr (scalar_output) {
        detail::zero_fill(adjoints.data(), g.storage);
        adjoints.data()[g.offset[0]] = static_cast<T>(1);
        graph::reverse_adjoints<Root>(values.data(), adjoints.data());
    }
    const auto insides = printers<dot_inside, Root>();

    // Names: inputs as to_string prints them, operations t1, t2, ... in computing order, root y.
    std::array<std::string, g.size> names{};
    std::size_t next = 1;
    for (std::size_t k = 0; k < g.size; ++k) {
        const std::size_t d = g.order[k];
        const node_kind kind = g.info[d]->kind;
        if (d == 0 && kind == node_kind::operation)
            names[d] = "y";
        else if (kind == node_kind::variable)
            names[d] = insides[d](constants);
        else if (kind == node_kind::operation)
            names[d] = "t" + std::to_string(next++);
    }
    for (std::size_t d = 0; d < g.size; ++d)
        if (g.info[d]->kind == node_kind::variable) {
            const auto colon = names[d].find(" : ");
            if (colon != std::string::npos) names[d].resize(colon);
        }

    std::string out = "digraph tapeless {\n"
                      "  rankdir=LR;\n"
                      "  forcelabels=true;\n"
                      "  node [shape=box, fontname=\"Helvetica\"];\n"
                      "  edge [arrowsize=0.7];\n";
    for (std::size_t k = 0; k < g.size; ++k) {
        const std::size_t d = g.order[k];
        const node_info& info = *g.info[d];
        std::string label = insides[d](constants);
        if (info.kind == node_kind::operation || info.kind == node_kind::variable)
            label += "\\nvalue " + dot_escape(dot_elements(values.data() + g.offset[d],
                                                           g.elements[d], info, opt));
        if (scalar_output && info.active)
            label += "\\nadjoint " + dot_escape(dot_elements(adjoints.data() + g.offset[d],
                                                             g.elements[d], info, opt));
        out += "  n" + std::to_string(d) + " [label=\"" + label + "\"";
        if (!names[d].empty()) out += ", xlabel=\"" + dot_escape(names[d]) + "\"";
        if (d == 0) out += ", peripheries=2";
        if (info.kind == node_kind::literal || info.kind == node_kind::constant)
            out += ", style=dashed";
        out += "];\n";
    }
    for (std::size_t k = 0; k < g.size; ++k) {
        const std::size_t d = g.order[k];
        for (std::size_t s = 0; s < g.arity[d]; ++s)
            out += "  n" + std::to_string(g.child[d][s]) + " -> n" + std::to_string(d) + ";\n";
    }
    return out + "}\n";
}

} // namespace detail::io

// The computation graph of f at the inputs (bound as in tl::value), as Graphviz DOT text.
template <class F, class... Args>
std::string to_dot(const F& f, const dot_options& opt, const Args&... args) {
    if constexpr (Expression<F>) {
        using Root = node_of<F>;
        constexpr bool flat = detail::check_arguments<Root, Args...>();
        using T = detail::common_element_t<Args...>;
        return detail::io::to_dot_impl<Root, T, flat>(f.consts.data(), opt, args...);
    } else if constexpr (detail::Traceable<F, Args...>) {
        return to_dot(detail::tracer<F, Args...>::trace(f), opt, args...);
    } else {
        static_assert(detail::dependent_false<F>,
                      "tapeless::to_dot(f, inputs...): f must be a tapeless expression, or a "
                      "callable that builds one from variables");
    }
}

template <class F, class... Args>
std::string to_dot(const F& f, const Args&... args) {
    return to_dot(f, dot_options{}, args...);
}

} // namespace tapeless

#endif
