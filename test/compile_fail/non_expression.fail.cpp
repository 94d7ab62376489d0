// expect: f must be a tapeless expression, or a callable that builds one
// Passing something that is neither an expression nor a callable as f.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    const int f = 42;
    return static_cast<int>(tl::value(f, std::array{1.0, 2.0}));
}
