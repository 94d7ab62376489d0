// expect: shape mismatch in matmul: the left matrix must have as many columns as the right matrix has rows
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto A = tl::variable<0, tl::matrix<2, 3>, "A">;
    auto B = tl::variable<1, tl::matrix<2, 3>, "B">;
    auto f = matmul(A, B);
    (void)f;
}
