#!/usr/bin/python3
"""Writes BENCHMARKS.md from the results benchmarks/run leaves in a directory.

Usage: /usr/bin/python3 benchmarks/report.py RESULTS_DIR > BENCHMARKS.md
RESULTS_DIR holds jmh.json (with the Vector API; W7CharLm and Peak may be absent: the report says so), jmh-plain.json (without), jmh-one-core.json,
jmh-jdk25.json (the same as jmh.json on JDK 25; optional), pytorch.json, allocation.json, allocation-plain.json, processing.json and machine.json.
"""
import json
import os
import sys


class Workload:
    """A benchmarked network: its layers' sizes give the work it does, its targets the ratios issue 18 asks."""

    def __init__(self, name, cls, description, streams, steps, layers, outputs, output_steps, targets,
                 tokens_per_op=None):
        self.name, self.cls, self.description = name, cls, description
        self.streams, self.steps = streams, steps  # sequences computed together, time steps per sequence
        self.layers = layers  # (inputs, hidden, gates per unit, directions) of each recurrent layer
        self.outputs, self.output_steps = outputs, output_steps
        self.targets = targets  # {operation: the least ratio PyTorch time / Unfold time}
        self.operations = tuple(targets)
        self.tokens_per_op = tokens_per_op  # a language model's training tokens per operation

    def batched(self):
        """Whether Unfold runs it as one batched pass, on every core."""
        return self.streams > 1

    def flops(self, op):
        """The dense work: 2 operations per multiply-add, one-hot inputs counted as dense; training 3 × forward."""
        recurrent = self.steps * sum(d * g * h * (i + h) for i, h, g, d in self.layers)
        last_hidden, last_directions = self.layers[-1][1], self.layers[-1][3]
        projection = self.output_steps * self.outputs * last_hidden * last_directions
        forward = 2 * self.streams * (recurrent + projection)
        return forward if op in ("forward", "step") else 3 * forward

    def extra_biases(self):
        """PyTorch keeps two bias vectors per gate set (b_ih and b_hh); Unfold keeps their sum, and the GRU's
        candidate keeps its recurrent bias apart (inside r ⊙ (W h + b))."""
        return sum((g * h if g != 3 else 2 * h) * d for _, h, g, d in self.layers)


# the operations each workload has, with issue 18's target for the ratio of each (none: no target)
WORKLOADS = [
    Workload("W1", "W1Forecaster", "simple tanh RNN 4 → 20 → 1, MSE, T = 50, batch 1", 1, 50,
             [(4, 20, 1, 1)], 1, 50, {"forward": None, "trainingStep": 100}),
    Workload("W2", "W2CharRnn", "simple tanh RNN 65 one-hot → 100 → 65, cross-entropy, T = 25, batch 1", 1, 25,
             [(65, 100, 1, 1)], 65, 25, {"forward": None, "trainingStep": 10}),
    Workload("W3", "W3Lstm", "LSTM 128 → 256 → 128, cross-entropy, T = 35, batch 32", 32, 35,
             [(128, 256, 4, 1)], 128, 35, {"forward": 1.5, "trainingStep": 1.5}),
    Workload("W4", "W4Gru", "GRU 128 → 256 → 128, cross-entropy, T = 35, batch 32", 32, 35,
             [(128, 256, 3, 1)], 128, 35, {"forward": 1.5, "trainingStep": 1.5}),
    Workload("W5", "W5Streaming", "LSTM 32 → 64 → 32, one time step per call with (h, c) carried, batch 1", 1, 1,
             [(32, 64, 4, 1)], 32, 1, {"step": 10}),
    Workload("W6", "W6ProteinBiLstm",
             "bidirectional LSTM 20 one-hot → 2×32 → 2, many-to-one, T = 428, batch 1", 1, 428,
             [(20, 32, 4, 2)], 2, 1, {"forward": None, "trainingStep": 20}),
    Workload("W7", "W7CharLm", "character language model: two stacked LSTMs of 512 over a vocabulary of 96"
             " (one-hot), cross-entropy, 32 streams trained at once by truncated BPTT over chunks of 32 steps,"
             " the state carried from chunk to chunk; one operation trains one chunk", 32, 32,
             [(96, 512, 4, 1), (512, 512, 4, 1)], 96, 32, {"trainingChunk": 1.5}, tokens_per_op=32 * 32),
    Workload("W8", "W8BigLstm", "LSTM 256 → 1024 → 256 (weights larger than L2), cross-entropy, T = 20, batch 32",
             32, 20, [(256, 1024, 4, 1)], 256, 20, {"forward": 1, "trainingStep": 1}),
]

def load(directory, name):
    with open(os.path.join(directory, name)) as f:
        return json.load(f)


PRECISIONS = ("FLOAT64", "FLOAT32")
TRAINING = ("trainingStep", "trainingChunk")


def load_jmh(directory, name):
    """JMH's results keyed as "class.method [PRECISION]", as AllocationCheck keys its own; {} when the file is absent."""
    if not os.path.exists(os.path.join(directory, name)):
        return {}
    return {key(entry["benchmark"].rsplit(".", 2)[-2], entry["benchmark"].rsplit(".", 1)[-1],
                entry.get("params", {}).get("precision", "FLOAT64")): entry
            for entry in load(directory, name)}


def key(cls, op, precision):
    return f"{cls}.{op} [{precision}]"


def score(results, w, op, precision):
    """Unfold's microseconds per operation, or None when this run did not measure it."""
    entry = results.get(key(w.cls, op, precision))
    return entry["primaryMetric"]["score"] if entry else None


def torch_times(pytorch, precision, w, op):
    """PyTorch's 1- and 2-thread microseconds for the workload in the precision."""
    times = pytorch[precision.lower()][w.name][op]
    return times["1"], times["2"]


# flops of one call of Peak's benchmarks per vector lane (Peak.FLOPS, branch s5-kernels)
PEAK_FLOPS_PER_LANE = 320_000
PEAK_METHODS = {"FLOAT64": ("fmaDouble", "doubleLanes"), "FLOAT32": ("fmaFloat", "floatLanes")}


def peak_gflops(results, machine, precision):
    """The one-core peak `Peak` measured in the precision, in GFLOP/s (its multiply-add chains on the machine's
    widest vectors, whose lanes machine.json records), or None when this run did not measure it."""
    method, lanes = PEAK_METHODS[precision]
    entry = results.get(key("Peak", method, "FLOAT64"))
    if not entry or not machine.get(lanes):
        return None
    return PEAK_FLOPS_PER_LANE * machine[lanes] / entry["primaryMetric"]["score"] / 1e3


def cell(value, form, missing="–"):
    return missing if value is None else format(value, form)


def ratio_cell(best_torch, unfold, target):
    if unfold is None:
        return "not measured"
    ratio = best_torch / unfold
    return f"{ratio:,.2f}×" + ("" if target is None else (" ✓" if ratio >= target else " ✗"))


def main(directory):
    jmh = load_jmh(directory, "jmh.json")
    jdk25 = load_jmh(directory, "jmh-jdk25.json")
    plain = load_jmh(directory, "jmh-plain.json")
    one_core = load_jmh(directory, "jmh-one-core.json")
    allocation_plain = load(directory, "allocation-plain.json")
    pytorch = load(directory, "pytorch.json")
    allocation = load(directory, "allocation.json")
    processing = load(directory, "processing.json")
    machine = load(directory, "machine.json")
    first = next(iter(jmh.values()))
    cores = machine["cores"]

    print("# Benchmarks\n")
    print("Unfold's generated networks against PyTorch on the CPU, each precision against the same precision")
    print("(`@Network(precision = FLOAT64)` against PyTorch float64, `FLOAT32` against float32, PyTorch's")
    print("default), on the same machine in the same run. Regenerate with `benchmarks/run` (it rebuilds, runs JMH and "
          "`benchmarks/pytorch_workloads.py`, and rewrites this file).\n")
    print("## Machine\n")
    print(f"- CPU: {machine['cpu']}, {cores} cores")
    print(f"- JDK: {first['jdkVersion']} ({first['vmName']} {first['vmVersion']}); JMH {first['jmhVersion']},"
          f" {first['forks']} forks × {first['measurementIterations']} iterations of {first['measurementTime']}"
          f" after {first['warmupIterations']} × {first['warmupTime']} of warm-up; JVM options"
          f" `{' '.join(first['jvmArgs'])}`")
    if jdk25:
        second = next(iter(jdk25.values()))
        print(f"- Second JDK: {second['jdkVersion']} ({second['vmName']} {second['vmVersion']}), the same JMH"
              " settings and options, in the same run")
    else:
        print("- Second JDK: none found in this run (set UNFOLD_JDK25 to a JDK 25's home): its columns say –")
    print(f"- PyTorch: {pytorch['machine']['torch']} (Debian's python3-torch), BLAS: {pytorch['machine']['blas']}"
          f"; OPENBLAS_CORETYPE {machine['openblas_coretype']}")
    peaks = {precision: peak_gflops(jmh, machine, precision) for precision in PRECISIONS}
    if all(peaks.values()):
        print(f"- Measured peak of one core (`Peak`: independent multiply-add chains on Vector API vectors):"
              f" {peaks['FLOAT64']:,.1f} GFLOP/s in float64, {peaks['FLOAT32']:,.1f} in float32; {cores} cores"
              f" make {cores * peaks['FLOAT64']:,.1f} and {cores * peaks['FLOAT32']:,.1f}")
    else:
        print("- Measured peak: not measured in this run (no `Peak` benchmark in jmh.json)")
    print()

    print("## Time per operation\n")
    print("Microseconds per operation (JMH average time ± its 99.9% error; PyTorch: the median of 5 one-second")
    print("rounds), with JMH's benchmark JVMs on JDK 17 and, beside it, on JDK 25. Ratio = the faster of")
    print("PyTorch's 1- and 2-thread times / Unfold's time; above 1, Unfold is faster; ✓ and ✗ say whether it")
    print("meets issue 18's target. A training step is forward, backpropagation through time and an SGD update;")
    print("a step (W5) is one time step of streaming inference, the state carried from the call before; a")
    print("training chunk (W7) is truncated BPTT over 32 steps of 32 streams, the state carried from the chunk")
    print("before. For a batch of 32, Unfold sums the 32 sequences' gradients in one batched call, then updates")
    print("once, as PyTorch does with a summed loss. Unfold runs with `--add-modules jdk.incubator.vector` (the")
    print("Vector API, for the batched products) on both cores; a later table shows W3 and W4 without the one")
    print("and the other. GFLOP/s (on JDK 17) counts the dense work of the forward pass (2 operations per")
    print("multiply-add, one-hot inputs counted as dense) and three times that for training; *of peak* is that")
    print(f"against the measured peak of the cores the workload runs on (the batched ones on all {cores}, the")
    print("others on one).\n")
    print("| workload | precision | operation | Unfold JDK 17 µs | Unfold JDK 25 µs | PyTorch 1 thread µs"
          " | PyTorch 2 threads µs | ratio JDK 17 | ratio JDK 25 | target | GFLOP/s | of peak |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for precision in PRECISIONS:
        for w in WORKLOADS:
            for op in w.operations:
                entry = jmh.get(key(w.cls, op, precision))
                old, new = score(jmh, w, op, precision), score(jdk25, w, op, precision)
                torch1, torch2 = torch_times(pytorch, precision, w, op)
                best = min(torch1, torch2)
                target = w.targets[op]
                # JMH writes the error as "NaN" when it had too few iterations to give one
                measured = f"{old:,.1f} ± {float(entry['primaryMetric']['scoreError']):,.1f}" if entry else "not measured"
                gflops = None if old is None else w.flops(op) / old / 1e3
                peak = peaks[precision] and peaks[precision] * (cores if w.batched() else 1)
                fraction = None if gflops is None or not peak else 100 * gflops / peak
                print(f"| {w.name} | {precision.lower()} | {op} | {measured} | {cell(new, ',.1f')} |"
                      f" {torch1:,.1f} | {torch2:,.1f} | {ratio_cell(best, old, target)} |"
                      f" {ratio_cell(best, new, target) if jdk25 else '–'} |"
                      f" {'' if target is None else f'≥ {target:g}×'} | {cell(gflops, ',.2f')} |"
                      f" {cell(fraction, '.0f')}{'' if fraction is None else ' %'} |")
    print()
    for w in WORKLOADS:
        parameters = pytorch["float64"][w.name]["parameters"]
        print(f"- {w.name}: {w.description}; Unfold {parameters - w.extra_biases():,} parameters,"
              f" PyTorch {parameters:,}.")
    print()

    print_language_model(jmh, jdk25, pytorch)
    print_configurations(jmh, plain, one_core, pytorch)
    print_precisions(jmh, pytorch)

    print("## Allocation\n")
    print("Bytes per operation. *Exact*: the JVM's per-thread allocation counters of the calling thread and of")
    print("the second-core helper, over at least half a second of calls after two seconds of warm-up, the least")
    print("of up to three such windows (`AllocationCheck`: a one-off event of the JIT costs one window; an")
    print("allocation on the operation's path shows in all three). *JMH*: `-prof gc`'s `gc.alloc.rate.norm`,")
    print("which also counts what JMH allocates once per iteration, spread over that iteration's calls: a")
    print("floor of a few bytes per call for microsecond operations and kilobytes for 100 ms ones. The exact")
    print("count is taken with the Vector API and without it.\n")
    print("| operation | exact B/op | exact B/op, no Vector API | JMH gc.alloc.rate.norm B/op |")
    print("| --- | ---: | ---: | ---: |")
    for precision in PRECISIONS:
        for w in WORKLOADS:
            for op in w.operations:
                k = key(w.cls, op, precision)
                norm = jmh[k]["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score") if k in jmh else None
                print(f"| {k} | {cell(allocation.get(k), '.0f', 'not measured')} |"
                      f" {cell(allocation_plain.get(k), '.0f', 'not measured')} | {cell(norm, ',.1f', 'not measured')} |")
    print()
    print("## Annotation processing\n")
    print("What the processor adds to `javac` for a four-layer network (a bidirectional LSTM of 128, a GRU of")
    print("128, an LSTM of 64 and a tanh RNN of 64): compiling the interface with Unfold, which also compiles")
    print("the class it generates, against compiling the interface alone (`ProcessingTime`).\n")
    print("| | with Unfold ms | without ms | Unfold adds ms |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| cold (a fresh JVM, one compilation) | {processing['coldWithProcessor']:.0f} |"
          f" {processing['coldWithout']:.0f} | {processing['coldWithProcessor'] - processing['coldWithout']:.0f} |")
    print(f"| warm (median of 20 after 10) | {processing['warmWithProcessor']:.0f} |"
          f" {processing['warmWithout']:.0f} | {processing['warmWithProcessor'] - processing['warmWithout']:.0f} |")
    print()
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ANALYSIS.md")
    with open(notes) as f:
        print(f.read().rstrip())


def print_language_model(jmh, jdk25, pytorch):
    """W7 in training tokens per second, the measure issue 18 sets its target in."""
    print("### W7: training tokens per second\n")
    w = next(w for w in WORKLOADS if w.name == "W7")
    op = w.operations[0]
    target = w.targets[op]
    if not any(score(results, w, op, precision) for results in (jmh, jdk25) for precision in PRECISIONS):
        print(f"Unfold's side was not measured in this run: the benchmarks have no `{w.cls}.{op}` (it needs")
        print("the stateful batch). PyTorch's side, for reference:\n")
    print(f"Tokens a second ({w.tokens_per_op:,} a chunk: 32 streams × 32 steps); ratio = Unfold's tokens a")
    print("second / the better of PyTorch's.\n")
    print("| precision | Unfold JDK 17 tokens/s | Unfold JDK 25 tokens/s | PyTorch 1 thread tokens/s"
          " | PyTorch 2 threads tokens/s | ratio JDK 17 | ratio JDK 25 | target |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")

    def tokens(microseconds):
        return None if microseconds is None else w.tokens_per_op / microseconds * 1e6

    for precision in PRECISIONS:
        torch1, torch2 = torch_times(pytorch, precision, w, op)
        best = min(torch1, torch2)
        old, new = score(jmh, w, op, precision), score(jdk25, w, op, precision)
        print(f"| {precision.lower()} | {cell(tokens(old), ',.0f', 'not measured')} |"
              f" {cell(tokens(new), ',.0f', 'not measured')} | {tokens(torch1):,.0f} | {tokens(torch2):,.0f} |"
              f" {ratio_cell(best, old, target)} | {ratio_cell(best, new, target)} | ≥ {target:g}× |")
    print()


def print_configurations(jmh, plain, one_core, pytorch):
    """The batched workloads measured in the other set-ups (benchmarks/run measures W3 and W4 there)."""
    print("### W3 and W4 by configuration\n")
    print("The batched pass (W3, W4) in three set-ups, microseconds per operation: as above (the Vector API,")
    print("two cores); without `--add-modules jdk.incubator.vector`, where the products are plain loops that")
    print("the JIT vectorises on its own (on two cores); and with the Vector API on one core")
    print("(`-Dunfold.oneCore=true`). Ratios against the same PyTorch times.\n")
    print("| workload | precision | operation | Vector API, 2 cores | ratio | plain loops, 2 cores | ratio | Vector API, 1 core | ratio |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for precision in PRECISIONS:
        for w in WORKLOADS:
            if not any(key(w.cls, op, precision) in plain for op in w.operations):
                continue
            for op in w.operations:
                best = min(torch_times(pytorch, precision, w, op))
                cells = []
                for results in (jmh, plain, one_core):
                    unfold = score(results, w, op, precision)
                    cells.append(f"{cell(unfold, ',.1f')} | {ratio_cell(best, unfold, None)}")
                print(f"| {w.name} | {precision.lower()} | {op} | " + " | ".join(cells) + " |")
    print()


def print_precisions(jmh, pytorch):
    """Float32 against float64 within Unfold and within PyTorch: the speed-up of each from its precision."""
    print("### Float32 against float64\n")
    print("How much faster each workload runs in float32 than in float64: Unfold's float64 time over its float32")
    print("time (the same network, `@Network(precision = FLOAT32)`, on the first table's set-up), and the same")
    print("for PyTorch (the faster of its thread counts in each precision). The target: at least 1.8× for the")
    print("training steps of W3 and W4.\n")
    print("| workload | operation | Unfold float64 µs | Unfold float32 µs | Unfold float32 speed-up | target | PyTorch float32 speed-up |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for w in WORKLOADS:
        for op in w.operations:
            double, single = score(jmh, w, op, "FLOAT64"), score(jmh, w, op, "FLOAT32")
            torch_speedup = min(torch_times(pytorch, "FLOAT64", w, op)) / min(torch_times(pytorch, "FLOAT32", w, op))
            target = "≥ 1.8×" if w.name in ("W3", "W4") and op == "trainingStep" else ""
            if double is None or single is None:
                print(f"| {w.name} | {op} | not measured | not measured | | {target} | {torch_speedup:,.2f}× |")
                continue
            met = "" if not target else (" ✓" if double / single >= 1.8 else " ✗")
            print(f"| {w.name} | {op} | {double:,.1f} | {single:,.1f} | {double / single:,.2f}×{met} | {target} |"
                  f" {torch_speedup:,.2f}× |")
    print()


if __name__ == "__main__":
    main(sys.argv[1])
