#include <tapeless/tapeless.hpp>

#include <cstdio>

static_assert(__cplusplus >= 202002L, "tapeless::tapeless must request C++20");

int main() {
    std::puts("tapeless consumer: ok");
    return 0;
}
