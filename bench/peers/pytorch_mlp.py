#!/usr/bin/python3
"""PyTorch peer of bench_nn (bench/nn.cpp): trains the same four MLP rows, in float32 on one thread,
from the same initial weights and in the same sample order, and prints the training speed.

    row                        network, loss                          data, batch, optimiser
    mlp_2_16_16_1_sgd          2 -> tanh 16 -> tanh 16 -> 1, MSE      y = sin x1 cos x2, 1, SGD lr 0.01
    mlp_784_128_10_b32_sgd     784 -> relu 128 -> 10, cross-entropy   Fashion-MNIST, 32, SGD lr 0.1
    mlp_784_128_10_b32_adam    same                                   Fashion-MNIST, 32, Adam lr 1e-3
    mlp_784_128_10_b128_sgd    same                                   Fashion-MNIST, 128, SGD lr 0.1

Needs Debian's python3-torch (PyTorch 1.13) and dataset-fashion-mnist; run it with the system
interpreter, /usr/bin/python3 (scripts/bench_nn.sh installs both and runs it):

    /usr/bin/python3 bench/peers/pytorch_mlp.py                  # table of steps/s or samples/s
    /usr/bin/python3 bench/peers/pytorch_mlp.py --json torch.json --repetitions 5 --min-time 1
    /usr/bin/python3 bench/peers/pytorch_mlp.py --check          # losses of the first 10 steps
    /usr/bin/python3 bench/peers/pytorch_mlp.py --check --bench-nn build/bench/bench/bench_nn

Timing: each repetition starts from the initial weights, trains --warmup steps, then times steps
until --min-time seconds of CPU time have passed. A step is what bench_nn times: take the next
batch (index_select of the shuffled indices; the regression row takes the next of 4096 samples),
zero the gradients, forward, loss, backward, optimiser step. Rates use CPU time, as Google
Benchmark's items_per_second does; the table shows the median over the repetitions. The Adam row
runs with torch.set_flush_denormal(True), as bench_nn runs it with FTZ/DAZ. Shuffling an epoch
in pure Python (the ported generator below) is left out of the timed region.

--json writes the results in Google Benchmark's JSON layout (one "iteration" entry per
repetition, named "<row>/pytorch", with real_time/cpu_time in ns per step and items_per_second;
context with date, load_avg, num_cpus, torch version), so bench/report.py and other tools that
read bench_nn's --benchmark_out files read it too.

--check trains 10 steps of every row and prints "<row> loss <k> <loss>" (the batch's loss before
step k) and "<row> delta_l1 10 <sum of |parameter change|>", the format of bench_nn --print_check.
With --bench-nn it runs that binary's --print_check and compares the two (losses to a relative
1e-4, the parameter change to 1e-3), exiting 1 on a mismatch.

Same numbers as the C++ side (bench/nn_baseline.hpp, include/tapeless/nn/random.hpp): splitmix64
ported with Python integers masked to 64 bits; weights drawn in double and rounded to float32,
layer after layer, each In x Out matrix in row-major order (y = x W + b), Glorot-uniform for
tanh and linear layers and He-uniform for the relu layer, biases zero; torch.nn.Linear stores
Out x In, so it gets W transposed. Seeds: weights 1, epoch order 2, regression samples 3.
"""

import argparse
import gzip
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time

MASK64 = (1 << 64) - 1
INIT_SEED, ORDER_SEED, REGRESSION_DATA_SEED = 1, 2, 3
REGRESSION_SAMPLES = 4096
REGRESSION_LR, SGD_LR, ADAM_LR = 0.01, 0.1, 1e-3
CHECK_STEPS = 10
ROWS = ["mlp_2_16_16_1_sgd", "mlp_784_128_10_b32_sgd", "mlp_784_128_10_b32_adam",
        "mlp_784_128_10_b128_sgd"]
FASHION_ROWS = {  # row -> (batch, optimiser)
    "mlp_784_128_10_b32_sgd": (32, "sgd"),
    "mlp_784_128_10_b32_adam": (32, "adam"),
    "mlp_784_128_10_b128_sgd": (128, "sgd"),
}


# ---- tapeless::nn::rng, exactly ------------------------------------------------------------------

class Rng:
    """splitmix64, as tapeless::nn::rng."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def uniform(self, a=0.0, b=1.0):
        """[a, b): the top 53 bits of next() times 2^-53, scaled (all in double, as in C++)."""
        return a + (b - a) * ((self.next() >> 11) * 2.0 ** -53)

    def below(self, n):
        """0..n-1: the high 64 bits of next() * n."""
        return (self.next() * n) >> 64

    def shuffle(self, v):
        """Fisher-Yates from the back: for i = n-1 down to 1, swap v[i] and v[below(i + 1)]."""
        for i in range(len(v), 1, -1):
            j = self.below(i)
            v[i - 1], v[j] = v[j], v[i - 1]


def uniform_matrix(np, g, fan_in, fan_out, a):
    """fan_in x fan_out float32 drawn in row-major order from U(-a, a) in double."""
    w = np.array([g.uniform(-a, a) for _ in range(fan_in * fan_out)], dtype=np.float64)
    return w.astype(np.float32).reshape(fan_in, fan_out)


def glorot(np, g, fan_in, fan_out):
    return uniform_matrix(np, g, fan_in, fan_out, math.sqrt(6.0 / (fan_in + fan_out)))


def he(np, g, fan_in, fan_out):
    return uniform_matrix(np, g, fan_in, fan_out, math.sqrt(6.0 / fan_in))


# ---- data -----------------------------------------------------------------------------------------

def regression_data(np):
    """4096 samples: x1 then x2 uniform in [-pi, pi) rounded to float32; y = sin x1 cos x2 from the
    rounded x in double, rounded to float32."""
    g = Rng(REGRESSION_DATA_SEED)
    xs, ys = [], []
    for _ in range(REGRESSION_SAMPLES):
        x1 = float(np.float32(g.uniform(-math.pi, math.pi)))
        x2 = float(np.float32(g.uniform(-math.pi, math.pi)))
        xs.append((x1, x2))
        ys.append(math.sin(x1) * math.cos(x2))
    return np.array(xs, dtype=np.float32), np.array(ys, dtype=np.float32).reshape(-1, 1)


def fashion_dir():
    return os.environ.get("TAPELESS_FASHION_MNIST") or "/usr/share/datasets/fashion-mnist"


def read_idx(np, path, dims):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic != 0x0800 | dims:
        raise ValueError(f"{path}: bad magic number 0x{magic:08X}")
    sizes = [int.from_bytes(data[4 + 4 * k:8 + 4 * k], "big") for k in range(dims)]
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims)
    if body.size != math.prod(sizes):
        raise ValueError(f"{path}: {body.size} bytes of data, header says {math.prod(sizes)}")
    return body.reshape(sizes)


def fashion_train(np):
    """Training images as float32 pixels / 255 (60000 x 784) and labels (int64)."""
    d = fashion_dir()
    images = read_idx(np, os.path.join(d, "train-images-idx3-ubyte.gz"), 3)
    labels = read_idx(np, os.path.join(d, "train-labels-idx1-ubyte.gz"), 1)
    x = images.reshape(images.shape[0], -1).astype(np.float32) / np.float32(255)
    return x, labels.astype(np.int64)


class EpochOrder:
    """Batches of indices: 0..n-1 shuffled with one Rng(ORDER_SEED) at the start of each epoch; an
    epoch ends when fewer than `batch` indices are left. Shuffle time is kept in self.untimed."""

    def __init__(self, torch, n, batch):
        self.torch, self.n, self.batch = torch, n, batch
        self.rng = Rng(ORDER_SEED)
        self.order = list(range(n))
        self.tensor = None
        self.pos = n
        self.untimed = 0.0

    def next(self):
        if self.pos + self.batch > self.n:
            t0 = time.process_time()
            self.rng.shuffle(self.order)
            self.tensor = self.torch.tensor(self.order, dtype=self.torch.int64)
            self.pos = 0
            self.untimed += time.process_time() - t0
        idx = self.tensor[self.pos:self.pos + self.batch]
        self.pos += self.batch
        return idx


# ---- the rows -------------------------------------------------------------------------------------

class Weights:
    """The initial weights of both networks, In x Out float32 arrays, from Rng(INIT_SEED) each."""

    def __init__(self, np):
        g = Rng(INIT_SEED)
        self.regression = [glorot(np, g, 2, 16), glorot(np, g, 16, 16), glorot(np, g, 16, 1)]
        g = Rng(INIT_SEED)
        self.classifier = [he(np, g, 784, 128), glorot(np, g, 128, 10)]


def linear(torch, w):
    """torch.nn.Linear holding the In x Out matrix w (as its Out x In weight) and a zero bias."""
    layer = torch.nn.Linear(w.shape[0], w.shape[1])
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(w.T.copy()))
        layer.bias.zero_()
    return layer


class Trainer:
    """One row from its initial weights: step() trains one step on the next batch and returns the
    loss tensor (of the batch, before the step)."""

    def __init__(self, torch, np, row, weights, data):
        self.torch, self.row = torch, row
        nn, F = torch.nn, torch.nn.functional
        if row == "mlp_2_16_16_1_sgd":
            w = weights.regression
            self.model = nn.Sequential(linear(torch, w[0]), nn.Tanh(), linear(torch, w[1]), nn.Tanh(),
                                       linear(torch, w[2]))
            self.opt = torch.optim.SGD(self.model.parameters(), lr=REGRESSION_LR)
            xs, ys = data["regression"]
            # One view per sample, made before timing (bench_nn reads its samples from arrays).
            self.samples = list(zip(torch.from_numpy(xs).split(1), torch.from_numpy(ys).split(1)))
            self.i = 0
            self.loss_fn = F.mse_loss
            self.order = None
        else:
            batch, optimiser = FASHION_ROWS[row]
            w = weights.classifier
            self.model = nn.Sequential(linear(torch, w[0]), nn.ReLU(), linear(torch, w[1]))
            if optimiser == "sgd":
                self.opt = torch.optim.SGD(self.model.parameters(), lr=SGD_LR)
            else:
                self.opt = torch.optim.Adam(self.model.parameters(), lr=ADAM_LR, betas=(0.9, 0.999),
                                            eps=1e-8)
            self.x, self.y = data["fashion"]
            self.order = EpochOrder(torch, self.x.shape[0], batch)
            self.loss_fn = F.cross_entropy

    def step(self):
        if self.order is None:
            x, t = self.samples[self.i]
            self.i = (self.i + 1) % len(self.samples)
        else:
            idx = self.order.next()
            x, t = self.x.index_select(0, idx), self.y.index_select(0, idx)
        self.opt.zero_grad(set_to_none=True)
        loss = self.loss_fn(self.model(x), t)
        loss.backward()
        self.opt.step()
        return loss

    def untimed(self):
        return 0.0 if self.order is None else self.order.untimed

    def items_per_step(self):
        return 1 if self.order is None else self.order.batch


def flush_denormal(torch, row, on):
    if row.endswith("_adam"):
        torch.set_flush_denormal(on)


def measure(torch, np, row, weights, data, warmup, min_time):
    """One repetition: (steps, cpu seconds, wall seconds) after warm-up."""
    t = Trainer(torch, np, row, weights, data)
    flush_denormal(torch, row, True)
    try:
        for _ in range(warmup):
            t.step()
        steps = 0
        untimed0 = t.untimed()
        c0, w0 = time.process_time(), time.perf_counter()
        while True:
            t.step()
            steps += 1
            if steps % 16 == 0 and time.process_time() - c0 - (t.untimed() - untimed0) >= min_time:
                break
        cpu = time.process_time() - c0 - (t.untimed() - untimed0)
        wall = time.perf_counter() - w0 - (t.untimed() - untimed0)
    finally:
        flush_denormal(torch, row, False)
    return steps, cpu, wall, t.items_per_step()


def check_lines(torch, np, rows, weights, data):
    lines = []
    for row in rows:
        t = Trainer(torch, np, row, weights, data)
        before = [p.detach().clone() for p in t.model.parameters()]
        flush_denormal(torch, row, True)
        try:
            for k in range(CHECK_STEPS):
                lines.append(f"{row} loss {k + 1} {t.step().item():.9g}")
        finally:
            flush_denormal(torch, row, False)
        delta = sum(float((p.detach().double() - b.double()).abs().sum())
                    for p, b in zip(t.model.parameters(), before))
        lines.append(f"{row} delta_l1 {CHECK_STEPS} {delta:.9g}")
    return lines


def parse_check(lines):
    out = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 4 and not line.startswith("#"):
            out[(parts[0], parts[1], int(parts[2]))] = float(parts[3])
    return out


def compare(ours, theirs):
    ok = True
    print(f"{'row':<26} {'quantity':<12} {'PyTorch':>14} {'bench_nn':>14} {'rel. diff':>10}")
    for key in sorted(ours, key=lambda k: (ROWS.index(k[0]) if k[0] in ROWS else 99, k[1] != "loss", k[2])):
        row, kind, k = key
        if key not in theirs:
            print(f"{row:<26} {kind + ' ' + str(k):<12} {ours[key]:>14.9g} {'missing':>14}")
            ok = False
            continue
        a, b = ours[key], theirs[key]
        rel = abs(a - b) / max(abs(b), 1e-30)
        tol = 1e-4 if kind == "loss" else 1e-3
        flag = "" if rel <= tol else "  <-- differs"
        ok = ok and rel <= tol
        print(f"{row:<26} {kind + ' ' + str(k):<12} {a:>14.9g} {b:>14.9g} {rel:>10.2e}{flag}")
    print("agree" if ok else "DISAGREE")
    return ok


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", default=",".join(ROWS), help="comma-separated rows (default: all)")
    ap.add_argument("--repetitions", type=int, default=5)
    ap.add_argument("--min-time", type=float, default=1.0, help="CPU seconds timed per repetition")
    ap.add_argument("--warmup", type=int, default=20, help="untimed steps before each repetition")
    ap.add_argument("--json", metavar="FILE", help="also write Google-Benchmark-style JSON")
    ap.add_argument("--check", action="store_true", help="print the first losses instead of timing")
    ap.add_argument("--bench-nn", metavar="BINARY", help="with --check: compare with BINARY --print_check")
    args = ap.parse_args(argv)
    rows = [r.strip() for r in args.rows.split(",") if r.strip()]
    for r in rows:
        if r not in ROWS:
            ap.error(f"unknown row {r}; rows are {', '.join(ROWS)}")

    try:
        import numpy as np
        import torch
    except ImportError as e:
        sys.exit(f"pytorch_mlp.py: {e}: install Debian's python3-torch (apt-get install python3-torch) "
                 f"and run this script with /usr/bin/python3 (this is {sys.executable})")
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)

    data = {}
    if "mlp_2_16_16_1_sgd" in rows:
        data["regression"] = regression_data(np)
    if any(r in FASHION_ROWS for r in rows):
        try:
            data["fashion"] = tuple(torch.from_numpy(a) for a in fashion_train(np))
        except (OSError, ValueError) as e:
            print(f"pytorch_mlp.py: Fashion-MNIST not available ({e}); install Debian's "
                  f"dataset-fashion-mnist or set TAPELESS_FASHION_MNIST. Skipping its rows.", file=sys.stderr)
            rows = [r for r in rows if r not in FASHION_ROWS]
    weights = Weights(np)

    if args.check:
        lines = check_lines(torch, np, rows, weights, data)
        if not args.bench_nn:
            print("# pytorch_mlp.py --check: <row> loss <step> <loss of the step's batch before the step>; "
                  "<row> delta_l1 <steps> <sum of |parameter change|>")
            print("\n".join(lines))
            return 0
        cxx = subprocess.run([args.bench_nn, "--print_check"], capture_output=True, text=True)
        if cxx.returncode != 0:
            print(cxx.stdout + cxx.stderr, file=sys.stderr)
            return 1
        return 0 if compare(parse_check(lines), parse_check(cxx.stdout.splitlines())) else 1

    results = []
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, float32; "
          f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'row':<26} {'unit':<10} {'median':>10} {'min':>10} {'max':>10}")
    for row in rows:
        rates = []
        for rep in range(args.repetitions):
            steps, cpu, wall, items = measure(torch, np, row, weights, data, args.warmup, args.min_time)
            rates.append(steps * items / cpu)
            results.append({
                "name": f"{row}/pytorch", "run_name": f"{row}/pytorch", "run_type": "iteration",
                "repetitions": args.repetitions, "repetition_index": rep, "threads": 1,
                "iterations": steps, "real_time": wall / steps * 1e9, "cpu_time": cpu / steps * 1e9,
                "time_unit": "ns", "items_per_second": steps * items / cpu,
            })
        unit = "steps/s" if row == "mlp_2_16_16_1_sgd" else "samples/s"
        print(f"{row:<26} {unit:<10} {statistics.median(rates):>10,.0f} {min(rates):>10,.0f} {max(rates):>10,.0f}")

    if args.json:
        context = {
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "host_name": platform.node(),
            "executable": os.path.abspath(__file__),
            "num_cpus": os.cpu_count(),
            "load_avg": list(os.getloadavg()),
            "library_build_type": "release",
            "torch_version": torch.__version__,
            "torch_num_threads": torch.get_num_threads(),
            "python": platform.python_version(),
            "min_time_s": args.min_time,
            "warmup_steps": args.warmup,
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"context": context, "benchmarks": results}, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
