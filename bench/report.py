#!/usr/bin/env python3
"""Turn Google Benchmark JSON from bench_gradient and bench_peers into a Markdown table of ratios.

Benchmarks are named "<row>/<contender>". Within each run (one JSON file) every contender's time
is divided by the time of "<row>/handwritten" of that same run; when a (row, contender) pair
appears in several runs, the table shows the median of its per-run ratios (and of its times).

    bench_gradient --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \\
        --benchmark_out=gradient.json --benchmark_out_format=json
    bench_peers    ... --benchmark_out=peers.json --benchmark_out_format=json
    python3 bench/report.py gradient.json peers.json            # wide table of ratios
    python3 bench/report.py --long gradient.json peers.json     # one line per contender, with ns

The time of a benchmark in a run is its "median" aggregate when the run has aggregates (choose
another with --statistic), else the median of its iterations. CPU time by default (--metric real
for wall-clock time). Standard library only.
"""

import argparse
import json
import os
import signal
import statistics
import sys

UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}

ROW_TITLES = {
    "f1_gradient": "gradient of exp(xz)+xz/ln x+sin(ln x)/(xz)",
    "f2_derivative": "d/dx of sqrt(x²+e^{x²})+cos(x²+e^{x²})",
    "lorenz_jacobian": "3×3 Jacobian, Lorenz",
    "spherical_jacobian": "3×3 Jacobian, spherical → Cartesian",
    "taylor_f2_order5": "Taylor coefficients to order 5 of sqrt(x²+e^{x²})+cos(x²+e^{x²})",
    "f1_hessian": "2×2 Hessian of exp(xz)+xz/ln x+sin(ln x)/(xz)",
    "rosenbrock_hessian_n10": "dense Hessian, Rosenbrock n = 10",
    "f1_hvp": "Hessian-vector product, exp(xz)+xz/ln x+sin(ln x)/(xz)",
    "rosenbrock_hvp_n10": "Hessian-vector product, Rosenbrock n = 10",
}

CONTENDER_TITLES = {
    "plain": "plain f",
    "handwritten": "hand-written",
    "tapeless_value": "tapeless value",
    "tapeless_reverse": "tapeless reverse",
    "tapeless_forward": "tapeless forward",
    "tapeless_jacobian_auto": "tl::jacobian, its choice",
    "tapeless_gradient_per_output": "tapeless, gradient per output",
    "finite_difference": "central differences",
    "tapeless_taylor": "tl::taylor_coefficients",
    "tapeless_taylor_number": "tl::taylor numbers",
    "eigen_autodiff": "Eigen AutoDiff",
    "ceres_jet": "Ceres Jet",
    "sacado_sfad": "Sacado SFad",
    "boost_autodiff": "Boost autodiff",
    "adolc_tape": "ADOL-C (taped)",
    "tapeless_dense": "tapeless dense (dual<n>)",
    "tapeless_hvp_columns": "tapeless, n HVPs",
    "tapeless_sparse": "tapeless, coloured HVPs",
    "tapeless_auto": "tl::hessian, its choice",
    "tapeless_hvp": "tapeless hvp",
    "tapeless_gradient": "tapeless gradient",
    "handwritten_gradient": "hand-written gradient",
    "ceres_nested_jet": "Ceres nested Jet",
    "eigen_nested_autodiff": "Eigen nested AutoDiff",
    "sacado_nested_sfad": "Sacado nested SFad",
}

# Rows in this order first, then any other row in the order first seen (JSON written with
# --benchmark_enable_random_interleaving lists benchmarks in a shuffled order).
ROW_ORDER = ["f1_gradient", "f2_derivative", "rosenbrock_gradient_n2", "rosenbrock_gradient_n10",
             "rosenbrock_gradient_n100", "lorenz_jacobian", "spherical_jacobian", "f1_hessian",
             "rosenbrock_hessian_n10", "f1_hvp", "rosenbrock_hvp_n10"]

# Columns in this order first (known peers last), then any other contender in the order first seen.
PREFERRED = ["plain", "handwritten", "tapeless_value", "tapeless_reverse", "tapeless_forward",
             "tapeless_jacobian_auto", "tapeless_gradient_per_output", "tapeless_taylor",
             "tapeless_taylor_number", "tapeless_dense", "tapeless_hvp_columns", "tapeless_sparse", "tapeless_auto",
             "tapeless_hvp", "tapeless_gradient", "handwritten_gradient", "finite_difference"]
PEER_ORDER = ["eigen_autodiff", "ceres_jet", "sacado_sfad", "boost_autodiff", "adolc_tape",
              "eigen_nested_autodiff", "ceres_nested_jet", "sacado_nested_sfad"]
# Shown as "pending" when the run says the tapeless API is not there yet (JSON context keys
# tapeless_gradient / tapeless_jacobian); the Jacobian-only ones only on "*_jacobian" rows.
NEEDS_GRADIENT = {"tapeless_reverse", "tapeless_forward", "tapeless_jacobian_auto",
                  "tapeless_gradient_per_output"}
NEEDS_JACOBIAN = {"tapeless_jacobian_auto"}
JACOBIAN_ONLY = {"tapeless_jacobian_auto", "tapeless_gradient_per_output"}
# Not peers: excluded from the "best peer" column.
NOT_PEERS = set(PREFERRED)


def row_title(row):
    if row.startswith("rosenbrock_gradient_n"):
        return "Rosenbrock gradient, n = " + row[len("rosenbrock_gradient_n"):]
    return ROW_TITLES.get(row, row)


def contender_title(c):
    return CONTENDER_TITLES.get(c, c)


def load_run(path, metric, statistic):
    """Returns (context, {run_name: ns}) for one JSON file."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    key = "cpu_time" if metric == "cpu" else "real_time"
    aggregates, iterations = {}, {}
    for b in data.get("benchmarks", []):
        if b.get("error_occurred"):
            continue
        name = b.get("run_name", b["name"])
        ns = b[key] * UNIT_NS[b.get("time_unit", "ns")]
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == statistic:
                aggregates[name] = ns
        else:
            iterations.setdefault(name, []).append(ns)
    times = {}
    for name, values in iterations.items():
        if statistic == "mean":
            times[name] = statistics.fmean(values)
        elif statistic == "min":
            times[name] = min(values)
        else:
            times[name] = statistics.median(values)
    times.update(aggregates)  # an aggregate wins over the iterations it summarises
    return data.get("context", {}), times


def fmt_ns(ns):
    if ns >= 100:
        return f"{ns:,.0f}"
    if ns >= 10:
        return f"{ns:.1f}"
    return f"{ns:.2f}"


def fmt_ratio(r):
    if r >= 100:
        return f"{r:,.0f}×"
    if r >= 10:
        return f"{r:.1f}×"
    return f"{r:.2f}×"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="Google Benchmark JSON files (one per run)")
    ap.add_argument("--metric", choices=["cpu", "real"], default="cpu")
    ap.add_argument("--statistic", choices=["median", "mean", "min"], default="median")
    ap.add_argument("--baseline", default="handwritten", help="contender every ratio divides by")
    ap.add_argument("--long", action="store_true", help="one line per (row, contender) with ns")
    ap.add_argument("--contenders", help="comma-separated contenders to show (default: all)")
    args = ap.parse_args(argv)

    rows, contenders = [], []
    cells = {}  # (row, contender) -> list of (ns, ratio), one per run
    value_cost = {}  # row -> list of tapeless_value / plain, one per run
    baselines = {}  # row -> list of baseline ns, one per run
    pending_gradient = pending_jacobian = False
    runs = []
    for path in args.files:
        ctx, times = load_run(path, args.metric, args.statistic)
        pending_gradient |= ctx.get("tapeless_gradient") == "pending"
        pending_jacobian |= ctx.get("tapeless_jacobian") == "pending"
        runs.append((path, ctx))
        split = {}
        for name, ns in times.items():
            if "/" not in name:
                continue
            row, who = name.rsplit("/", 1)
            split.setdefault(row, {})[who] = ns
        for row, by in split.items():
            if row not in rows:
                rows.append(row)
            if by.get("plain", 0) > 0 and "tapeless_value" in by:
                value_cost.setdefault(row, []).append(by["tapeless_value"] / by["plain"])
            base = by.get(args.baseline)
            if base is None or base <= 0:
                print(f"warning: {path}: row {row} has no {args.baseline}; its ratios are left out",
                      file=sys.stderr)
                continue
            baselines.setdefault(row, []).append(base)
            for who, ns in by.items():
                if who not in contenders:
                    contenders.append(who)
                cells.setdefault((row, who), []).append((ns, ns / base))

    if not cells:
        print("no '<row>/<contender>' benchmarks with a baseline found", file=sys.stderr)
        return 1

    def is_pending(row, who):
        if who in JACOBIAN_ONLY and not row.endswith("_jacobian"):
            return False
        return (pending_gradient and who in NEEDS_GRADIENT) or (pending_jacobian and who in NEEDS_JACOBIAN)

    pending_any = pending_gradient or pending_jacobian
    order = [c for c in PREFERRED
             if c in contenders or (pending_any and any(is_pending(r, c) for r in rows))]
    order += [c for c in PEER_ORDER if c in contenders]
    order += [c for c in contenders if c not in order]
    if args.contenders:
        wanted = [c.strip() for c in args.contenders.split(",") if c.strip()]
        order = [c for c in order if c in wanted or c == args.baseline]
    seen = {r: i for i, r in enumerate(rows)}
    rows = sorted(rows, key=lambda r: (ROW_ORDER.index(r) if r in ROW_ORDER else len(ROW_ORDER), seen[r]))

    def cell(row, who):
        v = cells.get((row, who))
        if not v:
            return None
        return statistics.median(x[0] for x in v), statistics.median(x[1] for x in v)

    out = []
    out.append(f"Time per call ({args.metric} time, {args.statistic} of the repetitions) as a ratio to the "
               f"{contender_title(args.baseline)} derivative of the same run (lower is better).")
    out.append("")
    if args.long:
        out.append("| task | contender | ns/call | ratio |")
        out.append("|---|---|---:|---:|")
        for row in rows:
            for who in order:
                c = cell(row, who)
                if c is None:
                    if is_pending(row, who):
                        out.append(f"| {row_title(row)} | {contender_title(who)} | pending | pending |")
                    continue
                ns, ratio = c
                out.append(f"| {row_title(row)} | {contender_title(who)} | {fmt_ns(ns)} | {fmt_ratio(ratio)} |")
    else:
        shown = [c for c in order if c != args.baseline]
        show_value_cost = "tapeless_value" in shown and bool(value_cost)
        show_best = any(c not in NOT_PEERS for c in shown)
        head = ["task", f"{contender_title(args.baseline)} (ns)"]
        for c in shown:
            head.append(contender_title(c))
            if c == "tapeless_value" and show_value_cost:
                head.append("tapeless value ÷ plain f")
        if show_best:
            head.append("best peer")
        out.append("| " + " | ".join(head) + " |")
        out.append("|---|" + "---:|" * (len(head) - 1 - show_best) + ("---|" if show_best else ""))
        for row in rows:
            if row not in baselines:
                continue
            line = [row_title(row), " / ".join(fmt_ns(b) for b in baselines[row])]
            best = None
            for who in shown:
                c = cell(row, who)
                if c is None:
                    line.append("pending" if is_pending(row, who) else "–")
                else:
                    line.append(fmt_ratio(c[1]))
                    if who not in NOT_PEERS and (best is None or c[1] < best[1]):
                        best = (who, c[1])
                if who == "tapeless_value" and show_value_cost:
                    v = value_cost.get(row)
                    line.append(fmt_ratio(statistics.median(v)) if v else "–")
            if show_best:
                line.append("–" if best is None else f"{contender_title(best[0])} {fmt_ratio(best[1])}")
            out.append("| " + " | ".join(line) + " |")
        if any(len(b) > 1 for b in baselines.values()):
            out.append("")
            out.append(f"The {contender_title(args.baseline)} column gives that baseline as measured in each "
                       "run, in the order of the files; each ratio divides by the baseline of its own run "
                       "(the median over runs when a contender is in several).")

    out.append("")
    for path, ctx in runs:
        exe = os.path.basename(ctx.get("executable", path))
        load = ctx.get("load_avg")
        load_text = ", ".join(f"{x:.2f}" for x in load) if isinstance(load, list) else "?"
        extras = []
        for k in ("compiler", "vector_isa", "tapeless_gradient", "tapeless_jacobian", "peers_found",
                  "peers_missing"):
            if k in ctx:
                extras.append(f"{k}: {ctx[k]}")
        out.append(f"- {os.path.basename(path)}: {exe}, {ctx.get('date', '?')}, {ctx.get('num_cpus', '?')} CPUs "
                   f"at {ctx.get('mhz_per_cpu', '?')} MHz, load average {load_text}"
                   + ("; " + "; ".join(extras) if extras else ""))
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped into head
    sys.exit(main(sys.argv[1:]))
