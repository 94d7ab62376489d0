#!/usr/bin/env python3
"""Turns the raw measurements of run.sh into Markdown tables and a JSON file, and checks budgets.

Input: a TSV with one line per compile: case, compiler, status (ok|fail|timeout|...), seconds,
peak KB, run status (ok|fail|-), CPU seconds, load. The median over the repeats of a cell is
reported; a cell with a failed compile reports the failure. Two tables: the value cases, and the
value-and-gradient cases (grad_<case>) with the ratio of their time to that of <case>. Exit status
1 when a --budget is exceeded (or its cell failed or was not measured), else 0.
"""

import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys

# The design's budget (issue 3): the include, and a 200-node scalar expression (value; value and
# gradient) with g++ -O2.
DESIGN_BUDGET = ["include_only:g++:2", "scalar_200:g++:10:1024", "grad_scalar_200:g++:10:1024",
                 "hess_scalar_200:g++:10:1024"]
GRAD_PREFIX = "grad_"
HESS_PREFIX = "hess_"


def machine():
    info = {}
    try:
        info["cores"] = int(subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip())
    except (OSError, ValueError):
        info["cores"] = os.cpu_count()
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        m = re.search(r"^Model name:\s*(.+)$", out, re.M)
        if m:
            info["cpu"] = m.group(1).strip()
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            m = re.search(r"MemTotal:\s*(\d+) kB", f.read())
            if m:
                info["memory_gb"] = round(int(m.group(1)) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def read_measurements(path):
    cells = {}  # (case, compiler) -> list of (status, seconds, kb, run)
    order = []
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 8:
                continue
            case, cxx, status, secs, kb, run, cpu, load = parts
            if case not in order:
                order.append(case)
            cells.setdefault((case, cxx), []).append(
                (status, float(secs), int(kb), run, float(cpu), float(load) if load != "-" else None))
    return order, cells


def nodes_of(log_dir, case, cxx):
    try:
        with open(os.path.join(log_dir, "%s.%s.run" % (case, cxx))) as f:
            m = re.search(r"nodes=(\d+)", f.read())
            return int(m.group(1)) if m else None
    except OSError:
        return None


def summarise(runs):
    statuses = [r[0] for r in runs]
    bad = [s for s in statuses if s != "ok"]
    run = next((r[3] for r in runs if r[3] != "-"), "-")
    if bad:
        r = next(r for r in runs if r[0] != "ok")
        return {"status": bad[0], "seconds": r[1], "peak_mb": r[2] / 1024 if r[2] else None,
                "cpu_seconds": r[4], "all_seconds": [x[1] for x in runs], "run": run, "load": r[5]}
    return {"status": "ok", "seconds": statistics.median(r[1] for r in runs),
            "peak_mb": statistics.median(r[2] for r in runs) / 1024,
            "cpu_seconds": statistics.median(r[4] for r in runs),
            "all_seconds": [r[1] for r in runs], "all_peak_mb": [r[2] / 1024 for r in runs],
            "all_cpu_seconds": [r[4] for r in runs], "run": run,
            "load": [r[5] for r in runs]}


FAILURE_TEXT = {
    "fail": "**compile error**",
    "oom": "**out of memory**",
    "depth": "**template depth exceeded**",
    "constexpr": "**constexpr limit**",
    "killed": "**killed** (SIGKILL)",
}


def cell_text(s):
    if s is None:
        return "–", "–"
    if s["status"] == "ok":
        t = "%.2f" % s["seconds"]
        if s["run"] == "fail":
            t += " (**run failed**)"
        return t, "%.0f" % s["peak_mb"]
    if s["status"] == "skipped":
        return "skipped", "–"
    mb = "%.0f" % s["peak_mb"] if s.get("peak_mb") else "–"
    if s["status"] == "timeout":
        return "**timeout** (killed at %.0f s)" % s["seconds"], ">" + mb if mb != "–" else mb
    return "%s after %.0f s" % (FAILURE_TEXT.get(s["status"], s["status"]), s["seconds"]), mb


def parse_budget(spec):
    parts = spec.split(":")
    if len(parts) not in (3, 4):
        raise ValueError("budget '%s' is not CASE:COMPILER:SECONDS[:MB]" % spec)
    return {"case": parts[0], "compiler": parts[1], "seconds": float(parts[2]),
            "peak_mb": float(parts[3]) if len(parts) == 4 and parts[3] else None}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--measurements", required=True)
    ap.add_argument("--logs", help="directory of the <case>.<compiler>.run outputs (default: next to measurements)")
    ap.add_argument("--depth")
    ap.add_argument("--json", required=True)
    ap.add_argument("--flags", default="")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--compilers", default="g++ clang++")
    ap.add_argument("--version", action="append", default=[], help="COMPILER=version line")
    ap.add_argument("--budget", action="append", default=[])
    ap.add_argument("--library", default="unknown", help="the measured library version (git commit)")
    args = ap.parse_args()

    log_dir = args.logs or os.path.join(os.path.dirname(os.path.abspath(args.measurements)), "logs")
    order, cells = read_measurements(args.measurements)
    compilers = args.compilers.split()
    versions = dict(v.split("=", 1) for v in args.version)

    results = []
    summary = {}
    for case in order:
        for cxx in compilers:
            if (case, cxx) not in cells:
                continue
            s = summarise(cells[(case, cxx)])
            s["nodes"] = nodes_of(log_dir, case, cxx)
            summary[(case, cxx)] = s
            results.append(dict(case=case, compiler=cxx, **s))

    # the time of a value-and-gradient case over that of its value case
    for r in results:
        r["mode"] = ("value_and_gradient" if r["case"].startswith(GRAD_PREFIX) else
                     "value_gradient_and_hessian" if r["case"].startswith(HESS_PREFIX) else "value")
        if r["mode"] != "value":
            base = summary.get((r["case"].split("_", 1)[1], r["compiler"]))
            if r["status"] == "ok" and base is not None and base["status"] == "ok" and base["seconds"] > 0:
                r["ratio_to_value"] = round(r["seconds"] / base["seconds"], 3)

    # Markdown tables: the value cases, then the value-and-gradient cases
    def table(cases, ratio):
        head = "| case | DAG nodes |" + "".join(" %s s | %s MB |" % (c, c) for c in compilers)
        rule = "|---|--:|" + "--:|--:|" * len(compilers)
        if ratio:
            head += "".join(" %s ×value |" % c for c in compilers)
            rule += "--:|" * len(compilers)
        lines = [head, rule]
        for case in cases:
            nodes = next((summary[(case, c)]["nodes"] for c in compilers
                          if (case, c) in summary and summary[(case, c)]["nodes"] is not None), None)
            row = "| %s | %s |" % (case, nodes if nodes is not None else "–")
            for c in compilers:
                t, m = cell_text(summary.get((case, c)))
                row += " %s | %s |" % (t, m)
            if ratio:
                for c in compilers:
                    r = next((r for r in results if r["case"] == case and r["compiler"] == c), None)
                    row += " %s |" % ("%.1f" % r["ratio_to_value"] if r and "ratio_to_value" in r else "–")
            lines.append(row)
        return "\n".join(lines)

    value_cases = [c for c in order if not c.startswith((GRAD_PREFIX, HESS_PREFIX))]
    grad_cases = [c for c in order if c.startswith(GRAD_PREFIX)]
    hess_cases = [c for c in order if c.startswith(HESS_PREFIX)]
    if value_cases:
        print("Value (tl::value):\n")
        print(table(value_cases, False))
    if grad_cases:
        if value_cases:
            print()
        print("Value and gradient (tl::value_and_gradient, reverse mode; ×value: time over that of the "
              "value case):\n")
        print(table(grad_cases, True))
    if hess_cases:
        if value_cases or grad_cases:
            print()
        print("Value, gradient and Hessian (tl::value_gradient_and_hessian; ×value: time over that of "
              "the value case):\n")
        print(table(hess_cases, True))

    depth = []
    if args.depth and os.path.exists(args.depth):
        with open(args.depth) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3:
                    depth.append({"case": parts[0], "compiler": parts[1], "min_template_depth": parts[2]})
    if depth:
        print()
        for d in depth:
            print("smallest -ftemplate-depth for %s with %s: %s" % (d["case"], d["compiler"], d["min_template_depth"]))

    # budgets
    specs = []
    for b in args.budget:
        specs.extend(DESIGN_BUDGET if b == "design" else [b])
    budget_results = []
    failed = False
    for spec in specs:
        b = parse_budget(spec)
        s = summary.get((b["case"], b["compiler"]))
        if s is None:
            verdict, why = "FAIL", "not measured"
        elif s["status"] != "ok":
            verdict, why = "FAIL", "compile %s" % s["status"]
        elif s["run"] == "fail":
            verdict, why = "FAIL", "the program failed its own check"
        else:
            over = []
            if s["seconds"] > b["seconds"]:
                over.append("%.2f s > %.2f s" % (s["seconds"], b["seconds"]))
            if b["peak_mb"] is not None and s["peak_mb"] > b["peak_mb"]:
                over.append("%.0f MB > %.0f MB" % (s["peak_mb"], b["peak_mb"]))
            verdict = "FAIL" if over else "ok"
            why = "; ".join(over) if over else "%.2f s, %.0f MB" % (s["seconds"], s["peak_mb"])
        failed |= verdict != "ok"
        budget_results.append(dict(b, verdict=verdict, detail=why))
    if budget_results:
        print()
        for r in budget_results:
            limit = "%g s" % r["seconds"] + (", %g MB" % r["peak_mb"] if r["peak_mb"] is not None else "")
            print("budget %-8s %s with %s (limit %s): %s" % (r["verdict"], r["case"], r["compiler"], limit, r["detail"]))

    doc = {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "library": args.library,
        "compilers": {c: versions.get(c, "") for c in compilers},
        "flags": args.flags.strip(),
        "repeat": args.repeat,
        "statistic": "median over repeats" if args.repeat > 1 else "single compile",
        "fields": {"seconds": "wall seconds of the compile (and link)", "peak_mb": "peak resident MB of the "
                   "compiler (GNU time %M)", "cpu_seconds": "user + system CPU seconds",
                   "load": "1-minute load average when the compile started"},
        "results": results,
        "template_depth": depth,
        "budget": budget_results,
    }
    with open(args.json, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print("\n(results: %s)" % os.path.relpath(args.json), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
