// The edge-case table, docs/edge-cases.md: its unary rows in every mode, and that every operation
// of include/tapeless/ops/ has rows (binary operations and reductions: edge_cases_binary.cpp).

#include <tapeless/tapeless.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <boost/test/unit_test.hpp>

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
    const edge::registry ops{
        {"-x", unary([](auto x) { return -x; })},
        {"square", unary([](auto x) { return square(x); })},
        {"pow(x, 3_c)", unary([](auto x) { return pow(x, 3_c); })},
        {"pow(x, -1_c)", unary([](auto x) { return pow(x, -1_c); })},
        {"pow(x, 2.0)", unary([](auto x) { return pow(x, 2.0); })},
        {"pow(x, 0.5)", unary([](auto x) { return pow(x, 0.5); })},
        {"sqrt", unary([](auto x) { return sqrt(x); })},
        {"cbrt", unary([](auto x) { return cbrt(x); })},
        {"exp", unary([](auto x) { return exp(x); })},
        {"log", unary([](auto x) { return log(x); })},
        {"log1p", unary([](auto x) { return log1p(x); })},
        {"expm1", unary([](auto x) { return expm1(x); })},
        {"sin", unary([](auto x) { return sin(x); })},
        {"cos", unary([](auto x) { return cos(x); })},
        {"tan", unary([](auto x) { return tan(x); })},
        {"asin", unary([](auto x) { return asin(x); })},
        {"acos", unary([](auto x) { return acos(x); })},
        {"atan", unary([](auto x) { return atan(x); })},
        {"sinh", unary([](auto x) { return sinh(x); })},
        {"cosh", unary([](auto x) { return cosh(x); })},
        {"tanh", unary([](auto x) { return tanh(x); })},
        {"sigmoid", unary([](auto x) { return sigmoid(x); })},
        {"softplus", unary([](auto x) { return softplus(x); })},
        {"relu", unary([](auto x) { return relu(x); })},
        {"abs", unary([](auto x) { return abs(x); })},
        {"sign", unary([](auto x) { return sign(x); })},
    };
    edge::check_rows(ops, 5);
}

// Every operation struct of include/tapeless/ops/ is covered by some row of the table, through the
// operations that build it; the list says which (a new operation without rows fails here).
BOOST_AUTO_TEST_CASE(every_operation_has_rows) {
    const std::map<std::string, std::string> built_by{
        {"neg", "-x"}, {"square", "square"}, {"powi", "pow(x, 3_c)"}, {"pow", "pow"},
        {"sqrt", "sqrt"}, {"cbrt", "cbrt"}, {"exp", "exp"}, {"log", "log"}, {"log1p", "log1p"},
        {"expm1", "expm1"}, {"sin", "sin"}, {"cos", "cos"}, {"tan", "tan"}, {"asin", "asin"},
        {"acos", "acos"}, {"atan", "atan"}, {"atan2", "atan2"}, {"sinh", "sinh"}, {"cosh", "cosh"},
        {"tanh", "tanh"}, {"sigmoid", "sigmoid"}, {"softplus", "softplus"}, {"relu", "relu"},
        {"abs", "abs"}, {"sign", "sign"}, {"add", "+"}, {"sub", "-"}, {"mul", "*"}, {"div", "/"},
        {"hypot", "hypot"}, {"min", "min"}, {"max", "max"}, {"sum", "sum"}, {"mean", "mean"},
        {"dot", "dot(x, [2, 3])"}, {"log_sum_exp", "log_sum_exp"}, {"softmax", "dot(softmax(x), [1, 0])"},
        {"mse", "mse(x, [1, 0])"},
        {"binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits(x, [1, 0])"},
        {"softmax_cross_entropy", "softmax_cross_entropy(x, [1, 0])"},
        // the step functions of the derivatives of relu, abs, min and max: through those rows
        {"positive", "relu"}, {"greater_equal", "max"},
    };
    // Not elementwise and without edge behaviour of their own (sums of products, copies of
    // elements): their edges are those of + and ×.
    const std::set<std::string> structural{"slice", "element", "transpose", "matvec", "matmul",
                                           "add_rowwise", "concat"};
    std::set<std::string> ops_in_table;
    for (const auto& r : edge::table()) ops_in_table.insert(r.op);
    const std::regex decl(R"(struct\s+(\w+)\s*:\s*(unary_elementwise|binary_elementwise|array_operation))");
    int found = 0;
    for (const auto& file : std::filesystem::directory_iterator(TAPELESS_OPS_DIR)) {
        std::ifstream in(file.path());
        std::stringstream text;
        text << in.rdbuf();
        const std::string s = text.str();
        for (std::sregex_iterator it(s.begin(), s.end(), decl), end; it != end; ++it) {
            const std::string name = (*it)[1];
            ++found;
            if (structural.count(name)) continue;
            auto b = built_by.find(name);
            BOOST_CHECK_MESSAGE(b != built_by.end(), "op::" << name << " (" << file.path().filename().string()
                                                            << ") has no rows in docs/edge-cases.md");
            if (b != built_by.end())
                BOOST_CHECK_MESSAGE(ops_in_table.count(b->second) == 1,
                                    "op::" << name << ": docs/edge-cases.md has no rows for `" << b->second << "`");
        }
    }
    BOOST_TEST(found >= 40);
}

BOOST_AUTO_TEST_SUITE_END()
