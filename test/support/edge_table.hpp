// The edge-case table of docs/edge-cases.md, read as test data: its rows, the parsing of its
// entries, and the comparison of a result with an entry.
//
// A test row is a Markdown table row whose first cell is an operation in backticks:
//   unary      | `op` | x | f | f' | f'' | note |
//   binary     | `op` | a | b | f | ∂f/∂a | ∂f/∂b | ∂²f/∂a² | ∂²f/∂a∂b | ∂²f/∂b² | note |
//   reductions | `op` | x | f | ∇f | note |           (x and ∇f: comma-separated vectors)
// (the note is text for the reader).
// An entry is an expected value, optionally followed by per-mode exceptions in parentheses:
//   `nan (symbolic, taylor: 2)`. Expected values are numbers (`0`, `-0`, `inf`, `-inf`, `nan`,
// `1.5`, `4.9e-324`), the names `den`, `nor`, `big` (smallest denormal, smallest normal, largest
// double), `pi`, `e`, `x` (the row's input) and small formulas over them with + − * / ^,
// parentheses and the <cmath> functions sin, cos, tan, exp, log, sqrt, sinh, cosh, tanh (`-sin(x)`,
// `1 + tan(x)^2`). `±0` is a zero of either sign; `0` and `-0` are checked with their sign.
// Finite non-zero values match to a relative 1e-13; zeros, infinities and NaN match exactly.
#ifndef TAPELESS_TEST_SUPPORT_EDGE_TABLE_HPP
#define TAPELESS_TEST_SUPPORT_EDGE_TABLE_HPP

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace tapeless_test::edge {

inline std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

// The cells of a Markdown table row (without the outer pipes).
inline std::vector<std::string> cells(const std::string& line) {
    std::vector<std::string> out;
    std::string t = trim(line);
    if (t.size() < 2 || t.front() != '|' || t.back() != '|') return out;
    t = t.substr(1, t.size() - 2);
    std::string cur;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const char ch = t[i];
        if (ch == '\\' && i + 1 < t.size() && t[i + 1] == '|') { // an escaped pipe is text
            cur += '|';
            ++i;
        } else if (ch == '|') {
            out.push_back(trim(cur));
            cur.clear();
        } else {
            cur += ch;
        }
    }
    out.push_back(trim(cur));
    return out;
}

struct row {
    int line = 0;
    std::string op;                 // without the backticks
    std::vector<std::string> cells; // every cell after the operation's
};

// Every test row of the file: rows whose first cell is `...`.
inline std::vector<row> read_rows(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::vector<row> rows;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        auto c = cells(line);
        if (c.size() < 2) continue;
        const std::string& first = c[0];
        if (first.size() < 3 || first.front() != '`' || first.back() != '`') continue;
        row r;
        r.line = n;
        r.op = first.substr(1, first.size() - 2);
        r.cells.assign(c.begin() + 1, c.end());
        rows.push_back(r);
    }
    return rows;
}

// --- entries ------------------------------------------------------------------------------------

// A tiny recursive-descent evaluator of the expected values.
struct formula {
    std::string s;
    std::size_t i = 0;
    double x = 0;

    void skip() {
        while (i < s.size() && s[i] == ' ') ++i;
    }
    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error("entry '" + s + "': " + what);
    }
    double parse() {
        const double v = sum();
        skip();
        if (i != s.size()) fail("unexpected text at " + std::to_string(i));
        return v;
    }
    double sum() {
        double v = product();
        for (;;) {
            skip();
            if (i < s.size() && s[i] == '+') {
                ++i;
                v = v + product();
            } else if (i < s.size() && s[i] == '-') {
                ++i;
                v = v - product();
            } else
                return v;
        }
    }
    double product() {
        double v = unary();
        for (;;) {
            skip();
            if (i < s.size() && s[i] == '*') {
                ++i;
                v = v * unary();
            } else if (i < s.size() && s[i] == '/') {
                ++i;
                v = v / unary();
            } else
                return v;
        }
    }
    double unary() {
        skip();
        if (i < s.size() && s[i] == '-') {
            ++i;
            return -unary();
        }
        if (i < s.size() && s[i] == '+') {
            ++i;
            return unary();
        }
        return power();
    }
    double power() {
        double v = atom();
        skip();
        if (i < s.size() && s[i] == '^') {
            ++i;
            const double e = unary();
            return std::pow(v, e);
        }
        return v;
    }
    double atom() {
        skip();
        if (i >= s.size()) fail("missing operand");
        if (s[i] == '(') {
            ++i;
            const double v = sum();
            skip();
            if (i >= s.size() || s[i] != ')') fail("missing )");
            ++i;
            return v;
        }
        if (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.') {
            const char* begin = s.c_str() + i;
            char* end = nullptr;
            const double v = std::strtod(begin, &end);
            i += static_cast<std::size_t>(end - begin);
            return v;
        }
        std::string id;
        while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_'))
            id += s[i++];
        if (id.empty()) fail("unexpected character at " + std::to_string(i));
        constexpr double inf = std::numeric_limits<double>::infinity();
        if (id == "inf") return inf;
        if (id == "nan") return std::numeric_limits<double>::quiet_NaN();
        if (id == "den") return std::numeric_limits<double>::denorm_min();
        if (id == "nor") return std::numeric_limits<double>::min();
        if (id == "big") return std::numeric_limits<double>::max();
        if (id == "pi") return std::numbers::pi;
        if (id == "e") return std::numbers::e;
        if (id == "x") return x;
        skip();
        if (i >= s.size() || s[i] != '(') fail("unknown name " + id);
        ++i;
        const double a = sum();
        skip();
        if (i >= s.size() || s[i] != ')') fail("missing )");
        ++i;
        if (id == "sin") return std::sin(a);
        if (id == "cos") return std::cos(a);
        if (id == "tan") return std::tan(a);
        if (id == "exp") return std::exp(a);
        if (id == "log") return std::log(a);
        if (id == "sqrt") return std::sqrt(a);
        if (id == "sinh") return std::sinh(a);
        if (id == "cosh") return std::cosh(a);
        if (id == "tanh") return std::tanh(a);
        fail("unknown function " + id);
    }
};

inline double evaluate(const std::string& text, double x = 0) {
    formula f{text, 0, x};
    return f.parse();
}

// One expected value: a number, or any zero.
struct expected {
    double value = 0;
    bool any_zero = false;
    std::string text;
};

inline expected parse_value(const std::string& text, double x) {
    expected e;
    e.text = trim(text);
    if (e.text == "±0") {
        e.any_zero = true;
        return e;
    }
    e.value = evaluate(e.text, x);
    return e;
}

// An entry: the expected value and the modes' exceptions.
struct entry {
    expected all;
    std::map<std::string, expected> by_mode;
    const expected& in(const std::string& mode) const {
        auto it = by_mode.find(mode);
        return it == by_mode.end() ? all : it->second;
    }
};

inline const std::vector<std::string>& mode_names() {
    static const std::vector<std::string> names{"value",    "reverse", "forward", "jvp",
                                                "symbolic", "taylor",  "hvp",     "hessian"};
    return names;
}

// `v` or `v (mode, mode: w; mode: u)`.
inline entry parse_entry(const std::string& cell, double x = 0) {
    entry out;
    std::string c = trim(cell);
    // strip Markdown code spans
    std::string s;
    for (char ch : c)
        if (ch != '`') s += ch;
    const auto open = s.find(" (");
    if (open == std::string::npos || s.back() != ')') {
        out.all = parse_value(s, x);
        return out;
    }
    out.all = parse_value(s.substr(0, open), x);
    std::string rest = s.substr(open + 2, s.size() - open - 3);
    std::stringstream parts(rest);
    std::string part;
    while (std::getline(parts, part, ';')) {
        const auto colon = part.find(':');
        if (colon == std::string::npos)
            throw std::runtime_error("entry '" + cell + "': exception without ':'");
        const expected v = parse_value(part.substr(colon + 1), x);
        std::stringstream modes(part.substr(0, colon));
        std::string m;
        while (std::getline(modes, m, ',')) {
            m = trim(m);
            bool known = false;
            for (const auto& n : mode_names()) known = known || n == m;
            if (!known) throw std::runtime_error("entry '" + cell + "': unknown mode " + m);
            out.by_mode[m] = v;
        }
    }
    return out;
}

// A comma-separated vector of entries (for the reductions); commas in parentheses (a mode list)
// do not separate.
inline std::vector<std::string> split_commas(const std::string& cell) {
    std::vector<std::string> out;
    std::string cur;
    int depth = 0;
    for (char ch : cell) {
        if (ch == '(') ++depth;
        if (ch == ')') --depth;
        if (ch == ',' && depth == 0) {
            out.push_back(trim(cur));
            cur.clear();
        } else {
            cur += ch;
        }
    }
    out.push_back(trim(cur));
    return out;
}

inline bool matches(double got, const expected& e) {
    if (e.any_zero) return got == 0.0;
    const double want = e.value;
    if (std::isnan(want)) return std::isnan(got);
    if (want == 0.0) return got == 0.0 && std::signbit(got) == std::signbit(want);
    if (std::isinf(want)) return got == want;
    if (!std::isfinite(got)) return false;
    return std::abs(got - want) <= 1e-13 * std::abs(want);
}

inline std::string show(double v) {
    std::ostringstream o;
    o.precision(17);
    o << v;
    return o.str();
}

} // namespace tapeless_test::edge

#endif
