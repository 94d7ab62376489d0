// The twin of tracked_dual_not_floating.fail.cpp: a tracked dual of doubles.
#include <tapeless/tapeless.hpp>
namespace tl = tapeless;

int main() {
    tl::tracked_dual<double, 2> x(1.0);
    return static_cast<int>(x.v) - 1;
}
