// tapeless/core/error.hpp — the exceptions of run-time extents: tl::shape_error and
// tl::index_error.
//
// A shape that is only known at run time (tl::dynamic, core/shape.hpp) is checked when the
// expression is evaluated, once per call and before any output is written: two run-time lengths
// that must agree and do not, an input of the wrong length, an empty input where a reduction
// needs an element. The message names the operation, the inputs involved and their lengths.
#ifndef TAPELESS_CORE_ERROR_HPP
#define TAPELESS_CORE_ERROR_HPP

#include <stdexcept>
#include <string>

namespace tapeless {

// Run-time lengths that do not fit the expression.
class shape_error : public std::invalid_argument {
public:
    explicit shape_error(const std::string& what) : std::invalid_argument(what) {}
};

// A run-time index outside the array it indexes.
class index_error : public std::out_of_range {
public:
    explicit index_error(const std::string& what) : std::out_of_range(what) {}
};

} // namespace tapeless

#endif
