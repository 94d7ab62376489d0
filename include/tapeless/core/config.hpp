// tapeless/core/config.hpp — configuration macros.
#ifndef TAPELESS_CORE_CONFIG_HPP
#define TAPELESS_CORE_CONFIG_HPP

// Force inlining of the per-node steps of the generated sweeps, so that the optimiser sees one
// straight-line function.
#if defined(__GNUC__) || defined(__clang__)
#define TAPELESS_INLINE inline __attribute__((always_inline))
#define TAPELESS_LAMBDA_INLINE __attribute__((always_inline))
#else
#define TAPELESS_INLINE inline
#define TAPELESS_LAMBDA_INLINE
#endif

// Put before the short loops over Taylor coefficients (ops/series.hpp and the ops' Taylor rules):
// unrolled completely before the vectoriser sees them, they become straight-line code. Without it,
// g++ 12 -O3 -march=native vectorises each tiny inner reduction on its own (masked AVX-512 code
// for 1..5 elements), which made order-5 Taylor coefficients of a small function several times
// slower (measured: docs/benchmarks.md, Taylor coefficients).
#if defined(__GNUC__) || defined(__clang__)
#define TAPELESS_UNROLL _Pragma("GCC unroll 16")
#else
#define TAPELESS_UNROLL
#endif

// Defining TAPELESS_DISABLE_CHECKS turns off the library's own requirement checks (the
// static_asserts that explain misuse). Most misuse then compiles and is undefined behaviour at
// run time: a shape mismatch is evaluated on the first shape, a variable beyond the inputs reads
// past the input array. Meant only for measuring what the checks cost at compile time.
#ifdef TAPELESS_DISABLE_CHECKS
#define TAPELESS_REQUIRE(cond, msg) static_assert(true)
#else
#define TAPELESS_REQUIRE(cond, msg) static_assert(cond, msg)
#endif

#endif
