// The operation catalogue, ops/catalogue.hpp: it lists every operation struct of
// include/tapeless/ops/ once, and each operation declares what the modes read of it.
//
// A new operation that is not added to the catalogue fails here (the structs are found by reading
// the headers, not from the catalogue); one without rows in docs/edge-cases.md fails in
// edge_cases.cpp.
#include <tapeless/ops/catalogue.hpp>
#include <tapeless/tapeless.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <boost/hana/for_each.hpp>
#include <boost/hana/length.hpp>
#include <boost/test/unit_test.hpp>

namespace tl = tapeless;
namespace hana = boost::hana;

namespace {
// The names of the operations in the catalogue, with how often each appears.
std::map<std::string, int> catalogued() {
    std::map<std::string, int> names;
    hana::for_each(tl::op::catalogue,
                   [&](auto t) { ++names[std::string{decltype(t)::type::name}]; });
    return names;
}
} // namespace

BOOST_AUTO_TEST_SUITE(catalogue)

namespace {
std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// An operation struct: `struct X : unary_elementwise | binary_elementwise | array_operation`, a
// member of a derivative family, `struct X : derivative_family<X, N>`, or a step function,
// `struct X : step_function<X, ...>` (ops/common.hpp). The two bases themselves, declared the first
// way in ops/common.hpp, are no operations.
const std::regex& operation_declaration() {
    static const std::regex decl(R"(struct\s+(\w+)\s*:\s*(unary_elementwise|binary_elementwise|)"
                                 R"(array_operation|derivative_family<|step_function<)\b)");
    return decl;
}
bool is_operation(const std::string& name) {
    return name != "derivative_family" && name != "step_function";
}
} // namespace

// Every operation struct of ops/*.hpp is in the catalogue, under its name, and the catalogue lists
// nothing else and nothing twice.
BOOST_AUTO_TEST_CASE(lists_every_operation_struct_once) {
    const auto names = catalogued();
    for (const auto& [name, count] : names)
        BOOST_CHECK_MESSAGE(count == 1, "op::" << name << " is listed " << count << " times");
    std::set<std::string> declared;
    for (const auto& file : std::filesystem::directory_iterator(TAPELESS_OPS_DIR)) {
        const std::string s = read_file(file.path());
        for (std::sregex_iterator it(s.begin(), s.end(), operation_declaration()), end; it != end;
             ++it) {
            const std::string name = (*it)[1];
            if (!is_operation(name)) continue;
            declared.insert(name);
            BOOST_CHECK_MESSAGE(names.count(name) == 1,
                                "op::" << name << " (" << file.path().filename().string()
                                       << ") is not in the catalogue, ops/catalogue.hpp");
        }
    }
    for (const auto& [name, count] : names)
        BOOST_CHECK_MESSAGE(declared.count(name) == 1,
                            "the catalogue lists op::" << name
                                                       << ", which no header of ops/ declares");
    BOOST_TEST(declared.size() >= 40);
    BOOST_TEST(std::size_t{hana::length(tl::op::catalogue)} == declared.size());
}

// Every header of ops/ that declares an operation is reachable and documented: included by the
// umbrella header and by the catalogue, and with a reference page docs/reference/ops/<header>.md.
BOOST_AUTO_TEST_CASE(every_operation_header_is_included_and_documented) {
    const std::filesystem::path ops = TAPELESS_OPS_DIR;
    const std::string umbrella = read_file(ops / ".." / "tapeless.hpp");
    const std::string catalogue = read_file(ops / "catalogue.hpp");
    const std::filesystem::path reference = ops / ".." / ".." / ".." / "docs" / "reference" / "ops";
    int headers = 0;
    for (const auto& file : std::filesystem::directory_iterator(ops)) {
        const std::string text = read_file(file.path());
        std::smatch m;
        if (!std::regex_search(text, m, operation_declaration()) || !is_operation(m[1])) continue;
        ++headers;
        const std::string name = file.path().filename().string();
        BOOST_CHECK_MESSAGE(umbrella.find("#include \"ops/" + name + "\"") != std::string::npos,
                            "include/tapeless/tapeless.hpp does not include ops/" << name);
        BOOST_CHECK_MESSAGE(catalogue.find("#include \"" + name + "\"") != std::string::npos,
                            "ops/catalogue.hpp does not include " << name);
        const auto page = reference / (file.path().stem().string() + ".md");
        BOOST_CHECK_MESSAGE(std::filesystem::exists(page),
                            "ops/" << name << " has no reference page docs/reference/ops/"
                                   << page.filename().string());
    }
    BOOST_TEST(headers >= 12);
}

// What every operation declares: a name and a domain; the rules its kind needs; and the flags the
// modes read are consistent with its kind (work only where the elementwise default does not hold,
// transcendental_derivative only on an elementwise operation).
BOOST_AUTO_TEST_CASE(each_operation_declares_what_the_modes_read) {
    hana::for_each(tl::op::catalogue, [](auto t) {
        using Op = typename decltype(t)::type;
        const std::string name{Op::name};
        BOOST_TEST_CONTEXT("op::" << name) {
            BOOST_TEST(!name.empty());
            BOOST_TEST(!std::string_view{Op::domain}.empty());
            constexpr bool elementwise = tl::UnaryElementwise<Op> || tl::BinaryElementwise<Op>;
            if constexpr (tl::UnaryElementwise<Op>) {
                BOOST_TEST(Op::value(0.5) == Op::value(0.5)); // it has a value rule for double
                BOOST_TEST((requires { Op::derivative(0.5, 0.5); }));
            } else if constexpr (tl::BinaryElementwise<Op>) {
                BOOST_TEST((requires { Op::da(0.5, 0.5, 0.5); }));
                BOOST_TEST((requires { Op::db(0.5, 0.5, 0.5); }));
            }
            if constexpr (elementwise)
                BOOST_TEST((tl::detail::work_of<Op>() == tl::work_kind::by_fusion));
            if constexpr (!elementwise) BOOST_TEST(!tl::detail::transcendental_derivative_of<Op>());
        }
    });
}

// Every elementwise operation is checked in every mode: an expect_ad call (support/expect_ad.hpp)
// in the every_mode case of the tests of test/unit/ops/ names it in its label ("sin", "erf,
// lgamma", "powi: pow<3>", "add: a + b"). An operation reached only through another's derivative
// (covered_by) is checked with that one. (Array operations are checked by the gradient and Hessian
// tests of modes/, on array inputs.)
BOOST_AUTO_TEST_CASE(every_elementwise_operation_is_checked_in_every_mode) {
    std::set<std::string> named;
    static const std::regex call(R"re(expect_ad\(\s*"([^"]*)")re");
    static const std::regex word(R"([A-Za-z_][A-Za-z_0-9]*)");
    for (const auto& file : std::filesystem::directory_iterator(TAPELESS_OPS_TESTS_DIR)) {
        const std::string s = read_file(file.path());
        for (std::sregex_iterator it(s.begin(), s.end(), call), end; it != end; ++it) {
            const std::string label = (*it)[1];
            for (std::sregex_iterator w(label.begin(), label.end(), word); w != end; ++w)
                named.insert((*w)[0]);
        }
    }
    BOOST_TEST(!named.empty());
    hana::for_each(tl::op::catalogue, [&](auto t) {
        using Op = typename decltype(t)::type;
        if constexpr (tl::UnaryElementwise<Op> || tl::BinaryElementwise<Op>) {
            if (!tl::op::covered_by_of<Op>().empty()) return;
            BOOST_CHECK_MESSAGE(named.count(std::string(Op::name)) == 1,
                                "op::" << Op::name
                                       << " is in no expect_ad check: give it one in the "
                                          "every_mode case of its test in test/unit/ops/, with "
                                          "its name in the label");
        }
    });
}

BOOST_AUTO_TEST_SUITE_END()
