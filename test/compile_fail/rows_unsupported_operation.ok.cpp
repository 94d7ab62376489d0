// The twin of rows_unsupported_operation.fail.cpp: softmax of a static vector, and an elementwise
// operation and a sum on run-time rows, compile.
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto x = tl::variable<0, tl::vector<tl::dynamic>, "x">;
    auto w = tl::variable<1, tl::vector<3>, "w">;
    auto f = tl::sum(exp(x)) + tl::sum(tl::softmax(w));
    (void)f;
}
