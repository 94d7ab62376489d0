#!/usr/bin/env python3
"""Reduces a failing random expression to a minimal one (docs/testing.md).

    python3 scripts/fuzz/reduce.py --expr build/fuzz/seed-1/failures.jsonl --line 1
    python3 scripts/fuzz/reduce.py --json '{"id":0,"kind":"scalar",...}' [--match 'reverse vs forward']

The expression (a line of expressions.jsonl or failures.jsonl as written by generate.py) is
compiled alone with the checks of test/support/fuzz_check.hpp and run. Then, while the failure
persists (the program still fails to compile, or still reports a disagreement whose message
matches --match), the reducer repeatedly drops one of the two points, inlines a shared subtree,
and replaces a subtree by one of its own subtrees of the same shape or by an input of that shape,
keeping only expressions whose points are inside every operation's domain (generate.valid).
It prints the minimal expression as C++ and as JSON.
"""

import argparse
import copy
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate as g  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def shape_of(t, bshapes):
    op = t[0]
    if op == "ref":
        return bshapes[t[1]]
    if op in ("var", "lit", "const"):
        return ()
    if op == "w":
        return (g.N_W,)
    if op == "cvec":
        return (len(t[1]),)
    if op == "cmat":
        return (t[1], t[2])
    kids = [shape_of(t[i], bshapes) for i in g.child_indices(t)]
    if op in g.UNARY or op in ("powi", "powlit", "powc", "softmax"):
        return kids[0]
    if op in g.BINARY:
        return kids[0] if kids[0] != () else kids[1]
    if op in ("sum", "mean", "dot", "element"):
        return ()
    if op == "log_sum_exp":
        return () if len(kids[0]) == 1 else (kids[0][0],)
    if op == "slice":
        return (t[2],)
    if op == "concat":
        return (g.size(kids[0]) + g.size(kids[1]),)
    if op == "transpose":
        return (kids[0][1], kids[0][0])
    if op == "matvec":
        return (kids[0][0],)
    if op == "matmul":
        return (kids[0][0], kids[1][1])
    if op == "add_rowwise":
        return kids[0]
    raise ValueError(op)


def binding_shapes(expr):
    shapes = [None] * len(expr["bindings"])
    for k in g.binding_order(expr):
        shapes[k] = shape_of(expr["bindings"][k], shapes)
    return shapes


def node_count(expr):
    def n(t):
        return 1 + sum(n(t[i]) for i in g.child_indices(t))
    return n(expr["root"]) + sum(n(b) for b in expr["bindings"]) + len(expr["points"])


def positions(t, path=()):
    """Every subtree of t with its path (indices into the lists)."""
    yield path, t
    for i in g.child_indices(t):
        yield from positions(t[i], path + (i,))


def replace_at(t, path, new):
    if not path:
        return new
    t = copy.deepcopy(t)
    node = t
    for i in path[:-1]:
        node = node[i]
    node[path[-1]] = new
    return t


def inputs_of_shape(kind, shape):
    """Inputs (leaves) of a shape, smallest first."""
    if shape == ():
        if kind == "scalar":
            return [["var", v] for v in g.SCALAR_VARS]
        return [["element", i, ["w"]] for i in range(g.N_W)]
    if len(shape) == 1:
        n = shape[0]
        if kind == "array":
            if n == g.N_W:
                return [["w"]]
            if n < g.N_W:
                return [["slice", b, n, ["w"]] for b in range(g.N_W - n + 1)]
        return []
    return []


def candidates(expr):
    """Smaller variants of expr, the largest reductions first."""
    kind = expr["kind"]
    if len(expr["points"]) > 1:
        for k in range(len(expr["points"])):
            yield dict(expr, points=[expr["points"][k]])
    # inline a binding
    for k in range(len(expr["bindings"])):
        def inline(t):
            if t[0] == "ref":
                return copy.deepcopy(expr["bindings"][t[1]]) if t[1] == k else t
            t = list(t)
            for i in g.child_indices(t):
                t[i] = inline(t[i])
            return t
        e = dict(expr, root=inline(expr["root"]), bindings=[inline(b) if j != k else b for j, b in enumerate(expr["bindings"])])
        yield g.drop_unused_bindings(e)
    bshapes = binding_shapes(expr)
    trees = [("root", None)] + [("binding", k) for k in range(len(expr["bindings"]))]
    for where, k in trees:
        tree = expr["root"] if where == "root" else expr["bindings"][k]
        for path, sub in list(positions(tree)):
            shape = shape_of(sub, bshapes)
            repl = []
            for p2, s2 in positions(sub):
                if p2 and shape_of(s2, bshapes) == shape:
                    repl.append(s2)
            repl += [x for x in inputs_of_shape(kind, shape) if x != sub]
            for r in repl:
                new = replace_at(tree, path, copy.deepcopy(r))
                if where == "root":
                    e = dict(expr, root=new)
                else:
                    b = list(expr["bindings"])
                    b[k] = new
                    e = dict(expr, bindings=b)
                yield g.drop_unused_bindings(e)


class Runner:
    def __init__(self, cxx, flags, match, workdir):
        self.cxx, self.flags, self.match, self.workdir = cxx, flags, match, workdir
        self.runs = 0

    def outcome(self, expr):
        """'compile-error', 'disagreement: <first message>' or 'ok'."""
        self.runs += 1
        e = dict(expr, id=0)
        src = os.path.join(self.workdir, "reduce.cpp")
        exe = os.path.join(self.workdir, "reduce")
        with open(src, "w") as f:
            f.write(g.emit_file([e]))
        c = subprocess.run([self.cxx, "-std=c++20"] + self.flags.split() + ["-I", os.path.join(ROOT, "include"),
                            "-I", os.path.join(ROOT, "test"), src, "-o", exe], capture_output=True, text=True)
        if c.returncode != 0:
            return "compile-error", c.stderr
        r = subprocess.run([exe], capture_output=True, text=True)
        fails = [l for l in r.stdout.splitlines() if l.startswith("FUZZ-FAIL")]
        if r.returncode != 0 and not fails:
            return "crash", r.stdout + r.stderr
        if fails:
            return "disagreement", "\n".join(fails)
        return "ok", r.stdout

    def fails(self, expr, want_kind):
        kind, text = self.outcome(expr)
        if kind != want_kind:
            return False
        return self.match is None or re.search(self.match, text) is not None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--expr", help="a .jsonl file of expressions")
    ap.add_argument("--line", type=int, default=1, help="which line of --expr (from 1)")
    ap.add_argument("--json", help="the expression itself")
    ap.add_argument("--match", help="a regular expression the failure's messages must keep matching")
    ap.add_argument("--cxx", default="clang++")
    ap.add_argument("--flags", default="-O0")
    args = ap.parse_args(argv)
    if args.json:
        expr = json.loads(args.json)
    else:
        with open(args.expr) as f:
            expr = json.loads(f.read().splitlines()[args.line - 1])
    expr = {k: expr[k] for k in ("kind", "points", "bindings", "root")}
    with tempfile.TemporaryDirectory() as tmp:
        run = Runner(args.cxx, args.flags, args.match, tmp)
        kind, text = run.outcome(expr)
        if kind == "ok":
            print("the expression does not fail", file=sys.stderr)
            return 1
        print("failure (%s):\n%s" % (kind, text[:2000]), file=sys.stderr)
        progress = True
        while progress:
            progress = False
            for cand in candidates(expr):
                if node_count(cand) >= node_count(expr) or not g.valid(cand):
                    continue
                if run.fails(cand, kind):
                    expr = cand
                    progress = True
                    print("reduced to %d nodes (%d runs)" % (node_count(expr), run.runs), file=sys.stderr)
                    break
        kind, text = run.outcome(expr)
    e = dict(expr, id=0)
    print("// minimal (%s after %d runs):\n%s" % (kind, run.runs, text[:3000]))
    print(g.emit_function(e, 0))
    print(json.dumps(e, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
