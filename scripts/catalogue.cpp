// Writes the operation catalogue (ops/catalogue.hpp) as JSON to standard output, one object per
// operation: its name, kind (unary, binary or array), domain and the flags the modes read. The
// Python generators read it (scripts/fuzz/generate.py --check-catalogue: ctest
// catalogue.fuzz_generator), so that an operation added to the library and not to a generator's
// tables fails a test instead of going unexercised.
#include <tapeless/ops/catalogue.hpp>

#include <iostream>
#include <string_view>

#include <boost/hana/for_each.hpp>

namespace tl = tapeless;

namespace {
// A JSON string (the names and domains are ASCII without quotes; escape them anyway).
void quoted(std::ostream& out, std::string_view s) {
    out << '"';
    for (char c : s) {
        if (c == '"' || c == '\\') out << '\\';
        out << c;
    }
    out << '"';
}
} // namespace

int main() {
    std::cout << "[\n";
    bool first = true;
    boost::hana::for_each(tl::op::catalogue, [&](auto t) {
        using Op = typename decltype(t)::type;
        std::cout << (first ? "  {" : ",\n  {");
        first = false;
        std::cout << "\"name\": ";
        quoted(std::cout, Op::name);
        std::cout << ", \"kind\": "
                  << (tl::UnaryElementwise<Op>    ? "\"unary\""
                      : tl::BinaryElementwise<Op> ? "\"binary\""
                                                  : "\"array\"");
        std::cout << ", \"domain\": ";
        quoted(std::cout, Op::domain);
        std::cout << ", \"singular\": " << (tl::detail::singular_of<Op>() ? "true" : "false")
                  << ", \"cheap\": " << (tl::detail::cheap_of<Op>() ? "true" : "false") << '}';
    });
    std::cout << "\n]\n";
}
