"""The generator's own AD oracle: values, exact gradients and central differences of its copy of
a scalar DAG, so that a grad_* case is checked before it is written."""

import math

from .common import NUM_VARS, POINT
from .scalar import LITERALS, OPS, is_leaf


# --- scalar DAGs with their gradient ---------------------------------------------------------
#
# grad_scalar_<N> is the DAG of scalar_<N> (same seed, same statements), evaluated with
# tl::value_and_gradient. The program checks the value as scalar_<N> does and each gradient
# component against a central difference of tl::value. The generator computes the exact gradient
# of its own copy of the DAG (reverse mode over the same nodes) and the same central differences
# in the same double arithmetic, and refuses to write a case whose differences would not pass the
# program's test -- so a failing grad_scalar program points at the library, not at the step size.

# op name -> the partial derivatives, given the operand values and the node's value
PARTIALS = {
    "add": lambda a, b, y: (1.0, 1.0),
    "sub": lambda a, b, y: (1.0, -1.0),
    "mul": lambda a, b, y: (b, a),
    "div": lambda a, b, y: (1.0 / b, -a / (b * b)),
    "neg": lambda a, y: (-1.0,),
    "exp": lambda a, y: (y,),
    "log": lambda a, y: (1.0 / a,),
    "sqrt": lambda a, y: (0.5 / y,),
    "square": lambda a, y: (2.0 * a,),
    "sin": lambda a, y: (math.cos(a),),
    "cos": lambda a, y: (-math.sin(a),),
    "tanh": lambda a, y: (1.0 - y * y,),
    "sigmoid": lambda a, y: (y * (1.0 - y),),
    "atan": lambda a, y: (1.0 / (1.0 + a * a),),
}

FD_STEP = 6e-6  # about cbrt(machine epsilon), times max(1, |x_i|): central differences
FD_RTOL, FD_ATOL = 1e-5, 1e-8  # a gradient component passes when |g - fd| <= rtol |fd| + atol


def dag_values(dag, point):
    """The value of every node at `point` (ids are in creation order: children first)."""
    values = []
    for key in dag.keys:
        if key[0] == "var":
            values.append(point[key[1]])
        elif key[0] == "lit":
            values.append(LITERALS[key[1]])
        else:
            values.append(OPS[key[0]][2](*[values[c] for c in key[1:]]))
    return values


def dag_gradient(dag, root):
    """The exact gradient of the root with respect to the NUM_VARS variables, by reverse mode."""
    adjoint = [0.0] * len(dag.keys)
    adjoint[root] = 1.0
    for i in range(len(dag.keys) - 1, -1, -1):
        key = dag.keys[i]
        if is_leaf(key) or adjoint[i] == 0.0:
            continue
        args = [dag.values[c] for c in key[1:]]
        for c, d in zip(key[1:], PARTIALS[key[0]](*args, dag.values[i])):
            adjoint[c] += adjoint[i] * d
    grad = [0.0] * NUM_VARS
    for i, key in enumerate(dag.keys):
        if key[0] == "var":
            grad[key[1]] = adjoint[i]
    return grad


def fd_points(i):
    """The two points of the central difference in variable i, as the program computes them."""
    h = FD_STEP * max(1.0, abs(POINT[i]))
    return POINT[i] + h, POINT[i] - h


def check_fd(dag, root, n):
    exact = dag_gradient(dag, root)
    for i in range(NUM_VARS):
        up, down = fd_points(i)
        vals = []
        for xi in (up, down):
            q = list(POINT)
            q[i] = xi
            vals.append(dag_values(dag, q)[root])
        fd = (vals[0] - vals[1]) / (up - down)
        if not abs(exact[i] - fd) <= FD_RTOL * abs(fd) + FD_ATOL:
            raise RuntimeError("grad_scalar_%d: the central difference in x%d (%r) misses the exact "
                               "derivative (%r) by more than the program's tolerance" % (n, i, fd, exact[i]))
    return exact
