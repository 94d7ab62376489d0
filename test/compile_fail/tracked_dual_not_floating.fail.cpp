// expect: tracked_dual holds floating-point numbers
// tracked_dual's flags are per tangent of a plain floating-point number: int (or a nested dual) is
// refused.
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    tl::tracked_dual<int, 2> x(1);
    return x.v;
}
