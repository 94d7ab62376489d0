"""Seeded random scalar DAGs with heavy sharing, and the scalar_<N> value cases."""

import math
import random

from .common import HEADER, NUM_VARS, POINT


# --- scalar DAGs -----------------------------------------------------------------------------
#
# The generator keeps its own hash-consed copy of the DAG: a node is (op, child ids...), with the
# same structure as tapeless' node types (node<Op, Children...>, var<I>, lit<R>), so two
# subexpressions with the same key are one node here exactly when they are one type there. That
# gives the exact count of unique nodes, which the program then checks with a static_assert.

def sigmoid(x):
    # as tapeless::op::sigmoid::value
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


# op name -> (arity, C++ spelling as a format string, evaluation)
OPS = {
    "add": (2, "{0} + {1}", lambda a, b: a + b),
    "sub": (2, "{0} - {1}", lambda a, b: a - b),
    "mul": (2, "{0} * {1}", lambda a, b: a * b),
    "div": (2, "{0} / {1}", lambda a, b: a / b),
    "neg": (1, "-{0}", lambda a: -a),
    "exp": (1, "exp({0})", math.exp),
    "log": (1, "log({0})", math.log),
    "sqrt": (1, "sqrt({0})", math.sqrt),
    "square": (1, "square({0})", lambda a: a * a),
    "sin": (1, "sin({0})", math.sin),
    "cos": (1, "cos({0})", math.cos),
    "tanh": (1, "tanh({0})", math.tanh),
    "sigmoid": (1, "sigmoid({0})", sigmoid),
    "atan": (1, "atan({0})", math.atan),
}

# Literals the forms use (as _c literals: compile-time rationals, so they keep subtrees shareable).
LITERALS = {"1": 1.0, "0.5": 0.5}

MAX_MAGNITUDE = 1e3  # every node value stays within this, so the sum stays finite and well-conditioned


class Dag:
    """Hash-consed nodes: key (op, child ids...), ("var", i) or ("lit", text) -> id (creation order)."""

    def __init__(self):
        self.key_to_id = {}
        self.keys = []  # id -> key
        self.values = []  # id -> value at POINT
        self.op_count = 0

    def lookup(self, key):
        return self.key_to_id.get(key)

    def intern(self, key, value):
        i = self.key_to_id.get(key)
        if i is not None:
            return i, False
        i = len(self.keys)
        self.key_to_id[key] = i
        self.keys.append(key)
        self.values.append(value)
        if not is_leaf(key):
            self.op_count += 1
        return i, True

    def snapshot(self):
        return len(self.keys)

    def rollback(self, mark):
        while len(self.keys) > mark:
            key = self.keys.pop()
            self.values.pop()
            del self.key_to_id[key]
            if not is_leaf(key):
                self.op_count -= 1

    def leaf_count(self):
        return sum(1 for k in self.keys if is_leaf(k))


def is_leaf(key):
    return key[0] in ("var", "lit")


PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3}  # everything else: 5 (a call)


def build(dag, names, expr):
    """Interns expr into dag; returns (id, created, C++ text, precedence).

    expr is a nested tuple: ("t", id) an existing temporary, ("lit", text) a literal,
    (op, sub...) an operation. Raises ValueError (leaving partial nodes: roll back) when a value
    leaves the allowed range.
    """
    kind = expr[0]
    if kind == "t":
        return expr[1], False, names[expr[1]], 5
    if kind == "lit":
        i, created = dag.intern(("lit", expr[1]), LITERALS[expr[1]])
        return i, created, expr[1] + "_c", 5
    arity, fmt, fn = OPS[kind]
    subs = [build(dag, names, s) for s in expr[1:]]
    assert len(subs) == arity
    value = fn(*[dag.values[s[0]] for s in subs])
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise ValueError("out of range")
    prec = PRECEDENCE.get(kind, 5)
    texts = []
    for pos, (_, _, t, p) in enumerate(subs):
        if prec == 5:
            need = False  # a function call: its arguments need no parentheses
        elif kind == "neg":
            need = p <= 3  # -(-a), never --a
        else:
            # left-associative binary operators: the right operand needs parentheses at equal
            # precedence too, or a + (b + c) would become the different type (a + b) + c
            need = p < prec or (pos == 1 and p == prec)
        texts.append("(" + t + ")" if need else t)
    i, created = dag.intern((kind,) + tuple(s[0] for s in subs), value)
    return i, created, fmt.format(*texts), prec


# Forms: (name, build). build gets the ids of one (unary) or two (binary) earlier temporaries and
# returns an expression for build(); the range check rejects a form whose value would explode.
def forms():
    def T(i):
        return ("t", i)

    one = ("lit", "1")
    half = ("lit", "0.5")
    unary = [
        ("sin", lambda a: ("sin", T(a))),
        ("cos", lambda a: ("cos", T(a))),
        ("tanh", lambda a: ("tanh", T(a))),
        ("sigmoid", lambda a: ("sigmoid", T(a))),
        ("atan", lambda a: ("atan", T(a))),
        ("exp", lambda a: ("exp", T(a))),  # rejected by the range check when it would explode
        ("square", lambda a: ("square", T(a))),
        ("neg", lambda a: ("neg", T(a))),
        ("half", lambda a: ("mul", half, T(a))),
        ("sqrt1p2", lambda a: ("sqrt", ("add", ("square", T(a)), one))),  # sqrt(a^2 + 1)
        ("log1p2", lambda a: ("log", ("add", one, ("square", T(a))))),  # log(1 + a^2)
    ]
    binary = [
        ("add", lambda a, b: ("add", T(a), T(b))),
        ("sub", lambda a, b: ("sub", T(a), T(b))),
        ("mul", lambda a, b: ("mul", T(a), T(b))),
        ("div1p2", lambda a, b: ("div", T(a), ("add", one, ("square", T(b))))),  # a / (1 + b^2)
        ("mulsin", lambda a, b: ("mul", T(a), ("sin", T(b)))),
        ("tanhmul", lambda a, b: ("tanh", ("mul", T(a), T(b)))),
        ("addexp", lambda a, b: ("add", T(a), ("exp", ("neg", ("square", T(b)))))),  # a + e^(-b^2)
        ("sincos", lambda a, b: ("add", ("sin", T(a)), ("cos", T(b)))),
    ]
    return unary, binary


def generate_scalar(n_ops, seed):
    """A DAG of exactly n_ops operation nodes, all reachable from one root.

    Returns (statements, root name, op count, leaf count, root value, tree size, dag, root id).
    """
    rng = random.Random(seed * 1000003 + n_ops)
    dag = Dag()
    names = {}
    statements = []
    temps = []  # ids held by named temporaries, in creation order
    pending = []  # temporaries nobody uses yet (each must end up under the root)

    for i in range(NUM_VARS):
        vid, _ = dag.intern(("var", i), POINT[i])
        names[vid] = "x%d" % i
        temps.append(vid)
        pending.append(vid)

    unary, binary = forms()
    max_form_cost = 4  # the most operation nodes one form creates (addexp: square, neg, exp, add)

    def pick_operand(prefer_pending):
        if prefer_pending and pending and rng.random() < 0.6:
            return rng.choice(pending)
        # heavy reuse: mostly a recent temporary (deep sharing), else any earlier one (long range)
        if rng.random() < 0.7:
            return rng.choice(temps[-8:])
        return rng.choice(temps)

    def operands_of(expr):
        if expr[0] == "t":
            return [expr[1]]
        if expr[0] == "lit":
            return []
        return [t for s in expr[1:] for t in operands_of(s)]

    def emit(expr, want_cost=None):
        """Adds `auto tK = expr;` if its root is a new node (and it creates want_cost op nodes)."""
        mark, before = dag.snapshot(), dag.op_count
        try:
            tid, created, text, _ = build(dag, names, expr)
        except ValueError:
            dag.rollback(mark)
            return False
        if not created or (want_cost is not None and dag.op_count - before != want_cost):
            dag.rollback(mark)
            return False
        name = "t%d" % (len(statements) + 1)
        names[tid] = name
        statements.append("auto %s = %s;" % (name, text))
        for sub in operands_of(expr):
            if sub in pending:
                pending.remove(sub)
        temps.append(tid)
        pending.append(tid)
        return True

    def budget_left():
        # operation nodes still to create once the pending temporaries are summed into the root
        return n_ops - dag.op_count - (len(pending) - 1)

    # 1. random growth while a form of any cost fits
    attempts = 0
    while budget_left() >= max_form_cost + 1:
        attempts += 1
        if attempts > 1000000:
            raise RuntimeError("generator stuck")
        if rng.random() < 0.45:
            _, f = rng.choice(unary)
            emit(f(pick_operand(True)))
        else:
            _, f = rng.choice(binary)
            a = pick_operand(True)
            c = pick_operand(len(pending) > 3)
            if a != c:
                emit(f(a, c))

    # 2. fill the remaining budget exactly with one-node steps that keep the pending count
    one_node_unary = [f for nm, f in unary if nm in ("sin", "cos", "tanh", "sigmoid", "atan", "neg")]
    attempts = 0
    while budget_left() > 0:
        attempts += 1
        if attempts > 100000:
            raise RuntimeError("generator stuck while filling")
        emit(rng.choice(one_node_unary)(rng.choice(pending)), want_cost=1)

    # 3. sum the pending temporaries into the root; each + is a new node, since no existing
    #    node uses a pending temporary
    while len(pending) > 1:
        a, c = pending[0], pending[1]
        if not emit(("add", ("t", a), ("t", c)), want_cost=1):
            raise RuntimeError("merging the pending temporaries failed (value out of range?)")
        pending.insert(0, pending.pop())  # keep folding into the running sum

    root = pending[0]
    assert dag.op_count == n_ops, (dag.op_count, n_ops)
    # every node is reachable from the root
    seen, stack = set(), [root]
    while stack:
        i = stack.pop()
        if i not in seen:
            seen.add(i)
            if not is_leaf(dag.keys[i]):
                stack.extend(dag.keys[i][1:])
    assert len(seen) == len(dag.keys), (len(seen), len(dag.keys))
    return (statements, names[root], dag.op_count, dag.leaf_count(), dag.values[root], tree_size(dag, root),
            dag, root)


def tree_size(dag, root):
    """Number of nodes of the expression tree behind the DAG (what a tree walk would visit)."""
    size = []
    for key in dag.keys:  # ids are in creation order: children first
        size.append(1 if is_leaf(key) else 1 + sum(size[c] for c in key[1:]))
    return size[root]


def scalar_program(name, statements, root, ops, leaves, includes=("array", "cmath", "cstdio"),
                   volatile_comment=True):
    """The start of a scalar case's main(): the includes, the point in volatile storage, the DAG's
    statements, f = root with its node count checked, and p, the point as an array."""
    body = "\n".join("    " + s for s in statements)
    point = ", ".join(repr(p) for p in POINT)
    include_lines = "\n".join("#include <%s>" % h for h in includes)
    comment = ("// The point lives in volatile storage so that the evaluation is not constant-folded.\n"
               if volatile_comment else "")
    return f"""
#include <tapeless/tapeless.hpp>

{include_lines}

namespace tl = tapeless;
using namespace tl::literals;

{comment}static volatile double point[{NUM_VARS}] = {{{point}}};

int main() {{
    auto [x0, x1, x2, x3] = tl::variables<{NUM_VARS}>();
{body}
    const auto& f = {root};
    static_assert(tl::graph::dag_of<tl::node_of<decltype(f)>>.size == {ops + leaves},
                  "{name}: expected {ops} operation nodes + {leaves} leaves");

    const std::array<double, {NUM_VARS}> p{{point[0], point[1], point[2], point[3]}};
"""


def scalar_case(n, seed):
    statements, root, ops, leaves, value, tree, _, _ = generate_scalar(n, seed)
    what = ("random DAG, %d unique operation nodes + %d leaves (%d variables, %d literals), "
            "seed %d; the tree behind it has %s nodes" % (ops, leaves, NUM_VARS, leaves - NUM_VARS, seed,
                                                          "{:.3g}".format(tree) if tree >= 1e6 else tree))
    name = "scalar_%d" % n
    return HEADER.format(name=name, what=what) + scalar_program(name, statements, root, ops, leaves) + f"""    const double v = tl::value(f, p);
    const double expected = {value!r};
    std::printf("scalar_{n}: nodes=%zu value=%.17g expected=%.17g\\n",
                tl::graph::dag_of<tl::node_of<decltype(f)>>.size, v, expected);
    return std::fabs(v - expected) <= 1e-9 * (1.0 + std::fabs(expected)) ? 0 : 1;
}}
"""
