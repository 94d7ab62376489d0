// tapeless/io/to_latex.hpp — tl::to_latex(f): an expression as a LaTeX formula.
//
//   e^{x z} + \frac{x z}{\ln x} + \frac{\sin\left(\ln x\right)}{x z}
// Like tl::to_string, printing follows the DAG, each unique node printed once; when the formula
// written out in full would be long, shared subexpressions are named t_{0}, t_{1}, ... and the
// result is an `aligned` block, one definition per line.
// Notation: \frac{a}{b}, \sqrt{a}, \sqrt[3]{a}, e^{a}, \ln, \sin ... \arctan, \sinh ..., a^{n},
// \sigma (sigmoid), \left|a\right|, \operatorname{name} for the rest. A product is written by
// juxtaposition (2 x, x z) unless its right factor starts with a number or a sign (then \cdot).
// Variable names: one letter as is, letters and digits as x_{0}, longer names in \mathrm{}.
#ifndef TAPELESS_IO_TO_LATEX_HPP
#define TAPELESS_IO_TO_LATEX_HPP

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../graph/dag.hpp"
#include "../graph/sweep.hpp"
#include "../ops/common.hpp"
#include "to_string.hpp"

namespace tapeless {

namespace latex_detail {

// Binding strength of a printed piece (larger binds tighter).
namespace prec {
inline constexpr int additive = 1, multiplicative = 2, unary = 3, fraction = 4, power = 5, atom = 6;
}

struct text {
    std::string s;
    int prec = prec::atom;
};

inline std::string paren(const std::string& s) {
    return "\\left(" + s + "\\right)";
}
inline std::string wrap(const text& t, bool p) {
    return p ? paren(t.s) : t.s;
}

inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
inline bool is_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

inline std::string variable_text(std::string_view n) {
    std::size_t letters = 0;
    while (letters < n.size() && is_letter(n[letters])) ++letters;
    bool digits = letters < n.size();
    for (std::size_t i = letters; i < n.size(); ++i) digits = digits && is_digit(n[i]);
    std::string head(n.substr(0, letters));
    if (letters == n.size() || !digits) {
        if (n.size() == 1) return std::string(n);
        if (letters == n.size()) return "\\mathrm{" + head + "}";
        std::string esc;
        for (char c : n) esc += c == '_' ? std::string("\\_") : std::string(1, c);
        return "\\mathrm{" + esc + "}";
    }
    if (letters > 1) head = "\\mathrm{" + head + "}";
    return head + "_{" + std::string(n.substr(letters)) + "}";
}

// A number as printed by to_string (1e+21, 0.25), in LaTeX: 1 \cdot 10^{21}.
inline text number_text(const std::string& s) {
    const std::size_t e = s.find('e');
    const bool negative = !s.empty() && s[0] == '-';
    if (e == std::string::npos) return {s, negative ? prec::unary : prec::atom};
    std::string exponent = s.substr(e + 1);
    if (!exponent.empty() && exponent[0] == '+') exponent = exponent.substr(1);
    return {s.substr(0, e) + " \\cdot 10^{" + exponent + "}", prec::multiplicative};
}

inline text rational_latex(rational r) {
    const std::string s = io_detail::rational_text(r);
    if (s.find('/') == std::string::npos) return number_text(s);
    const std::int64_t n = r.num < 0 ? -r.num : r.num;
    const std::string f = "\\frac{" + std::to_string(n) + "}{" + std::to_string(r.den) + "}";
    return r.num < 0 ? text{"-" + f, prec::unary} : text{f, prec::fraction};
}

template <class N>
struct printer;

template <std::size_t I, class S, name Nm, bool A>
struct printer<var<I, S, Nm, A>> {
    static text print(const text*, const double*) {
        if constexpr (Nm.empty())
            return {"x_{" + std::to_string(I) + "}"};
        else
            return {variable_text(Nm.view())};
    }
};
template <rational R>
struct printer<lit<R>> {
    static text print(const text*, const double*) { return rational_latex(R); }
};
template <std::size_t O, class S>
struct printer<cst<O, S>> {
    static text print(const text*, const double* c) {
        if constexpr (S::rank == 0) {
            return number_text(io_detail::number_text(c[O]));
        } else if constexpr (S::size <= 6) {
            std::string s = "\\begin{pmatrix}";
            for (std::size_t i = 0; i < S::size; ++i) {
                if (i > 0)
                    s += S::rank == 1 || i % S::cols != 0 ? (S::rank == 1 ? " \\\\ " : " & ")
                                                          : " \\\\ ";
                s += number_text(io_detail::number_text(c[O + i])).s;
            }
            return {s + "\\end{pmatrix}"};
        } else {
            return {"c_{" + std::to_string(O) + "}"};
        }
    }
};

// f(a): the argument bare when it is an atom (\ln x), else in parentheses
// (\ln\left(x z\right)).
inline text function(const char* f, const text& a) {
    return {std::string(f) + (a.prec >= prec::atom ? " " + a.s : paren(a.s)), prec::unary};
}
inline text call(std::string_view f, const text* a, std::size_t n) {
    std::string s = "\\operatorname{" + std::string(f) + "}\\left(";
    for (std::size_t i = 0; i < n; ++i) s += (i ? ", " : "") + a[i].s;
    return {s + "\\right)"};
}
inline text power(const text& base, const std::string& exponent) {
    return {wrap(base, base.prec <= prec::power) + "^{" + exponent + "}", prec::power};
}

template <class Op, std::size_t Arity>
struct op_printer {
    static text print(const text* a) {
        constexpr std::string_view n = Op::name;
        if constexpr (n == "add") {
            return {a[0].s + " + " + wrap(a[1], a[1].prec < prec::additive || a[1].s[0] == '-'),
                    prec::additive};
        } else if constexpr (n == "sub") {
            return {a[0].s + " - " + wrap(a[1], a[1].prec <= prec::additive || a[1].s[0] == '-'),
                    prec::additive};
        } else if constexpr (n == "mul") {
            const std::string l = wrap(a[0], a[0].prec < prec::multiplicative);
            const bool pr = a[1].prec < prec::multiplicative || a[1].s[0] == '-';
            const std::string r = wrap(a[1], pr);
            const bool dot = !pr && (is_digit(r[0]) || r[0] == '-' || r.rfind("\\frac", 0) == 0);
            return {l + (dot ? " \\cdot " : " ") + r, prec::multiplicative};
        } else if constexpr (n == "div") {
            return {"\\frac{" + a[0].s + "}{" + a[1].s + "}", prec::fraction};
        } else if constexpr (n == "neg") {
            return {"-" + wrap(a[0], a[0].prec <= prec::unary && a[0].prec != prec::fraction),
                    prec::unary};
        } else if constexpr (requires { Op::exponent; }) {
            return power(a[0], std::to_string(Op::exponent));
        } else if constexpr (n == "square") {
            return power(a[0], "2");
        } else if constexpr (n == "pow") {
            return power(a[0], a[1].s);
        } else if constexpr (n == "sqrt") {
            return {"\\sqrt{" + a[0].s + "}"};
        } else if constexpr (n == "cbrt") {
            return {"\\sqrt[3]{" + a[0].s + "}"};
        } else if constexpr (n == "exp") {
            return {"e^{" + a[0].s + "}", prec::power};
        } else if constexpr (n == "expm1") {
            return {"e^{" + a[0].s + "} - 1", prec::additive};
        } else if constexpr (n == "log") {
            return function("\\ln", a[0]);
        } else if constexpr (n == "log1p") {
            return {"\\ln\\left(1 + " + a[0].s + "\\right)", prec::unary};
        } else if constexpr (n == "sin" || n == "cos" || n == "tan" || n == "sinh" || n == "cosh" ||
                             n == "tanh") {
            return function(n == "sin"    ? "\\sin"
                            : n == "cos"  ? "\\cos"
                            : n == "tan"  ? "\\tan"
                            : n == "sinh" ? "\\sinh"
                            : n == "cosh" ? "\\cosh"
                                          : "\\tanh",
                            a[0]);
        } else if constexpr (n == "asin" || n == "acos" || n == "atan") {
            return function(n == "asin" ? "\\arcsin" : n == "acos" ? "\\arccos" : "\\arctan", a[0]);
        } else if constexpr (n == "sigmoid") {
            return {"\\sigma" + paren(a[0].s)};
        } else if constexpr (n == "abs") {
            return {"\\left|" + a[0].s + "\\right|"};
        } else if constexpr (n == "sign") {
            return {"\\operatorname{sgn}" + paren(a[0].s)};
        } else if constexpr (n == "min" || n == "max") {
            return {std::string(n == "min" ? "\\min" : "\\max") + "\\left(" + a[0].s + ", " +
                    a[1].s + "\\right)"};
        } else if constexpr (n == "positive") {
            return {"\\left[" + a[0].s + " > 0\\right]"};
        } else if constexpr (n == "greater_equal") {
            return {"\\left[" + a[0].s + " \\geq " + a[1].s + "\\right]"};
        } else if constexpr (n == "sum") {
            return {"\\sum " + wrap(a[0], a[0].prec < prec::atom), prec::unary};
        } else if constexpr (n == "transpose") {
            return {wrap(a[0], a[0].prec < prec::atom) + "^{\\top}", prec::power};
        } else if constexpr (requires { Op::length; }) {
            return {wrap(a[0], a[0].prec < prec::atom) + "_{" + std::to_string(Op::begin) + ":" +
                    std::to_string(Op::begin + Op::length) + "}"};
        } else if constexpr (requires { Op::index; }) {
            return {wrap(a[0], a[0].prec < prec::atom) + "_{" + std::to_string(Op::index) + "}"};
        } else if constexpr (Arity == 1 && requires { Op::latex; }) {
            // an operation that names its own symbol (\ln\Gamma), and a member of a family its
            // order (\psi^{(1)}, \operatorname{erf}^{(2)})
            std::string f(Op::latex);
            if constexpr (requires { Op::order; }) f += "^{(" + std::to_string(Op::order) + ")}";
            return {f + paren(a[0].s), prec::unary};
        } else if constexpr (Arity == 2 && requires {
                                 Op::latex;
                                 Op::orders;
                             }) {
            // a partial derivative of a binary family: \operatorname{atan2}^{(1,0)}(a, b)
            const std::string f = std::string(Op::latex) + "^{(" + std::to_string(Op::orders[0]) +
                                  "," + std::to_string(Op::orders[1]) + ")}";
            return {f + paren(a[0].s + ", " + a[1].s), prec::unary};
        } else {
            return call(n, a, Arity);
        }
    }
};
template <class Op, class... Cs>
struct printer<node<Op, Cs...>> {
    static text print(const text* a, const double*) {
        return op_printer<Op, sizeof...(Cs)>::print(a);
    }
};

using print_fn = text (*)(const text*, const double*);

template <class Root>
std::array<print_fn, graph::dag_of<Root>.size> printers() {
    return []<std::size_t... D>(std::index_sequence<D...>) {
        return std::array<print_fn, sizeof...(D)>{&printer<graph::type_at_t<Root, D>>::print...};
    }
    (std::make_index_sequence<graph::dag_of<Root>.size>{});
}

} // namespace latex_detail

// The expression f as a LaTeX formula (for math mode). Above opt.inline_limit characters, shared
// subexpressions are named t_{k} and the result is an aligned block.
template <Expression F>
std::string to_latex(const F& f, print_options opt = {}) {
    using Root = node_of<F>;
    constexpr const auto& g = graph::dag_of<Root>;
    static_assert(graph::detail::instantiate_types<Root>(std::make_index_sequence<g.size>{}));
    const auto fns = latex_detail::printers<Root>();
    const double* c = f.consts.data();

    std::vector<latex_detail::text> texts(g.size);
    latex_detail::text args[graph::max_arity];
    auto render = [&](bool name_shared) {
        std::string lines;
        std::size_t next = 0;
        for (std::size_t k = 0; k < g.size; ++k) {
            const std::size_t d = g.order[k];
            for (std::size_t s = 0; s < g.arity[d]; ++s) args[s] = texts[g.child[d][s]];
            texts[d] = fns[d](args, c);
            if (name_shared && d != 0 && g.uses[d] > 1 && g.arity[d] > 0) {
                const std::string t = "t_{" + std::to_string(next++) + "}";
                lines += t + " &= " + texts[d].s + " \\\\\n";
                texts[d] = {t};
            }
        }
        if (lines.empty()) return texts[0].s;
        return "\\begin{aligned}\n" + lines + "f &= " + texts[0].s + "\n\\end{aligned}";
    };
    // Each unique node once; the inline form repeats shared nodes, so measure it first, bounded.
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
    if (tree[0] <= opt.inline_limit) {
        std::string s = render(false);
        if (s.size() <= 2 * opt.inline_limit || tree[0] <= 64) return s;
    }
    return render(true);
}

} // namespace tapeless

#endif
