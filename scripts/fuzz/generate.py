#!/usr/bin/env python3
"""Random tapeless expressions as C++ test sources (docs/testing.md, "Random-expression fuzzing").

    python3 scripts/fuzz/generate.py --seed 1 --count 200 --per-file 25 --out DIR

writes DIR/fuzz_<k>.cpp (each a program: it checks its expressions with
test/support/fuzz_check.hpp and exits non-zero on a disagreement) and DIR/expressions.jsonl (one
line per expression: id, file, seed, kind, points and the tree, from which
scripts/fuzz/reduce.py rebuilds it).

An expression is a tree over either the scalar variables a, b, c (tl::variables<"a", "b", "c">())
or one vector input w (tl::variable<0, tl::vector<4>, "w">), of depth up to 8, scalar-valued at
the root but with vector and matrix subexpressions (concat, slice, element, matvec, matmul,
transpose, add_rowwise, softmax, ...). Subtrees are shared: a subtree already built may be used
again, bound to a C++ `auto` (a DAG node with two parents).

Points inside every operation's domain: the points are drawn first, and every subtree is
evaluated (here, in Python floats) at each point and at the points the finite differences of the
checks will visit (p ± 2e-4 max(1, |p_i|) e_i, p ± 0.03 dir). An operation is only applied where
its argument is inside its domain with a margin at the point and on the same side of every kink,
pole and branch cut at all the visited points (log, sqrt, non-integer and general powers:
argument ≥ 0.1; division, negative powers, cbrt: |argument| ≥ 0.1; asin, acos: |argument| ≤ 0.9;
tan: |cos| ≥ 0.2; relu, abs, sign: |argument| ≥ 0.1; min, max: |a − b| ≥ 0.1; atan2: away from
the origin and from the cut; exp, sinh, cosh, expm1: |argument| ≤ 4), and every intermediate
value stays within ±50, so that finite differences are meaningful. Operations defined for all
reals have no margin: integer powers (tl::pow<N> with N ≥ 0, pow(x, 3_c), pow(x, 2),
pow(x, 2.0), square) take negative bases and 0. Some subexpressions are exactly 0 at the first
point (an input minus its value there, u − c; a point coordinate of 0 or a literal's value), and
pow bases are offset by constants of either sign (pow(-0.8 + x, 2)). Where an argument is outside, the generator first tries a wrapper
that brings it inside (log(1 + e²), sqrt(exp(tanh(e))), asin(0.9 tanh(e)), ...), then another
operation.
"""

import argparse
import json
import math
import os
import random
import sys

N_W = 4  # the size of the vector input w
SCALAR_VARS = ["a", "b", "c"]
MARGIN = 0.1
MAX_MAG = 50.0
FD_STEP = 2e-4  # twice the relative step of the checks
LINE_STEP = 0.03  # 1.5 x the largest step along the line (2 x 1e-2)

# shapes: () scalar, (n,) vector, (r, c) matrix
SHAPES = [(), (2,), (3,), (4,), (2, 2), (2, 3), (3, 2)]


def size(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def direction(n):
    return [0.5 + 0.25 * (i % 3) - 0.3 * (i % 2) for i in range(n)]


class Bad(Exception):
    """An operation applied outside its domain (or beyond the magnitude limit)."""


# --- the operations: value in Python, C++ spelling, domain ----------------------------------------

def _sigmoid(x):
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def _softplus(x):
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


# name -> (python function, domain predicate on the argument at the centre point (with margin),
#          "side" function: a value whose sign must not change across the visited points, or None)
UNARY = {
    "neg": (lambda x: -x, None, None),
    "exp": (math.exp, lambda x: abs(x) <= 4, None),
    "log": (lambda x: math.log(x), lambda x: x >= MARGIN, lambda x: x),
    "sqrt": (lambda x: math.sqrt(x), lambda x: x >= MARGIN, lambda x: x),
    "cbrt": (lambda x: math.copysign(abs(x) ** (1 / 3), x), lambda x: abs(x) >= MARGIN, lambda x: x),
    "sin": (math.sin, None, None),
    "cos": (math.cos, None, None),
    "tan": (math.tan, lambda x: abs(math.cos(x)) >= 0.2, lambda x: math.cos(x)),
    "asin": (math.asin, lambda x: abs(x) <= 0.9, lambda x: 1 - abs(x)),
    "acos": (math.acos, lambda x: abs(x) <= 0.9, lambda x: 1 - abs(x)),
    "atan": (math.atan, None, None),
    "sinh": (math.sinh, lambda x: abs(x) <= 4, None),
    "cosh": (math.cosh, lambda x: abs(x) <= 4, None),
    "tanh": (math.tanh, None, None),
    "sigmoid": (_sigmoid, None, None),
    "softplus": (_softplus, None, None),
    "relu": (lambda x: max(x, 0.0), lambda x: abs(x) >= MARGIN, lambda x: x),
    "abs": (abs, lambda x: abs(x) >= MARGIN, lambda x: x),
    "sign": (lambda x: float((x > 0) - (x < 0)), lambda x: abs(x) >= MARGIN, lambda x: x),
    "log1p": (math.log1p, lambda x: x >= -1 + MARGIN, lambda x: x + 1),
    "expm1": (math.expm1, lambda x: abs(x) <= 4, None),
    "square": (lambda x: x * x, None, None),
    "erf": (math.erf, None, None),
    "lgamma": (math.lgamma, lambda x: x >= MARGIN and x <= 30, lambda x: x),
}

BINARY = {
    "add": (lambda a, b: a + b, None, None),
    "sub": (lambda a, b: a - b, None, None),
    "mul": (lambda a, b: a * b, None, None),
    "div": (lambda a, b: a / b, lambda a, b: abs(b) >= MARGIN, lambda a, b: b),
    "pow": (lambda a, b: a ** b, lambda a, b: a >= MARGIN and abs(b) <= 4, lambda a, b: a),
    "atan2": (math.atan2, lambda a, b: math.hypot(a, b) >= MARGIN and (b >= MARGIN or abs(a) >= MARGIN),
              lambda a, b: a if b < 0 else 1.0),
    "hypot": (math.hypot, lambda a, b: math.hypot(a, b) >= MARGIN, None),
    "min": (min, lambda a, b: abs(a - b) >= MARGIN, lambda a, b: a - b),
    "max": (max, lambda a, b: abs(a - b) >= MARGIN, lambda a, b: a - b),
}
BROADCASTING = {"add", "sub", "mul", "div"}

# Literal spellings and their values.
LITERALS = {"2_c": 2.0, "0.5_c": 0.5, "3_c": 3.0, "0.9_c": 0.9, "1_c": 1.0, "1e-1_c": 0.1, "1.5_c": 1.5}
POWI = [-3, -2, -1, 2, 3, 4, 5]
POW_LITERAL = ["0.5_c", "1.5_c", "3_c", "2_c"]  # pow(x, literal): rational -> pow, integer -> powi
# pow(x, e) with a runtime constant exponent (op::pow with a constant operand): a Python int is
# written as a C++ int (pow(x, 2)), a float as a double (pow(x, 2.0)); integer ones take any base.
POW_CONSTANT = [0.5, 1.7, -0.7, 2.3, 2.0, 3.0, -1.0, 2, 3, 4, -2]
# Coordinates a point may take exactly, so that an input, or an input minus a literal, is 0.
SPECIAL_COORDINATES = [0.0, 0.0, 0.5, -0.5, 1.0, -1.0, 1.5, 0.9]


# --- trees ------------------------------------------------------------------------------------------
# A node is a list: [op, params..., children...]; see emit() for every form. Shared subtrees are
# ["ref", k], k indexing the expression's list of bindings.


def evaluate(tree, q, kind, bindings, signs=None):
    """The value of a tree at the input point q: (shape, flat list). Appends to signs (when given)
    the side of every kink, pole and branch cut the tree's operations meet (see valid())."""
    op = tree[0]
    if op == "ref":
        return bindings[tree[1]]
    if op == "var":
        return (), [q[SCALAR_VARS.index(tree[1])]]
    if op == "w":
        return (N_W,), list(q)
    if op == "lit":
        return (), [LITERALS[tree[1]]]
    if op == "const":
        return (), [tree[1]]
    if op == "cvec":
        return (len(tree[1]),), list(tree[1])
    if op == "cmat":
        return (tree[1], tree[2]), list(tree[3])
    vals = [evaluate(tree[i], q, kind, bindings, signs) for i in child_indices(tree)]
    if op in UNARY:
        s, x = vals[0]
        f, dom, side = UNARY[op]
        if signs is not None and side is not None:
            signs.extend(side(v) > 0 for v in x)
        return s, [apply1(op, f, dom, v) for v in x]
    if op in BINARY:
        (sa, xa), (sb, xb) = vals
        s = sa if sa != () else sb
        n = size(s)
        xa = xa * n if len(xa) == 1 and n > 1 else xa
        xb = xb * n if len(xb) == 1 and n > 1 else xb
        f, dom, side = BINARY[op]
        if signs is not None and side is not None:
            signs.extend(side(a, b) > 0 for a, b in zip(xa, xb))
        return s, [apply2(op, f, dom, a, b) for a, b in zip(xa, xb)]
    if op in ("powi", "powlit", "powc"):
        s, x = vals[0]
        e = float(tree[1]) if op != "powlit" else LITERALS[tree[1]]
        integer = e == int(e)
        # An integer exponent is defined for every real base (0 included when e >= 0): no margin
        # and no side to keep. A negative one has a pole at 0, a non-integer one needs x > 0.
        if signs is not None and (not integer or e < 0):
            signs.extend(v > 0 for v in x)
        for v in x:
            if (not integer and v < MARGIN) or (e < 0 and abs(v) < MARGIN):
                raise Bad(op)
        return s, [check_mag(v ** e) for v in x]
    if op in ("sum", "mean"):
        s, x = vals[0]
        if op == "sum":
            return (), [check_mag(sum(x))]
        return (), [sum(x) / len(x)]
    if op in ("log_sum_exp", "softmax"):  # row-wise on matrices
        s, x = vals[0]
        cols = s[-1]
        rows = [x[i:i + cols] for i in range(0, len(x), cols)]
        out = []
        for row in rows:
            m = max(row)
            e = [math.exp(v - m) for v in row]
            t = sum(e)
            out.extend([check_mag(m + math.log(t))] if op == "log_sum_exp" else [v / t for v in e])
        if op == "softmax":
            return s, out
        return ((), out) if len(s) == 1 else ((s[0],), out)
    if op == "dot":
        (sa, xa), (sb, xb) = vals
        return (), [check_mag(sum(a * b for a, b in zip(xa, xb)))]
    if op == "element":
        s, x = vals[0]
        return (), [x[tree[1]]]
    if op == "slice":
        s, x = vals[0]
        return (tree[2],), x[tree[1]:tree[1] + tree[2]]
    if op == "concat":
        (sa, xa), (sb, xb) = vals
        return (len(xa) + len(xb),), xa + xb
    if op == "transpose":
        (r, c), x = vals[0]
        return (c, r), [x[i * c + j] for j in range(c) for i in range(r)]
    if op == "matvec":
        ((r, c), m), (_, v) = vals
        return (r,), [check_mag(sum(m[i * c + j] * v[j] for j in range(c))) for i in range(r)]
    if op == "matmul":
        ((r, k), a), ((_, c), b) = vals
        return (r, c), [check_mag(sum(a[i * k + l] * b[l * c + j] for l in range(k))) for i in range(r) for j in range(c)]
    if op == "add_rowwise":
        ((r, c), m), (_, v) = vals
        return (r, c), [check_mag(m[i * c + j] + v[j]) for i in range(r) for j in range(c)]
    raise ValueError("unknown operation " + op)


def check_mag(v):
    if not math.isfinite(v) or abs(v) > MAX_MAG:
        raise Bad("magnitude")
    return v


def apply1(op, f, dom, v):
    if dom is not None and not dom(v):
        raise Bad(op)
    return check_mag(f(v))


def apply2(op, f, dom, a, b):
    if dom is not None and not dom(a, b):
        raise Bad(op)
    return check_mag(f(a, b))


def child_indices(tree):
    op = tree[0]
    if op in ("ref", "var", "w", "lit", "const", "cvec", "cmat"):
        return []
    if op in UNARY or op in ("sum", "mean", "log_sum_exp", "softmax", "transpose"):
        return [1]
    if op in BINARY or op in ("dot", "concat", "matvec", "matmul", "add_rowwise"):
        return [1, 2]
    if op in ("powi", "powlit", "powc", "element"):
        return [2]
    if op == "slice":
        return [3]
    raise ValueError(op)


def valid(expr):
    """Whether the expression is evaluable, inside every domain with margin at the centre points,
    and on the same side of every kink at all visited points. expr: dict with kind, points,
    bindings, root."""
    try:
        for vs in visits_of(expr):
            ref = None
            for q in vs:
                bvals, signs = [], []
                for k in binding_order(expr):
                    while len(bvals) <= k:
                        bvals.append(None)
                    bvals[k] = evaluate(expr["bindings"][k], q, expr["kind"], bvals, signs)
                evaluate(expr["root"], q, expr["kind"], bvals, signs)
                if q is vs[0]:
                    ref = signs
                elif signs != ref:
                    return False
    except (Bad, ValueError, OverflowError, ZeroDivisionError):
        return False
    return True


def binding_order(expr):
    """The bindings in an order where each comes after those it refers to."""
    order, seen = [], set()

    def visit(k):
        if k in seen:
            return
        seen.add(k)
        refs(expr["bindings"][k])
        order.append(k)

    def refs(t):
        if t[0] == "ref":
            visit(t[1])
            return
        for i in child_indices(t):
            refs(t[i])
    for k in range(len(expr["bindings"])):
        visit(k)
    return order


def drop_unused_bindings(expr):
    """The expression without the bindings its root does not reach (a subtree chosen for sharing
    inside a candidate the generator then rejected), renumbered in order."""
    used = set()

    def walk(t):
        if t[0] == "ref":
            if t[1] not in used:
                used.add(t[1])
                walk(expr["bindings"][t[1]])
            return
        for i in child_indices(t):
            walk(t[i])
    walk(expr["root"])
    keep = sorted(used)
    index = {k: i for i, k in enumerate(keep)}

    def renumber(t):
        if t[0] == "ref":
            return ["ref", index[t[1]]]
        t = list(t)
        for i in child_indices(t):
            t[i] = renumber(t[i])
        return t
    return dict(expr, bindings=[renumber(expr["bindings"][k]) for k in keep], root=renumber(expr["root"]))


def visits_of(expr):
    n = len(expr["points"][0])
    d = direction(n)
    out = []
    for p in expr["points"]:
        vs = [p]
        for i in range(n):
            h = FD_STEP * max(1.0, abs(p[i]))
            for s in (h, -h):
                q = list(p)
                q[i] += s
                vs.append(q)
        for s in (LINE_STEP, -LINE_STEP):
            vs.append([p[i] + s * d[i] for i in range(n)])
        out.append(vs)
    return out


# --- generation -------------------------------------------------------------------------------------

class Generator:
    def __init__(self, rng, kind, points, max_depth):
        self.rng = rng
        self.kind = kind
        self.points = points
        self.max_depth = max_depth
        self.expr = {"kind": kind, "points": points, "bindings": [], "root": None}
        self.pool = []  # (tree, shape): subtrees that may be shared
        self.ops_used = set()
        self.shared = {}  # id(subtree) -> (subtree, binding index)

    def ok(self, tree):
        """Whether tree is valid on its own (with the current bindings)."""
        e = dict(self.expr)
        e["root"] = tree
        return valid(e)

    def const(self):
        return round(self.rng.uniform(-1.5, 1.5), 2) or 0.25

    def leaf(self, shape):
        r = self.rng
        if shape == ():
            if self.kind == "scalar":
                return ["var", r.choice(SCALAR_VARS)]
            return ["element", r.randrange(N_W), ["w"]]
        if len(shape) == 1:
            n = shape[0]
            if self.kind == "scalar":
                vs = [["var", v] for v in SCALAR_VARS]
                r.shuffle(vs)
                if n == 2:
                    return ["concat", vs[0], vs[1]]
                if n == 3:
                    return ["concat", ["concat", vs[0], vs[1]], vs[2]]
                return ["concat", ["concat", vs[0], vs[1]], ["concat", vs[2], ["var", r.choice(SCALAR_VARS)]]]
            if n == N_W:
                return ["w"]
            b = r.randrange(N_W - n + 1)
            return ["slice", b, n, ["w"]]
        rows, cols = shape
        m = ["cmat", rows, cols, [self.const() for _ in range(rows * cols)]]
        return ["add_rowwise", m, self.leaf((cols,))]

    def gen(self, shape, depth):
        r = self.rng
        if depth <= 0 or (depth < self.max_depth and r.random() < 0.12):
            return self.leaf(shape)
        # share an earlier subtree of this shape
        cands = [t for t, s in self.pool if s == shape]
        if cands and r.random() < 0.12:
            t = r.choice(cands)
            return self.share(t)
        # a subexpression that is exactly 0 at the first point (operand of a product, argument
        # of an integer power, ...)
        if r.random() < 0.06:
            t = self.zero_shift(shape, depth - 1)
            if self.ok(t):
                return t
        for _ in range(6):
            t = self.try_op(shape, depth)
            if t is not None and self.ok(t):
                self.pool.append((t, shape))
                return t
        return self.leaf(shape)

    def value_at(self, t, q):
        """t's value (shape, flat list) at the input point q, or None outside a domain."""
        try:
            bvals = [None] * len(self.expr["bindings"])
            for k in binding_order(self.expr):
                bvals[k] = evaluate(self.expr["bindings"][k], q, self.kind, bvals)
            return evaluate(t, q, self.kind, bvals)
        except (Bad, ValueError, OverflowError, ZeroDivisionError):
            return None

    def zero_shift(self, shape, depth):
        """A subexpression that is exactly 0 at the first point: an input (or, less often, any
        subexpression) u minus its value c there, c written as a literal where one has that value
        (a - 0.5_c, a + 1_c), otherwise as a runtime constant (a - 0.37, -0.37 + a,
        w - std::array{...}). u - c is exact for an input; for a computed u it is 0 up to the
        difference between Python's and the library's rounding, which only the operations that
        are smooth at 0 accept (the others keep their margins)."""
        r = self.rng
        u = self.leaf(shape) if depth <= 0 or r.random() < 0.7 else self.gen(shape, depth)
        v = self.value_at(u, self.points[0])
        if v is None:
            return u
        _, vals = v
        if shape == ():
            c = vals[0]
            if c == 0.0:
                return u
            for lit, lv in LITERALS.items():
                if lv == c:
                    return ["sub", u, ["lit", lit]]
                if lv == -c:
                    return ["add", u, ["lit", lit]]
            return ["sub", u, ["const", c]] if r.random() < 0.5 else ["add", ["const", -c], u]
        if len(shape) == 1:
            return ["sub", u, ["cvec", list(vals)]]
        return ["sub", u, ["cmat", shape[0], shape[1], list(vals)]]

    def offset(self, t):
        """t offset by a constant of either sign: a runtime constant or a literal."""
        r = self.rng
        if r.random() < 0.6:
            return ["add", ["const", self.const()], t]
        lit = ["lit", r.choice(["0.5_c", "1_c", "1.5_c", "0.9_c"])]
        return ["sub", t, lit] if r.random() < 0.5 else ["add", lit, t]

    def share(self, t):
        """t, already part of the tree, used once more: it becomes binding k (`auto tk = ...;`),
        and every occurrence of it a reference (finish())."""
        if t[0] == "ref":
            return t
        if id(t) not in self.shared:
            self.shared[id(t)] = (t, len(self.expr["bindings"]))
            self.expr["bindings"].append(t)
        return ["ref", self.shared[id(t)][1]]

    def finish(self, root):
        """Replaces the shared subtrees by references to their bindings."""
        self.expr["root"] = root
        by_id = {k: ref for k, (t, ref) in self.shared.items()}

        def walk(t):
            for i in range(1, len(t)):
                c = t[i]
                if isinstance(c, list) and c and isinstance(c[0], str):
                    if id(c) in by_id:
                        t[i] = ["ref", by_id[id(c)]]
                    else:
                        walk(c)
        for b in self.expr["bindings"]:
            walk(b)
        if id(root) in by_id:
            self.expr["root"] = ["ref", by_id[id(root)]]
        else:
            walk(root)
        self.expr = drop_unused_bindings(self.expr)
        return self.expr

    def wrap_positive(self, t):
        r = self.rng
        return r.choice([
            lambda: ["add", ["lit", "1_c"], ["square", t]],
            lambda: ["exp", ["tanh", t]],
            lambda: ["add", ["softplus", t], ["lit", "1e-1_c"]],
            lambda: ["add", ["sigmoid", t], ["lit", "0.5_c"]],
            lambda: ["hypot", t, ["lit", "0.5_c"]] if shape_of_tree(t) == () else ["add", ["lit", "1_c"], ["square", t]],
        ])()

    def bounded(self, t):
        return self.rng.choice([["tanh", t], ["sin", t], ["mul", ["lit", "0.9_c"], ["tanh", t]], ["atan", t]])

    def try_op(self, shape, depth):
        r = self.rng
        d = depth - 1
        elementwise = shape
        choices = ["unary"] * 10 + ["binary"] * 8 + ["pow"] * 3 + ["literal"] * 2 + ["constant"] * 2
        if shape == ():
            choices += ["reduce"] * 6
        if len(shape) == 1:
            choices += ["vector"] * 5
        if len(shape) == 2:
            choices += ["matrix"] * 5
        kind = r.choice(choices)
        if kind == "unary":
            op = r.choice(list(UNARY))
            self.ops_used.add(op)
            x = self.gen(shape, d)
            t = [op, x]
            if self.ok(t):
                return t
            if op in ("log", "sqrt", "log1p"):
                return [op, self.wrap_positive(x)]
            if op in ("asin", "acos"):
                return [op, ["mul", ["lit", "0.9_c"], ["tanh", x]]]
            if op in ("exp", "sinh", "cosh", "expm1", "tan"):
                return [op, self.bounded(x)]
            return None
        if kind == "binary":
            op = r.choice(list(BINARY))
            sa = sb = shape
            if op in BROADCASTING and shape != () and r.random() < 0.25:
                if r.random() < 0.5:
                    sa = ()
                else:
                    sb = ()
            a, b = self.gen(sa, d), self.gen(sb, d)
            t = [op, a, b]
            if self.ok(t):
                return t
            if op == "div":
                return [op, a, self.wrap_positive(b)]
            if op == "pow":
                return [op, self.wrap_positive(a), self.bounded(b)]
            return None
        if kind == "pow":
            # the base: any subexpression, one that is exactly 0 at the first point, or one offset
            # by a constant of either sign (pow(-0.8 + x, 2), pow(x - 0.5_c, 3_c))
            base = r.choice(["any", "any", "zero", "offset"])
            if base == "zero":
                x = self.zero_shift(shape, d)
            elif base == "offset":
                x = self.offset(self.gen(shape, d))
            else:
                x = self.gen(shape, d)
            form = r.choice(["powi", "powlit", "powc", "powc"])
            if form == "powi":
                t = ["powi", r.choice(POWI), x]
            elif form == "powlit":
                t = ["powlit", r.choice(POW_LITERAL), x]
            else:
                t = ["powc", r.choice(POW_CONSTANT), x]
            if self.ok(t):
                return t
            return [t[0], t[1], self.wrap_positive(x)]
        if kind == "literal":
            x = self.gen(shape, d)
            lit = ["lit", r.choice(list(LITERALS))]
            op = r.choice(["add", "sub", "mul", "div"])
            return [op, lit, x] if r.random() < 0.5 or op == "div" else [op, x, lit]
        if kind == "constant":
            x = self.gen(shape, d)
            op = r.choice(["add", "sub", "mul"])
            if shape == () or r.random() < 0.5:
                c = ["const", self.const()]
            elif len(shape) == 1:
                c = ["cvec", [self.const() for _ in range(shape[0])]]
            else:
                c = ["cmat", shape[0], shape[1], [self.const() for _ in range(size(shape))]]
            return [op, c, x] if r.random() < 0.5 else [op, x, c]
        if kind == "reduce":
            form = r.choice(["sum", "mean", "dot", "dotc", "element", "log_sum_exp"])
            src = r.choice([(2,), (3,), (4,), (2, 2), (2, 3), (3, 2)])
            if form in ("dot", "dotc", "element", "log_sum_exp"):
                src = r.choice([(2,), (3,), (4,)])
            x = self.gen(src, d)
            if form == "dot":
                return ["dot", x, self.gen(src, d)]
            if form == "dotc":
                return ["dot", x, ["cvec", [self.const() for _ in range(src[0])]]]
            if form == "element":
                return ["element", r.randrange(src[0]), x]
            return [form, x]
        if kind == "vector":
            n = shape[0]
            form = r.choice(["softmax", "slice", "concat", "matvec", "log_sum_exp"])
            if form == "softmax":
                return ["softmax", self.gen(shape, d)]
            if form == "log_sum_exp":  # row-wise: a matrix with n rows
                cols = [c for c in (2, 3) if (n, c) in SHAPES]
                if not cols:
                    return None
                return ["log_sum_exp", self.gen((n, r.choice(cols)), d)]
            if form == "slice":
                m = r.choice([k for k in (2, 3, 4) if k > n] or [n])
                if m == n:
                    return None
                return ["slice", r.randrange(m - n + 1), n, self.gen((m,), d)]
            if form == "concat":
                k = r.randrange(1, n)  # sizes k and n - k (1 = scalar)
                left = () if k == 1 else (k,)
                right = () if n - k == 1 else (n - k,)
                if left not in SHAPES or right not in SHAPES:
                    return None
                return ["concat", self.gen(left, d), self.gen(right, d)]
            if n not in (2, 3):
                return None
            c = r.choice([2, 3]) if n == 2 else 2
            return ["matvec", self.gen((n, c), d), self.gen((c,), d)]
        if kind == "matrix":
            rows, cols = shape
            form = r.choice(["transpose", "matmul", "add_rowwise", "softmax"])
            if form == "softmax":
                return ["softmax", self.gen(shape, d)]
            if form == "transpose":
                if (cols, rows) not in SHAPES:
                    return None
                return ["transpose", self.gen((cols, rows), d)]
            if form == "matmul":
                k = r.choice([2, 3]) if (rows, 3) in SHAPES and (3, cols) in SHAPES else 2
                return ["matmul", self.gen((rows, k), d), self.gen((k, cols), d)]
            return ["add_rowwise", self.gen(shape, d), self.gen((cols,), d)]
        return None


def shape_of_tree(t):
    return None  # only used to pick hypot for scalars; computed lazily where needed


# --- C++ --------------------------------------------------------------------------------------------

CPP_UNARY = {"neg": "-"}


def num(v):
    s = repr(float(v))
    return s


def emit(t):
    op = t[0]
    if op == "ref":
        return "t%d" % t[1]
    if op == "var":
        return t[1]
    if op == "w":
        return "w"
    if op == "lit":
        return t[1]
    if op == "const":
        return "tl::constant(%s)" % num(t[1])
    if op == "cvec":
        return "tl::constant(std::array{%s})" % ", ".join(num(v) for v in t[1])
    if op == "cmat":
        return "tl::constant(tl::mat<double, %d, %d>{{%s}})" % (t[1], t[2], ", ".join(num(v) for v in t[3]))
    if op == "neg":
        return "-(%s)" % emit(t[1])
    if op in UNARY:
        return "tl::%s(%s)" % (op, emit(t[1]))
    if op in ("add", "sub", "mul", "div"):
        sym = {"add": "+", "sub": "-", "mul": "*", "div": "/"}[op]
        a, b = emit_operand(t[1]), emit_operand(t[2])
        return "(%s %s %s)" % (a, sym, b)
    if op in BINARY or op in ("dot", "concat", "matvec", "matmul", "add_rowwise"):
        return "tl::%s(%s, %s)" % (op, emit(t[1]), emit(t[2]))
    if op == "powi":
        return "tl::pow<%d>(%s)" % (t[1], emit(t[2]))
    if op == "powlit":
        return "tl::pow(%s, %s)" % (emit(t[2]), t[1])
    if op == "powc":  # an int exponent stays an int (pow(x, 2)), a float is a double (pow(x, 2.0))
        return "tl::pow(%s, %s)" % (emit(t[2]), str(t[1]) if isinstance(t[1], int) else num(t[1]))
    if op in ("sum", "mean", "log_sum_exp", "softmax", "transpose"):
        return "tl::%s(%s)" % (op, emit(t[1]))
    if op == "element":
        return "tl::element<%d>(%s)" % (t[1], emit(t[2]))
    if op == "slice":
        return "tl::slice<%d, %d>(%s)" % (t[1], t[2], emit(t[3]))
    raise ValueError(op)


def emit_operand(t):
    # A runtime constant as a plain operand exercises the conversions (2.0 * x, x + std::array{...}).
    if t[0] == "const":
        return num(t[1])
    if t[0] == "cvec":
        return "std::array{%s}" % ", ".join(num(v) for v in t[1])
    return emit(t)


def emit_function(expr, index):
    lines = ["// %s" % json.dumps({k: expr[k] for k in ("id", "kind", "points", "bindings", "root")}, separators=(",", ":")),
             "static void fuzz_%d(tapeless_fuzz::report& r) {" % index]
    if expr["kind"] == "scalar":
        lines.append('    [[maybe_unused]] auto [a, b, c] = tl::variables<"a", "b", "c">();')
    else:
        lines.append('    [[maybe_unused]] auto w = tl::variable<0, tl::vector<%d>, "w">;' % N_W)
    for k in binding_order(expr):
        lines.append("    auto t%d = %s;" % (k, emit(expr["bindings"][k])))
    lines.append("    auto f = %s;" % emit(expr["root"]))
    n = len(expr["points"][0])
    pts = ", ".join("{%s}" % ", ".join(num(v) for v in p) for p in expr["points"])
    lines.append("    tapeless_fuzz::check(r, %d, f, std::array<std::array<double, %d>, %d>{{%s}});"
                 % (expr["id"], n, len(expr["points"]), pts))
    lines.append("}")
    return "\n".join(lines)


def emit_file(exprs):
    out = ["// Generated by scripts/fuzz/generate.py: random expressions checked by test/support/fuzz_check.hpp.",
           "// Each function's comment is the expression's tree (scripts/fuzz/reduce.py reads it).",
           '#include "support/fuzz_check.hpp"',
           "",
           "namespace tl = tapeless;",
           "using namespace tl::literals;",
           ""]
    for i, e in enumerate(exprs):
        out.append(emit_function(e, i))
        out.append("")
    out.append("int main() {")
    out.append("    tapeless_fuzz::report r;")
    for i in range(len(exprs)):
        out.append("    fuzz_%d(r);" % i)
    out.append("    return r.finish();")
    out.append("}")
    return "\n".join(out) + "\n"


def uses(tree, bindings):
    """The ops and variables in a tree (following references)."""
    found = set()

    def walk(t):
        op = t[0]
        if op == "ref":
            walk(bindings[t[1]])
            return
        found.add(op if op != "var" else "var:" + t[1])
        for i in child_indices(t):
            walk(t[i])
    walk(tree)
    return found


def generate_one(rng, ident, max_depth=8):
    kind = rng.choice(["scalar", "scalar", "array"])
    n = 3 if kind == "scalar" else N_W
    for _ in range(50):
        points = [[round(rng.uniform(-1.5, 1.5), 3) for _ in range(n)] for _ in range(2)]
        # some coordinates exactly 0 or a literal's value (of either sign), so that an input, or
        # an input minus a literal, is exactly 0 there
        for p in points:
            if rng.random() < 0.35:
                p[rng.randrange(n)] = rng.choice(SPECIAL_COORDINATES)
        depth = rng.randint(3, max_depth)
        g = Generator(rng, kind, points, depth)
        root = g.gen((), depth)
        expr = g.finish(root)
        if not valid(expr):
            continue
        if root[0] in ("var", "element") or len(uses(expr["root"], expr["bindings"])) < 3:
            continue
        expr["id"] = ident
        return expr
    raise RuntimeError("no valid expression found")


# Operations of the library's catalogue (ops/catalogue.hpp) that the generator does not build, and
# why. Every other operation of the catalogue must appear in the expressions it generates:
# --check-catalogue (ctest catalogue.fuzz_generator) fails for one that does not, so a new
# operation is fuzzed or listed here with its reason.
NOT_BUILT = {
    "positive": "the step function of relu's derivative rule, exercised through relu",
    "greater_equal": "the step function of min's and max's derivative rules, exercised through them",
    "mse": "a loss of the nn layer (scalar result of two arrays); its rows in docs/edge-cases.md",
    "binary_cross_entropy_with_logits": "a loss of the nn layer; its rows in docs/edge-cases.md",
    "softmax_cross_entropy": "a loss of the nn layer; its rows in docs/edge-cases.md",
    "atan_derivative": "atan's derivatives, which every derivative of an expression with atan evaluates",
    "atan2_partial": "atan2's partials, which every derivative of an expression with atan2 evaluates",
    "hypot_partial": "hypot's partials, which every derivative of an expression with hypot evaluates",
    "erf_derivative": "erf's derivatives, which every derivative of an expression with erf evaluates",
    "polygamma": "lgamma's derivatives, which every derivative of an expression with lgamma evaluates",
    "drop_front": "run-time rows only (vector<dynamic>); test/unit/modes/rows.cpp checks it against slices",
    "drop_back": "run-time rows only (vector<dynamic>); test/unit/modes/rows.cpp checks it against slices",
    "gather": "run-time rows only (indices); test/unit/modes/rows.cpp checks it by hand and by differences",
}


def check_catalogue(path, seed, count, max_depth):
    """Every operation of the catalogue (JSON written by scripts/catalogue.cpp) is built by `count`
    generated expressions or listed in NOT_BUILT; NOT_BUILT names only operations that exist."""
    with open(path) as f:
        catalogue = {op["name"] for op in json.load(f)}
    rng = random.Random(seed)
    built = set()
    for i in range(count):
        e = generate_one(rng, i, max_depth)
        built |= uses(e["root"], e["bindings"])
    problems = []
    for name in sorted(catalogue):
        if name not in built and name not in NOT_BUILT:
            problems.append("op::%s is in the catalogue but no generated expression uses it: teach "
                            "scripts/fuzz/generate.py to build it, or list it in NOT_BUILT with the reason" % name)
    for name in sorted(NOT_BUILT):
        if name not in catalogue:
            problems.append("NOT_BUILT lists %s, which the catalogue does not have" % name)
        elif name in built:
            problems.append("NOT_BUILT lists %s, which the generator builds" % name)
    for p in problems:
        print("error: " + p, file=sys.stderr)
    print("catalogue: %d operations, %d built by %d expressions (seed %d), %d not built (NOT_BUILT)"
          % (len(catalogue), len(catalogue & built), count, seed, len(NOT_BUILT)), file=sys.stderr)
    return 1 if problems else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--per-file", type=int, default=25)
    ap.add_argument("--max-depth", type=int, default=8)
    ap.add_argument("--out")
    ap.add_argument("--check-catalogue", metavar="JSON",
                    help="check that the expressions cover every operation of this catalogue "
                         "(the output of scripts/catalogue.cpp); writes nothing")
    args = ap.parse_args(argv)
    if args.check_catalogue:
        return check_catalogue(args.check_catalogue, args.seed, args.count, args.max_depth)
    if not args.out:
        ap.error("--out is required")
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    exprs = [generate_one(rng, i, args.max_depth) for i in range(args.count)]
    files = []
    with open(os.path.join(args.out, "expressions.jsonl"), "w") as js:
        for k in range(0, args.count, args.per_file):
            name = "fuzz_%d.cpp" % (k // args.per_file)
            chunk = exprs[k:k + args.per_file]
            text = emit_file(chunk)
            path = os.path.join(args.out, name)
            # only rewrite changed files (keeps build systems from recompiling)
            old = None
            if os.path.exists(path):
                with open(path) as f:
                    old = f.read()
            if old != text:
                with open(path, "w") as f:
                    f.write(text)
            files.append(name)
            for e in chunk:
                line = {"id": e["id"], "file": name, "seed": args.seed}
                line.update((k, e[k]) for k in ("kind", "points", "bindings", "root"))
                js.write(json.dumps(line, separators=(",", ":")) + "\n")
    ops = set()
    for e in exprs:
        ops |= uses(e["root"], e["bindings"])
    shared = sum(1 for e in exprs if e["bindings"])
    print("generated %d expressions in %d files (%d with shared subtrees, %d operations)"
          % (args.count, len(files), shared, len([o for o in ops if not o.startswith("var:")])), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
