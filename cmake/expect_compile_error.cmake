# Runs the C++ compiler on a source file that must NOT compile.
#
#   cmake -DCOMPILER=<c++> -DSOURCE=<file.fail.cpp> -DSOURCE_DIR=<repo root>
#         [-DEXPECT=<regex>] -P expect_compile_error.cmake
#
# - If the file compiles: prints EXPECT_COMPILE_ERROR_UNEXPECTED_SUCCESS and fails.
# - Otherwise: prints the compiler output, so that the ctest PASS_REGULAR_EXPRESSION can match it.
# - If EXPECT is given and the output does not match it: prints
#   EXPECT_COMPILE_ERROR_DIAGNOSTIC_MISMATCH and fails.
# ctest ignores the exit code when PASS_REGULAR_EXPRESSION is set, so the test also registers
# "EXPECT_COMPILE_ERROR_[A-Z_]+" as FAIL_REGULAR_EXPRESSION, which takes precedence: neither a
# successful compile nor a wrong diagnostic can pass.

foreach(var COMPILER SOURCE SOURCE_DIR)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "EXPECT_COMPILE_ERROR_SCRIPT_ERROR: ${var} not set")
    endif()
endforeach()

# Plain ASCII diagnostics (g++ uses typographic quotes in UTF-8 locales).
set(ENV{LC_ALL} C)
set(ENV{LANG} C)

execute_process(
    COMMAND "${COMPILER}" -std=c++20 -fsyntax-only "-I${SOURCE_DIR}/include"
            "-I${SOURCE_DIR}/test" "${SOURCE}"
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE output)

if(result EQUAL 0)
    message("EXPECT_COMPILE_ERROR_UNEXPECTED_SUCCESS: ${SOURCE} compiled, but must be rejected")
    message(FATAL_ERROR "compile succeeded")
endif()

message("${output}")

if(DEFINED EXPECT AND NOT "${EXPECT}" STREQUAL "")
    if(NOT output MATCHES "${EXPECT}")
        message("EXPECT_COMPILE_ERROR_DIAGNOSTIC_MISMATCH: compiler output does not match the "
                "'// expect:' regex of ${SOURCE}")
        message(FATAL_ERROR "wrong diagnostic")
    endif()
endif()
