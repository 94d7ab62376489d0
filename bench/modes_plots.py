#!/usr/bin/env python3
"""Plots of the forward-vs-reverse study (bench/modes.cpp): reads one bench_modes JSON file and
draws, with gnuplot, the time of each derivative divided by the plain function's time in the same
run, on log-log scales, next to the cost model's predictions (dashed):

    bench_modes --benchmark_out=modes.json --benchmark_out_format=json
    python3 bench/modes_plots.py modes.json docs/images

writes modes_scalar.png (f: R^n -> R), modes_vector.png (F: R -> R^m), modes_square.png
(F: R^n -> R^n) and modes_cheap_gradient.png (reverse / plain against n), and prints a Markdown
table of the square family's forward / reverse ratios, measured and predicted. Runs nothing but
gnuplot. Standard library only.
"""

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile

UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
ROW = re.compile(r"^(scalar_n|vector_m|square_n)(\d+)/(\w+)$")
CONTENDERS = ("plain", "forward", "reverse", "finite_difference")


def load(path, metric):
    """{(family, size, contender): (time in ns, predicted)}: the median aggregate when the run has
    aggregates, else the median of its repetitions."""
    with open(path) as f:
        data = json.load(f)
    has_aggregates = any(b.get("run_type") == "aggregate" for b in data["benchmarks"])
    times, predicted = {}, {}
    for b in data["benchmarks"]:
        if has_aggregates and b.get("aggregate_name") != "median":
            continue
        m = ROW.match(b.get("run_name", b["name"]))
        if not m:
            continue
        key = (m.group(1), int(m.group(2)), m.group(3))
        times.setdefault(key, []).append(b[metric] * UNIT_NS[b.get("time_unit", "ns")])
        if "predicted" in b:
            predicted[key] = b["predicted"]
    return {k: (statistics.median(v), predicted.get(k)) for k, v in times.items()}, data.get("context", {})


def ratios(results, family):
    """Rows of (size, ratio to plain and prediction for each of forward, reverse, differences)."""
    rows = []
    for size in sorted({k[1] for k in results if k[0] == family}):
        plain = results.get((family, size, "plain"))
        if plain is None:
            continue
        row = [size]
        for who in CONTENDERS[1:]:
            t, p = results.get((family, size, who), (float("nan"), None))
            row += [t / plain[0], p if p is not None else float("nan")]
        rows.append(row)
    return rows


def crossover(rows, threshold):
    """Where forward / reverse crosses 1 / threshold (forward clearly cheaper) or threshold
    (reverse clearly cheaper) for good: the size from which the cheaper mode is at least
    `threshold` times cheaper at every larger size, log-interpolated between the sizes measured.
    rows: (size, forward / reverse). Returns (size, 'forward' or 'reverse') or (None, who) when
    one mode is that much cheaper from the smallest size on, (None, None) when neither is."""
    if not rows:
        return None, None
    last = rows[-1][1]
    if 1 / threshold < last < threshold:
        return None, None
    who = "forward" if last <= 1 / threshold else "reverse"
    target = math.log(1 / threshold if who == "forward" else threshold)
    sign = -1 if who == "forward" else 1
    k = len(rows) - 1
    while k > 0 and sign * math.log(rows[k - 1][1]) >= sign * target:
        k -= 1
    if k == 0:
        return None, who
    (n0, r0), (n1, r1) = rows[k - 1], rows[k]
    a, b = math.log(r0), math.log(r1)
    frac = (target - a) / (b - a) if b != a else 1.0
    return n0 * (n1 / n0) ** frac, who


def write_csv(path, rows):
    with open(path, "w") as f:
        for r in rows:
            f.write(",".join(f"{x:.6g}" for x in r) + "\n")


COMMON = """set terminal pngcairo size 820,580 noenhanced
set datafile separator ','
set logscale xy 2
set format y '%g'
set grid
set key left top
"""

# Columns of each CSV: size, forward ratio, forward predicted, reverse ratio, reverse predicted,
# differences ratio, differences predicted.
MODES = """plot data using 1:2 with linespoints lw 2 pt 7 lc 1 title 'forward (measured)', \\
     data using 1:3 with lines dt 2 lw 2 lc 1 title 'forward (cost model)', \\
     data using 1:4 with linespoints lw 2 pt 5 lc 2 title 'reverse (measured)', \\
     data using 1:5 with lines dt 2 lw 2 lc 2 title 'reverse (cost model)', \\
     data using 1:6 with linespoints lw 2 pt 9 lc 3 title 'central differences (measured)', \\
     data using 1:7 with lines dt 2 lw 2 lc 3 title 'central differences (2n evaluations)'
"""


def gnuplot(script):
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("json", help="bench_modes --benchmark_out file")
    ap.add_argument("outdir", help="where the PNGs go")
    ap.add_argument("--metric", default="cpu_time", choices=("cpu_time", "real_time"))
    args = ap.parse_args()
    results, context = load(args.json, args.metric)
    os.makedirs(args.outdir, exist_ok=True)
    subtitle = (f"{context.get('date', '?')[:16]}, {context.get('compiler', '?')}, {context.get('vector_isa', '?')}, "
                f"{context.get('num_cpus', '?')} cpus; time / plain f in the same run")
    with tempfile.TemporaryDirectory() as tmp:
        plots = [
            ("scalar_n", "modes_scalar.png", "n (inputs)", "f: R^n -> R, f(w) = sum(exp(w) sin(w)) + (sum w)^2: gradient"),
            ("vector_m", "modes_vector.png", "m (outputs)", "F: R -> R^m, F(x) = exp(c x) sin(c x): Jacobian (m x 1)"),
            ("square_n", "modes_square.png", "n (inputs = outputs)", "F: R^n -> R^n, F(w) = exp(w) sin(w) + tanh(sum w) w: Jacobian (n x n)"),
        ]
        tables = {}
        for family, png, xlabel, title in plots:
            rows = ratios(results, family)
            tables[family] = rows
            if not rows:
                print(f"modes_plots: no {family} rows in {args.json}", file=sys.stderr)
                continue
            csv = os.path.join(tmp, family + ".csv")
            write_csv(csv, rows)
            gnuplot(COMMON + f"set output '{os.path.join(args.outdir, png)}'\n"
                    f"data = '{csv}'\nset xlabel '{xlabel}'\nset ylabel 'time / plain f'\n"
                    f"set title \"{title}\\n{subtitle}\"\n" + MODES)
        if tables.get("scalar_n"):
            csv = os.path.join(tmp, "scalar_n.csv")
            # The cheap-gradient principle: a gradient by reverse mode costs at most a small constant
            # times the function (Griewank and Walther give 4 to 5 in their operation counts).
            gnuplot(COMMON.replace("set logscale xy 2", "set logscale x 2\nset yrange [0:6]").replace("set key left top", "set key right bottom box opaque") +
                    f"set output '{os.path.join(args.outdir, 'modes_cheap_gradient.png')}'\n"
                    f"set xlabel 'n (inputs)'\nset ylabel 'reverse-mode gradient time / plain f'\n"
                    f"set title \"The cheap-gradient ratio, f(w) = sum(exp(w) sin(w)) + (sum w)^2\\n{subtitle}\"\n"
                    f"plot '{csv}' using 1:4 with linespoints lw 2 pt 5 lc 2 title 'reverse / plain (measured)', \\\n"
                    f"     '{csv}' using 1:5 with lines dt 2 lw 2 lc 2 title 'reverse (cost model)', \\\n"
                    "     4 with lines dt 3 lw 2 lc rgb 'black' title 'bound 4', \\\n"
                    "     5 with lines dt 4 lw 2 lc rgb 'gray40' title 'bound 5'\n")
    # Forward / reverse, measured and modelled, for every size of every family, the worst
    # disagreement, and where each says the cheaper mode becomes clearly (1.5×) cheaper. At ratios
    # near 1 the two modes cost the same and the exact crossing is noise, so the crossover is
    # taken where one mode wins by 1.5× for good.
    names = {"scalar_n": "f: Rⁿ → R (n)", "vector_m": "F: R → Rᵐ (m)", "square_n": "F: Rⁿ → Rⁿ (n)"}
    worst = (1.0, None)
    print("| family | size | forward ÷ plain | reverse ÷ plain | forward ÷ reverse, measured | forward ÷ reverse, model | model ÷ measured |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    cross = []
    for family, rows in tables.items():
        measured = [(r[0], r[1] / r[3]) for r in rows]
        model = [(r[0], r[2] / r[4]) for r in rows]
        for r, (_, fm), (_, fp) in zip(rows, measured, model):
            off = max(fp / fm, fm / fp)
            if off > worst[0]:
                worst = (off, f"{names[family]} = {r[0]}")
            print(f"| {names[family]} | {r[0]} | {r[1]:.3g} | {r[3]:.3g} | {fm:.2f} | {fp:.2f} | {fp / fm:.2f} |")
        cross.append((family, crossover(measured, 1.5), crossover(model, 1.5)))
    print()
    print(f"worst disagreement of forward ÷ reverse: {worst[0]:.2f}× at {worst[1]}")
    print()
    print("| family | cheaper mode | from (measured) | from (model) | model ÷ measured |")
    print("|---|---|---:|---:|---:|")
    for family, (nm, wm), (np_, wp) in cross:
        if wm is None or wp is None or wm != wp:
            print(f"| {names[family]} | measured {wm}, model {wp} | {nm} | {np_} | disagree |")
            continue
        fmt = lambda x: "smallest size" if x is None else f"{x:.1f}"
        ratio = "—" if nm is None or np_ is None else f"{np_ / nm:.2f}"
        print(f"| {names[family]} | {wm}, by ≥ 1.5× | {fmt(nm)} | {fmt(np_)} | {ratio} |")
    print()
    print("| n | reverse / plain (cheap-gradient ratio) | model |")
    print("|---:|---:|---:|")
    for r in tables.get("scalar_n", []):
        print(f"| {r[0]} | {r[3]:.2f} | {r[4]:.2f} |")

if __name__ == "__main__":
    main()
