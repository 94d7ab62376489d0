// tapeless/io/to_string.hpp — tl::to_string(f): an expression as a formula, with the user's names.
//
//   exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z)
// Printing follows the DAG: each unique node is printed once and its text reused. When the
// formula written out in full would be long (heavily shared expressions grow exponentially as
// trees), shared subexpressions are named t0, t1, ... and printed once each, one per line:
//   t0 = x * x + exp(x * x)
//   sqrt(t0) + cos(t0)
#ifndef TAPELESS_IO_TO_STRING_HPP
#define TAPELESS_IO_TO_STRING_HPP

#include <array>
#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../graph/dag.hpp"
#include "../graph/sweep.hpp"
#include "../ops/common.hpp"

namespace tapeless {

// Options for to_string and to_latex.
struct print_options {
    // Above this many characters, shared subexpressions are named instead of repeated.
    std::size_t inline_limit = 400;
};

namespace detail::io {

struct text {
    std::string s;
    int prec = precedence::atom;
};

inline std::string number_text(double v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

inline std::string rational_text(rational r) {
    // An exact short decimal when the denominator is 2^a 5^b, else a fraction.
    std::int64_t d = r.den;
    while (d % 2 == 0) d /= 2;
    while (d % 5 == 0) d /= 5;
    if (r.den == 1) return std::to_string(r.num);
    if (d == 1 && r.den <= 1000000)
        return number_text(static_cast<double>(r.num) / static_cast<double>(r.den));
    return std::to_string(r.num) + "/" + std::to_string(r.den);
}

inline std::string wrap(const text& t, bool paren) {
    return paren ? "(" + t.s + ")" : t.s;
}

// How one node prints, given its children's texts.
template <class N>
struct printer;

template <std::size_t I, class S, name Nm, bool A>
struct printer<var<I, S, Nm, A>> {
    static text print(const text*, const double*) {
        if constexpr (Nm.empty())
            return {"x" + std::to_string(I)};
        else
            return {std::string(Nm.view())};
    }
};
template <rational R>
struct printer<lit<R>> {
    static text print(const text*, const double*) {
        // A fraction n/d binds like a division; a number (2, 0.5) is an atom, or a negation when
        // negative.
        const std::string s = rational_text(R);
        const bool fraction = s.find('/') != std::string::npos;
        return {s, fraction    ? precedence::multiplicative
                   : R.num < 0 ? precedence::unary
                               : precedence::atom};
    }
};
template <std::size_t O, class S>
struct printer<cst<O, S>> {
    static text print(const text*, const double* c) {
        if constexpr (S::rank == 0) {
            return {number_text(c[O]), c[O] < 0 ? precedence::unary : precedence::atom};
        } else if constexpr (S::size <= 6) {
            std::string s = "[";
            for (std::size_t i = 0; i < S::size; ++i) s += (i ? ", " : "") + number_text(c[O + i]);
            return {s + "]"};
        } else {
            return {"constant<" + shape_name<S>() + ">"};
        }
    }
};

// An operation's compile-time parameters as printed after its name: slice<1, 2>, element<0>,
// polygamma<1> (a member of a family), atan2_partial<1, 0> (of a binary family); else nothing.
template <class Op>
std::string template_arguments() {
    if constexpr (requires { Op::length; })
        return "<" + std::to_string(Op::begin) + ", " + std::to_string(Op::length) + ">";
    else if constexpr (requires { Op::index; })
        return "<" + std::to_string(Op::index) + ">";
    else if constexpr (requires { Op::order; })
        return "<" + std::to_string(Op::order) + ">";
    else if constexpr (requires { Op::orders; })
        return "<" + std::to_string(Op::orders[0]) + ", " + std::to_string(Op::orders[1]) + ">";
    else
        return {};
}

template <class Op, std::size_t Arity>
struct op_printer {
    static text print(const text* a) {
        if constexpr (Arity == 2 && requires { Op::symbol; }) {
            constexpr bool assoc = Op::symbol == "+" || Op::symbol == "*";
            const bool pl = a[0].prec < Op::prec;
            const bool pr = assoc ? a[1].prec < Op::prec : a[1].prec <= Op::prec;
            return {wrap(a[0], pl) + " " + std::string(Op::symbol) + " " + wrap(a[1], pr),
                    Op::prec};
        } else if constexpr (Arity == 1 && requires { Op::symbol; }) {
            return {std::string(Op::symbol) + wrap(a[0], a[0].prec <= Op::prec), Op::prec};
        } else if constexpr (requires { Op::exponent; }) {
            const std::string e = Op::exponent < 0 ? "(" + std::to_string(Op::exponent) + ")"
                                                   : std::to_string(Op::exponent);
            return {wrap(a[0], a[0].prec <= Op::prec) + "^" + e, Op::prec};
        } else {
            std::string s = std::string(Op::name) + template_arguments<Op>() + "(";
            for (std::size_t i = 0; i < Arity; ++i) s += (i ? ", " : "") + a[i].s;
            return {s + ")"};
        }
    }
};
template <class Op, class... Cs>
struct printer<node<Op, Cs...>> {
    static text print(const text* a, const double*) {
        return op_printer<Op, sizeof...(Cs)>::print(a);
    }
};

// One printing function per node of Root, in discovery order: Printer<N>::print for each node type
// N (the printers of to_string, to_latex and to_dot).
template <template <class> class Printer, class Root>
auto printers() {
    using fn = decltype(&Printer<Root>::print);
    const auto expand = []<std::size_t... D>(std::index_sequence<D...>) {
        return std::array<fn, sizeof...(D)>{&Printer<graph::type_at_t<Root, D>>::print...};
    };
    return expand(std::make_index_sequence<graph::dag_of<Root>.size>{});
}

// to_string's layout: t0 = ..., one definition a line, then f.
struct plain_layout {
    static constexpr std::size_t slack = 1;
    static std::string name(std::size_t k) { return "t" + std::to_string(k); }
    static std::string definition(const std::string& name, const std::string& text) {
        return name + " = " + text + "\n";
    }
    static std::string block(const std::string& lines, const std::string& root) {
        return lines + root;
    }
};

// f as text from its node printers: written out in full when that is short, else with each shared
// subexpression named once. The layout says how (plain_layout: t0 = ..., one definition a line;
// to_latex's aligned_layout: an aligned block): name(k), definition(name, text),
// block(definitions, root), and slack, how many times inline_limit characters the full form may
// have.
template <template <class> class Printer, class F, class Layout>
std::string print_formula(const F& f, print_options opt, const Layout& layout) {
    using Root = node_of<F>;
    const double* c = f.consts.data();
    const std::size_t inline_limit = opt.inline_limit;
    constexpr const auto& g = graph::dag_of<Root>;
    static_assert(graph::detail::instantiate_types<Root>(std::make_index_sequence<g.size>{}));
    const auto fns = printers<Printer, Root>();
    using piece = decltype(Printer<Root>::print(nullptr, nullptr));

    // Tree size of each node (saturating), to decide between inline and named forms.
    std::array<std::size_t, g.size> tree{};
    for (std::size_t k = 0; k < g.size; ++k) {
        const std::size_t d = g.order[k];
        std::size_t t = 1;
        for (std::size_t s = 0; s < g.arity[d]; ++s) {
            t += tree[g.child[d][s]];
            if (t > (std::size_t{1} << 40)) t = std::size_t{1} << 40;
        }
        tree[d] = t;
    }

    std::vector<piece> texts(g.size);
    piece args[graph::max_arity];
    auto render = [&](bool name_shared) {
        std::string lines;
        std::size_t next = 0;
        for (std::size_t k = 0; k < g.size; ++k) {
            const std::size_t d = g.order[k];
            for (std::size_t s = 0; s < g.arity[d]; ++s) args[s] = texts[g.child[d][s]];
            texts[d] = fns[d](args, c);
            if (name_shared && d != 0 && g.uses[d] > 1 && g.arity[d] > 0) {
                const std::string t = layout.name(next++);
                lines += layout.definition(t, texts[d].s);
                texts[d] = {t};
            }
        }
        return layout.block(lines, texts[0].s);
    };
    // Each unique node once; the inline form repeats shared nodes, so measure it first, bounded.
    if (tree[0] <= inline_limit) {
        std::string s = render(false);
        if (s.size() <= layout.slack * inline_limit || tree[0] <= 64) return s;
    }
    return render(true);
}

} // namespace detail::io

// The expression f as a formula.
template <Expression F>
std::string to_string(const F& f, print_options opt = {}) {
    return detail::io::print_formula<detail::io::printer>(f, opt, detail::io::plain_layout{});
}

} // namespace tapeless

#endif
