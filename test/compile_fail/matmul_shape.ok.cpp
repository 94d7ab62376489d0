// The twin of matmul_shape.fail.cpp: (2x3)(3x2) compiles.
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    auto A = tl::variable<0, tl::matrix<2, 3>, "A">;
    auto B = tl::variable<1, tl::matrix<3, 2>, "B">;
    auto f = matmul(A, B);
    (void)f;
}
