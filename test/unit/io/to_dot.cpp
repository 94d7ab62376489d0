// tl::to_dot: one box per unique node with its operation, name, forward value and adjoint; values
// read back from the text and compared with tl::value and tl::gradient.
#include <tapeless/io/to_dot.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace tl = tapeless;
using namespace tl::literals;
namespace bt = boost::test_tools;

namespace {

struct box {
    std::string inside, name;
    bool has_value = false, has_adjoint = false;
    double value = 0, adjoint = 0;
};

struct parsed {
    std::vector<box> boxes;
    std::vector<std::pair<std::string, std::string>> edges;

    // The box named `name` outside (there must be exactly one).
    const box& named(const std::string& name) const {
        const box* found = nullptr;
        int count = 0;
        for (const auto& b : boxes)
            if (b.name == name) {
                found = &b;
                ++count;
            }
        BOOST_REQUIRE_MESSAGE(count == 1, count << " boxes named " << name);
        return *found;
    }
    int count_inside(const std::string& inside) const {
        int n = 0;
        for (const auto& b : boxes) n += b.inside == inside;
        return n;
    }
};

// Reads the node and edge lines that to_dot writes (scalar values only).
parsed parse(const std::string& dot) {
    parsed r;
    std::istringstream in(dot);
    std::string line;
    const std::regex node_re(R"re(^\s*n\d+ \[label="([^"]*)"(?:, xlabel="([^"]*)")?.*\];$)re");
    const std::regex edge_re(R"re(^\s*(n\d+) -> (n\d+);$)re");
    std::smatch m;
    while (std::getline(in, line)) {
        if (std::regex_match(line, m, node_re)) {
            box b;
            b.name = m[2];
            std::string label = m[1];
            std::vector<std::string> parts;
            for (std::size_t at = 0;;) {
                const std::size_t nl = label.find("\\n", at);
                parts.push_back(
                    label.substr(at, nl == std::string::npos ? std::string::npos : nl - at));
                if (nl == std::string::npos) break;
                at = nl + 2;
            }
            b.inside = parts[0];
            for (std::size_t i = 1; i < parts.size(); ++i) {
                if (parts[i].rfind("value ", 0) == 0 && parts[i][6] != '[') {
                    b.has_value = true;
                    b.value = std::stod(parts[i].substr(6));
                } else if (parts[i].rfind("adjoint ", 0) == 0 && parts[i][8] != '[') {
                    b.has_adjoint = true;
                    b.adjoint = std::stod(parts[i].substr(8));
                }
            }
            r.boxes.push_back(b);
        } else if (std::regex_match(line, m, edge_re)) {
            r.edges.emplace_back(m[1], m[2]);
        }
    }
    return r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(to_dot)

// The running example f(x, z) = e^{xz} + xz / ln x + sin(ln x) / (xz) (README, Sources): ten unique
// nodes (x * z written three times and log(x) twice are one box each), with values and adjoints.
BOOST_AUTO_TEST_CASE(lecture_function) {
    auto [x, z] = tl::variables<"x", "z">();
    auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    const std::array p{2.0, 3.0};
    const std::string dot = tl::to_dot(f, tl::dot_options{17}, p);
    BOOST_TEST(dot.rfind("digraph", 0) == 0);
    const parsed g = parse(dot);
    BOOST_TEST(g.boxes.size() == 10u);
    BOOST_TEST(g.count_inside("*") == 1);   // x * z, shared
    BOOST_TEST(g.count_inside("log") == 1); // log(x), shared
    BOOST_TEST(g.count_inside("/") == 2);
    BOOST_TEST(g.count_inside("+") == 2);
    BOOST_TEST(g.count_inside("exp") == 1);
    BOOST_TEST(g.count_inside("sin") == 1);
    // one edge per operand: exp 1, * 2, log 1, / 2 + 2, sin 1, + 2 + 2
    BOOST_TEST(g.edges.size() == 13u);

    const auto grad = tl::gradient(f, p);
    const box& bx = g.named("x");
    const box& bz = g.named("z");
    BOOST_TEST(bx.value == 2.0);
    BOOST_TEST(bz.value == 3.0);
    BOOST_TEST(bx.adjoint == grad[0], bt::tolerance(1e-15));
    BOOST_TEST(bz.adjoint == grad[1], bt::tolerance(1e-15));
    const box& y = g.named("y");
    BOOST_TEST(y.inside == "+");
    BOOST_TEST(y.value == tl::value(f, p), bt::tolerance(1e-15));
    BOOST_TEST(y.adjoint == 1.0);
    // every box has a value, every box depends on a variable and so has an adjoint; the shared
    // x * z has the value 6 and the adjoint ∂f/∂u = e^u + 1/ln x − sin(ln x)/u², u = xz
    for (const auto& b : g.boxes) {
        BOOST_TEST(b.has_value);
        BOOST_TEST(b.has_adjoint);
    }
    for (const auto& b : g.boxes)
        if (b.inside == "*") {
            const double u = 6, L = std::log(2.0);
            BOOST_TEST(b.value == u);
            BOOST_TEST(b.adjoint == std::exp(u) + 1 / L - std::sin(L) / (u * u),
                       bt::tolerance(1e-14));
        }
    // intermediate names t1 .. t7, each once (the eighth operation is the output y)
    for (int k = 1; k <= 7; ++k) (void)g.named("t" + std::to_string(k));
}

// The shared intermediates of Mathematics for Machine Learning, chapter 5 (README, Sources):
// a = x², b = e^a, c = a + b, f = √c + cos c: a and c are one box each, with two uses; the adjoint
// of c is 1/(2√c) − sin c.
BOOST_AUTO_TEST_CASE(shared_intermediates) {
    auto [x] = tl::variables<"x">();
    auto a = square(x);
    auto c = a + exp(a);
    auto f = sqrt(c) + cos(c);
    const parsed g = parse(tl::to_dot(f, tl::dot_options{17}, std::array{1.0}));
    BOOST_TEST(g.boxes.size() == 7u); // x, a, b, c, d, e, f
    BOOST_TEST(g.count_inside("square") == 1);
    BOOST_TEST(g.count_inside("+") == 2);
    const double cv = 1 + std::exp(1.0);
    int found = 0;
    for (const auto& b : g.boxes)
        if (b.inside == "+" && b.name != "y") {
            ++found;
            BOOST_TEST(b.value == cv, bt::tolerance(1e-15));
            BOOST_TEST(b.adjoint == 0.5 / std::sqrt(cv) - std::sin(cv), bt::tolerance(1e-14));
        }
    BOOST_TEST(found == 1);
    // one edge per operand (square 1, exp 1, + 2, sqrt 1, cos 1, + 2): c feeds two operations
    BOOST_TEST(g.edges.size() == 8u);
    BOOST_TEST(g.named("x").adjoint == tl::gradient(f, std::array{1.0})[0], bt::tolerance(1e-15));
}

// Literals and constants are boxes without adjoints; names come from to_string (x0 for an unnamed
// variable); a vector-valued f has values but no adjoints; arrays print their elements or shape.
BOOST_AUTO_TEST_CASE(leaves_and_arrays) {
    auto x = tl::variable<0>;
    auto f = 2_c * x + 0.5 * sin(x);
    const parsed g = parse(tl::to_dot(f, std::array{1.0}));
    BOOST_TEST(g.boxes.size() == 7u); // x0, 2, 2 * x0, 0.5, sin, 0.5 * sin, +
    (void)g.named("x0");
    for (const auto& b : g.boxes)
        if (b.inside == "2" || b.inside == "0.5") BOOST_TEST(!b.has_adjoint);

    auto w = tl::variable<0, tl::vector<3>, "w">;
    const std::string dv = tl::to_dot(softmax(w * w), std::array{0.1, 0.2, 0.3});
    BOOST_TEST(dv.find("adjoint") == std::string::npos);
    BOOST_TEST(dv.find("w : vector<3>") != std::string::npos);
    BOOST_TEST(dv.find("value [0.1, 0.2, 0.3]") != std::string::npos);
    auto big = tl::variable<0, tl::vector<10>, "v">;
    const std::string db = tl::to_dot(sum(big * big), std::array<double, 10>{});
    BOOST_TEST(db.find("value vector<10>") != std::string::npos);
    BOOST_TEST(db.find("adjoint vector<10>") != std::string::npos);

    // a traced callable draws the same graph
    auto [a, b] = tl::variables<2>();
    BOOST_TEST(tl::to_dot([](auto p, auto q) { return p * q + p; }, std::array{1.0, 2.0}) ==
               tl::to_dot(a * b + a, std::array{1.0, 2.0}));
}

BOOST_AUTO_TEST_SUITE_END()
