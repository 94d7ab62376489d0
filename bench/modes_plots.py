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
    subtitle = f"{context.get('compiler', '?')}, {context.get('vector_isa', '?')}; time / plain f in the same run"
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
    print("| n | forward / plain | reverse / plain | forward / reverse, measured | forward / reverse, model |")
    print("|---:|---:|---:|---:|---:|")
    for r in tables.get("square_n", []):
        print(f"| {r[0]} | {r[1]:.3g} | {r[3]:.3g} | {r[1] / r[3]:.2f} | {r[2] / r[4]:.2f} |")
    print()
    print("| n | reverse / plain (cheap-gradient ratio) | model |")
    print("|---:|---:|---:|")
    for r in tables.get("scalar_n", []):
        print(f"| {r[0]} | {r[3]:.2f} | {r[4]:.2f} |")


if __name__ == "__main__":
    main()
