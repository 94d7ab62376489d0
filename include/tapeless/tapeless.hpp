// tapeless/tapeless.hpp — everything but nn: the expression language, its operations, the
// compile-time graph, the modes and printing.
#ifndef TAPELESS_TAPELESS_HPP
#define TAPELESS_TAPELESS_HPP

#include "core/array.hpp"
#include "core/config.hpp"
#include "core/expr.hpp"
#include "core/name.hpp"
#include "core/node.hpp"
#include "core/rational.hpp"
#include "core/shape.hpp"
#include "core/variables.hpp"

#include "ops/activation.hpp"
#include "ops/arithmetic.hpp"
#include "ops/common.hpp"
#include "ops/exp_log.hpp"
#include "ops/hyperbolic.hpp"
#include "ops/hypot.hpp"
#include "ops/linalg.hpp"
#include "ops/loss.hpp"
#include "ops/piecewise.hpp"
#include "ops/power.hpp"
#include "ops/reduce.hpp"
#include "ops/series.hpp"
#include "ops/softmax.hpp"
#include "ops/special.hpp"
#include "ops/trig.hpp"

#include "graph/dag.hpp"
#include "graph/reverse.hpp"
#include "graph/sweep.hpp"
#include "graph/variables.hpp"

#include "modes/cost.hpp"
#include "modes/dual.hpp"
#include "modes/gradient.hpp"
#include "modes/hessian.hpp"
#include "modes/jacobian.hpp"
#include "modes/taylor.hpp"
#include "modes/taylor_expansion.hpp"
#include "modes/inputs.hpp"
#include "modes/symbolic.hpp"
#include "modes/value.hpp"

#include "check/finite_difference.hpp"

#include "io/to_dot.hpp"
#include "io/to_latex.hpp"
#include "io/to_string.hpp"

#endif
