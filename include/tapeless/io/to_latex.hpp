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

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "../ops/common.hpp"
#include "to_string.hpp"

namespace tapeless {

namespace detail::latex {

// Binding strength of a printed piece (larger binds tighter; ops/common.hpp).
namespace prec = latex_precedence;

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
    const std::string s = detail::io::rational_text(r);
    if (s.find('/') == std::string::npos) return number_text(s);
    const std::int64_t n = r.num < 0 ? -r.num : r.num;
    const std::string f = "\\frac{" + std::to_string(n) + "}{" + std::to_string(r.den) + "}";
    return r.num < 0 ? text{"-" + f, prec::unary} : text{f, prec::fraction};
}

template <class N>
struct printer;

// A variable: its name as to_string prints it (x0 when it has none), in LaTeX (x_{0}).
template <std::size_t I, class S, name Nm, bool A>
struct printer<var<I, S, Nm, A>> {
    static text print(const text*, const double*) {
        return {variable_text(io::printer<var<I, S, Nm, A>>::print(nullptr, nullptr).s)};
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
            return number_text(detail::io::number_text(c[O]));
        } else if constexpr (S::size <= 6) {
            std::string s = "\\begin{pmatrix}";
            for (std::size_t i = 0; i < S::size; ++i) {
                if (i > 0)
                    s += S::rank == 1 || i % S::cols != 0 ? (S::rank == 1 ? " \\\\ " : " & ")
                                                          : " \\\\ ";
                s += number_text(detail::io::number_text(c[O + i])).s;
            }
            return {s + "\\end{pmatrix}"};
        } else {
            return {"c_{" + std::to_string(O) + "}"};
        }
    }
};

// The n arguments as a list: "a, b".
inline std::string arguments(const text* a, std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += (i ? ", " : "") + a[i].s;
    return s;
}
inline text call(std::string_view f, const text* a, std::size_t n) {
    return {"\\operatorname{" + std::string(f) + "}" + paren(arguments(a, n))};
}

// An operation's own notation (ops/common.hpp: latex_notation) with its arguments filled in.
inline text fill(const latex_notation& notation, const text* a) {
    std::string s;
    const std::string_view p = notation.pattern;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const char mark = p[i];
        if ((mark == '#' || mark == '@' || mark == '$') && i + 1 < p.size() && is_digit(p[i + 1])) {
            const text& arg = a[p[++i] - '0'];
            s += mark == '#'   ? arg.s
                 : mark == '@' ? (arg.prec >= prec::atom ? " " + arg.s : paren(arg.s))
                               : wrap(arg, arg.prec <= prec::power);
        } else {
            s += mark;
        }
    }
    return {s, notation.prec};
}

// The operators' layout (+, −, a product by juxtaposition, \frac, a power) is written here; every
// other operation declares its notation (`latex`), or prints as \operatorname{name}(arguments).
template <class Op, std::size_t Arity>
struct op_printer {
    static text print(const text* a) {
        if constexpr (Arity == 2 && requires { Op::symbol; }) {
            constexpr std::string_view op = Op::symbol;
            if constexpr (op == "+") {
                return {a[0].s + " + " + wrap(a[1], a[1].prec < prec::additive || a[1].s[0] == '-'),
                        prec::additive};
            } else if constexpr (op == "-") {
                return {a[0].s + " - " +
                            wrap(a[1], a[1].prec <= prec::additive || a[1].s[0] == '-'),
                        prec::additive};
            } else if constexpr (op == "*") {
                const std::string l = wrap(a[0], a[0].prec < prec::multiplicative);
                const bool pr = a[1].prec < prec::multiplicative || a[1].s[0] == '-';
                const std::string r = wrap(a[1], pr);
                const bool dot =
                    !pr && (is_digit(r[0]) || r[0] == '-' || r.rfind("\\frac", 0) == 0);
                return {l + (dot ? " \\cdot " : " ") + r, prec::multiplicative};
            } else {
                static_assert(op == "/", "tapeless::to_latex: an operator without a layout");
                return {"\\frac{" + a[0].s + "}{" + a[1].s + "}", prec::fraction};
            }
        } else if constexpr (Arity == 1 && requires { Op::symbol; }) {
            return {"-" + wrap(a[0], a[0].prec <= prec::unary && a[0].prec != prec::fraction),
                    prec::unary};
        } else if constexpr (requires { Op::exponent; }) {
            return {wrap(a[0], a[0].prec <= prec::power) + "^{" + std::to_string(Op::exponent) +
                        "}",
                    prec::power};
        } else if constexpr (requires { Op::latex; }) {
            return fill(Op::latex, a);
        } else if constexpr (requires { Op::length; }) {
            return {wrap(a[0], a[0].prec < prec::atom) + "_{" + std::to_string(Op::begin) + ":" +
                    std::to_string(Op::begin + Op::length) + "}"};
        } else if constexpr (requires { Op::index; }) {
            return {wrap(a[0], a[0].prec < prec::atom) + "_{" + std::to_string(Op::index) + "}"};
        } else if constexpr (requires { Op::latex_name; }) {
            // a member of a family, with its order: \psi^{(1)}\left(x\right),
            // \operatorname{atan2}^{(1,0)}\left(a, b\right)
            std::string f = std::string(Op::latex_name) + "^{(";
            if constexpr (requires { Op::orders; })
                f += std::to_string(Op::orders[0]) + "," + std::to_string(Op::orders[1]);
            else
                f += std::to_string(Op::order);
            return {f + ")}" + paren(arguments(a, Arity)), prec::unary};
        } else {
            return call(Op::name, a, Arity);
        }
    }
};
template <class Op, class... Cs>
struct printer<node<Op, Cs...>> {
    static text print(const text* a, const double*) {
        return op_printer<Op, sizeof...(Cs)>::print(a);
    }
};

// to_latex's layout: the definitions t_{k} and f in an aligned block (LaTeX markup is longer than
// plain text, so the full form may have twice the characters).
struct aligned_layout {
    static constexpr std::size_t slack = 2;
    static std::string name(std::size_t k) { return "t_{" + std::to_string(k) + "}"; }
    static std::string definition(const std::string& name, const std::string& text) {
        return name + " &= " + text + " \\\\\n";
    }
    static std::string block(const std::string& lines, const std::string& root) {
        if (lines.empty()) return root;
        return "\\begin{aligned}\n" + lines + "f &= " + root + "\n\\end{aligned}";
    }
};

} // namespace detail::latex

// The expression f as a LaTeX formula (for math mode). Above opt.inline_limit characters, shared
// subexpressions are named t_{k} and the result is an aligned block.
template <Expression F>
std::string to_latex(const F& f, print_options opt = {}) {
    return detail::io::print_formula<detail::latex::printer>(f, opt,
                                                             detail::latex::aligned_layout{});
}

} // namespace tapeless

#endif
