#!/usr/bin/env bash
# The tapeless compile-time benchmark: generates the cases (generate.py), compiles each with every
# compiler at -O2 -std=c++20, one compile at a time, measuring wall seconds and the compiler's peak
# resident memory with GNU time, runs each binary once (it checks its own value, and the grad_*
# programs their gradient), prints Markdown tables (value; value and gradient) and writes
# results.json under the build directory.
#
#   bash bench/compile/run.sh                      every case, g++ and clang++
#   REPEAT=3 bash bench/compile/run.sh             median of three compiles per cell
#   bash bench/compile/run.sh --cases 'scalar_(50|100)$' --compilers g++
#   bash bench/compile/run.sh --budget             also check the design's budget (exit 1 if over)
#   bash bench/compile/run.sh --budget 'include_only:g++:2' --budget 'scalar_200:g++:10:1024'
#   bash bench/compile/run.sh --depth              also find the smallest -ftemplate-depth that
#                                                  compiles the largest scalar case that compiled
#   bash bench/compile/run.sh --cases '^grad_'     only the value-and-gradient cases
#
# Options:
#   --cases REGEX        only cases whose name matches (grep -E)
#   --compilers "A B"    compilers to use (default: "g++ clang++"; also env COMPILERS)
#   --budget [SPEC]      SPEC is CASE:COMPILER:SECONDS[:MB]; repeatable. --budget alone (or the
#                        word "design") stands for the design's budget: include_only:g++:2,
#                        scalar_200:g++:10:1024, grad_scalar_200:g++:10:1024 and
#                        hess_scalar_200:g++:10:1024 (gradient + Hessian). Exits 1 if a
#                        checked cell is over its limit, failed, or was not measured.
#   --depth              find the smallest -ftemplate-depth that compiles the largest scalar_<N>
#                        and the largest grad_scalar_<N> case that compiled (per compiler;
#                        bisection with -fsyntax-only)
#   --time-trace         also write -ftime-report output for every case that compiled (and clang's
#                        -ftime-trace for the array cases and scalar cases up to 100 nodes: its
#                        trace prints type names, exponential in the larger DAGs) into
#                        <build-dir>/trace, from a separate, unmeasured compile
#   --build-dir DIR      default: build/compile-bench in the repository
#   --include DIR        the include directory to measure (default: include/ of this repository)
#   --no-run             do not run the binaries
#   --keep-going         compile larger scalar_<N> (grad_scalar_<N>) cases even after a smaller one
#                        failed or timed out with the same compiler (by default they are reported
#                        as skipped)
# Environment: REPEAT (default 1), TIMEOUT seconds per compile (default 600), MEMLIMIT_MB address-
# space limit per compile (default 8192; 0: none), CXXFLAGS_EXTRA, SEED (generator seed,
# default 1), GENERATE_ARGS (extra arguments for generate.py).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

cases_re=''
compilers=${COMPILERS:-"g++ clang++"}
budgets=()
probe_depth=0
time_trace=0
run_binaries=1
keep_going=0
build_dir="$repo/build/compile-bench"
include_dir="$repo/include"
repeat=${REPEAT:-1}
timeout_s=${TIMEOUT:-600}
memlimit_mb=${MEMLIMIT_MB:-8192}
seed=${SEED:-1}

while (($#)); do
    case $1 in
    --cases) cases_re=$2; shift 2 ;;
    --compilers) compilers=$2; shift 2 ;;
    --budget)
        if (($# > 1)) && [[ $2 != --* ]]; then budgets+=("$2"); shift 2; else budgets+=(design); shift; fi ;;
    --depth) probe_depth=1; shift ;;
    --time-trace) time_trace=1; shift ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --include) include_dir=$(cd "$2" && pwd); shift 2 ;;
    --no-run) run_binaries=0; shift ;;
    --keep-going) keep_going=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done

if [[ ! -x /usr/bin/time ]]; then
    echo "run.sh: GNU time (/usr/bin/time) is missing; installing the Debian package 'time'" >&2
    if [[ $(id -u) == 0 ]]; then apt-get install -y time >&2; else sudo apt-get install -y time >&2; fi
fi

src_dir="$build_dir/src"
bin_dir="$build_dir/bin"
log_dir="$build_dir/logs"
mkdir -p "$src_dir" "$bin_dir" "$log_dir"
rm -f "$src_dir"/*.cpp
# shellcheck disable=SC2086
python3 "$here/generate.py" -o "$src_dir" --seed "$seed" ${GENERATE_ARGS:-} >/dev/null

# shellcheck disable=SC2086
mapfile -t all_cases < <(python3 "$here/generate.py" --list --seed "$seed" ${GENERATE_ARGS:-})
cases=()
for c in "${all_cases[@]}"; do
    if [[ -z $cases_re ]] || grep -Eq -- "$cases_re" <<<"$c"; then cases+=("$c"); fi
done
((${#cases[@]})) || { echo "run.sh: no case matches '$cases_re'" >&2; exit 2; }

# Compile against a snapshot of the headers, so that edits to the tree during a long run cannot
# mix two versions of the library into one table.
snapshot="$build_dir/include-snapshot"
rm -rf "$snapshot"
cp -r "$include_dir" "$snapshot"
library_version=unknown
if [[ $include_dir == "$repo/include" ]] && git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
    library_version=$(git -C "$repo" rev-parse --short=12 HEAD)
    if [[ -n $(git -C "$repo" status --porcelain -- include) ]]; then library_version+="+uncommitted"; fi
fi
flags=(-O2 -std=c++20 -I"$snapshot")
# shellcheck disable=SC2206
extra=(${CXXFLAGS_EXTRA:-})

# The raw measurements, one line each: case compiler status seconds kb run_status cpu_seconds
# load (the 1-minute load average when the compile started)
raw="$build_dir/measurements.tsv"
: >"$raw"

# compile CXX CASE OUT LOG [FLAGS...]: one measured compile; prints "STATUS SECONDS KB USER SYS"
# (wall seconds, peak resident KB, user and system CPU seconds).
# STATUS is ok, oom (out of the MEMLIMIT_MB address space), depth (template depth exceeded),
# constexpr (a constant-evaluation limit), fail (any other compile error), timeout (stopped after
# TIMEOUT seconds) or killed (SIGKILL, e.g. by the kernel's out-of-memory killer).
compile() {
    local cxx=$1 case_=$2 out=$3 log=$4 status rc tfile line
    shift 4
    tfile=$(mktemp)
    set +e
    (
        if ((memlimit_mb > 0)); then ulimit -v $((memlimit_mb * 1024)); fi
        # time outside timeout: a compile killed by the timeout still gets its wall time and
        # peak memory (timeout reaps the compiler, so its usage counts as timeout's)
        exec /usr/bin/time -o "$tfile" -f '%e %M %U %S' \
            timeout "$timeout_s" "$cxx" "${flags[@]}" "${extra[@]}" "$@" "$src_dir/$case_.cpp" -o "$out"
    ) >"$log" 2>&1
    rc=$?
    set -e
    if ((rc == 0)); then
        status=ok
    elif ((rc == 124)); then
        status=timeout
    elif ((rc == 137)); then
        status=killed # SIGKILL: most likely the kernel's out-of-memory killer
    elif grep -Eqi 'out of memory|memory exhausted|bad_alloc|cannot allocate memory' "$log"; then
        status=oom
    elif grep -Eqi 'instantiation depth exceeds|exceeded maximum depth' "$log"; then
        status=depth
    elif grep -Eqi 'constexpr (evaluation|loop)|operation count|maximum (depth|number of steps)' "$log"; then
        status=constexpr
    else
        status=fail
    fi
    # GNU time writes "Command exited with non-zero status N" before its line on failure
    line=$(tail -n 1 "$tfile" 2>/dev/null || true)
    rm -f "$tfile"
    [[ $line =~ ^[0-9.]+\ [0-9]+\ [0-9.]+\ [0-9.]+$ ]] || line="$timeout_s 0 0 0"
    echo "$status $line"
}

echo "# tapeless compile-time benchmark: ${#cases[@]} cases x (${compilers}), REPEAT=$repeat" >&2
echo "# flags: ${flags[*]} ${extra[*]}" >&2
echo "# library: $library_version (headers copied to $snapshot)" >&2
for cxx in $compilers; do
    command -v "$cxx" >/dev/null || { echo "run.sh: compiler '$cxx' not found" >&2; exit 2; }
    # the failed case of each scalar family (scalar, grad_scalar): larger ones are skipped
    declare -A family_failed=()
    for case_ in "${cases[@]}"; do
        out="$bin_dir/$case_.$cxx"
        rm -f "$out"
        family=
        [[ $case_ =~ ^((grad_)?scalar)_[0-9]+$ ]] && family=${BASH_REMATCH[1]}
        if [[ -n $family && -n ${family_failed[$family]:-} && $keep_going == 0 ]]; then
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case_" "$cxx" skipped 0 0 - 0 - >>"$raw"
            printf '  %-24s %-8s skipped (%s failed; --keep-going compiles it anyway)\n' "$case_" "$cxx" "${family_failed[$family]}" >&2
            continue
        fi
        for ((r = 1; r <= repeat; r++)); do
            load=$(cut -d' ' -f1 /proc/loadavg)
            read -r status secs kb usr sys < <(compile "$cxx" "$case_" "$out" "$log_dir/$case_.$cxx.log")
            run_status=-
            if [[ $status == ok && $run_binaries == 1 && $r == 1 ]]; then
                if "$out" >"$log_dir/$case_.$cxx.run" 2>&1; then run_status=ok; else run_status=fail; fi
            fi
            cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { print u + s }')
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case_" "$cxx" "$status" "$secs" "$kb" "$run_status" "$cpu" "$load" >>"$raw"
            printf '  %-24s %-8s %-9s %7.2f s (cpu %6.2f s) %6.0f MB  run: %-4s load %s\n' "$case_" "$cxx" "$status" \
                "$secs" "$cpu" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" "$run_status" "$load" >&2
            if [[ $status != ok ]]; then
                [[ -n $family ]] && family_failed[$family]=$case_
                break # a failing case is not repeated
            fi
        done
    done
done

# Optional: -ftime-report / -ftime-trace of every case (unmeasured; for finding where time goes).
if ((time_trace)); then
    trace_dir="$build_dir/trace"
    mkdir -p "$trace_dir"
    for cxx in $compilers; do
        for case_ in "${cases[@]}"; do
            # only cases that compiled: a time trace prints the names of what it times, and for
            # a case that is already slow that can take far longer than the compile
            awk -F'\t' -v c="$cxx" -v k="$case_" '$1 == k && $2 == c && $3 == "ok" { f = 1 } END { exit !f }' "$raw" || continue
            tflags=(-ftime-report)
            # clang's -ftime-trace records the printed name of every instantiation, and the
            # printed name of an expression type is as large as its tree: exponential in the
            # scalar cases. Only small cases get a trace.
            if [[ $cxx == *clang* && ! $case_ =~ ^(grad_)?scalar_([0-9]+)$ ]] ||
                [[ $cxx == *clang* && ${BASH_REMATCH[2]:-0} -le 100 ]]; then
                tflags+=(-ftime-trace)
            fi
            timeout "$timeout_s" "$cxx" "${flags[@]}" "${extra[@]}" "${tflags[@]}" -c "$src_dir/$case_.cpp" \
                -o "$trace_dir/$case_.$cxx.o" >"$trace_dir/$case_.$cxx.txt" 2>&1 || true
            rm -f "$trace_dir/$case_.$cxx.o"
        done
    done
    echo "# time reports in $trace_dir: <case>.<compiler>.txt (-ftime-report), and for clang++ on the" >&2
    echo "# small cases <case>.clang++.json (-ftime-trace; open in chrome://tracing or speedscope)" >&2
fi

# Optional: the smallest -ftemplate-depth that compiles the largest scalar_<N> and the largest
# grad_scalar_<N> case that compiled in this run (a front-end limit, so probed with -fsyntax-only),
# by bisection below the default.
depth_file="$build_dir/depth.tsv"
: >"$depth_file"
if ((probe_depth)); then
    for cxx in $compilers; do
        for family in scalar grad_scalar; do
            largest=$(awk -F'\t' -v c="$cxx" -v re="^${family}_[0-9]+$" '$2 == c && $3 == "ok" && $1 ~ re { print $1 }' "$raw" |
                awk -F_ '{ print $NF "\t" $0 }' | sort -n | cut -f2 | tail -n 1)
            if [[ -z $largest ]]; then
                echo "  --depth: no ${family}_<N> case compiled with $cxx; nothing to probe" >&2
                continue
            fi
            case $cxx in *clang*) default=1024 ;; *) default=900 ;; esac
            lo=0 hi=$default
            while ((hi - lo > 1 && hi - lo > hi / 50)); do # to within 2%
                mid=$(((lo + hi) / 2))
                read -r status _ _ < <(compile "$cxx" "$largest" /dev/null "$log_dir/depth.log" -fsyntax-only -ftemplate-depth="$mid")
                if [[ $status == ok ]]; then hi=$mid; else lo=$mid; fi
            done
            printf '%s\t%s\t%s\n' "$largest" "$cxx" "$hi" >>"$depth_file"
            echo "  $largest $cxx: compiles with -ftemplate-depth=$hi, fails at $lo (default $default)" >&2
        done
    done
fi

versions=()
for cxx in $compilers; do versions+=("$cxx=$("$cxx" --version | head -n 1)"); done

budget_args=()
for b in "${budgets[@]}"; do budget_args+=(--budget "$b"); done
python3 "$here/report.py" --measurements "$raw" --depth "$depth_file" --json "$build_dir/results.json" \
    --flags "-O2 -std=c++20 -I<include> ${extra[*]}" --repeat "$repeat" \
    --compilers "$compilers" --library "$library_version" "${versions[@]/#/--version=}" "${budget_args[@]}"
