#!/usr/bin/python3
"""Writes BENCHMARKS.md from the results benchmarks/run leaves in a directory.

Usage: /usr/bin/python3 benchmarks/report.py RESULTS_DIR > BENCHMARKS.md
RESULTS_DIR holds jmh.json (with the Vector API), jmh-plain.json (without), jmh-one-core.json,
jmh-jdk25.json (the same as jmh.json on JDK 25; optional), pytorch.json, allocation.json, allocation-plain.json, processing.json and machine.json.
"""
import json
import os
import sys

# name, class, description, sequences per op, steps, input, hidden, gates per unit, directions,
# outputs, output steps, target ratio for the training step
WORKLOADS = [
    ("W1", "W1Forecaster", "simple tanh RNN 4 → 20 → 1, MSE, T = 50, batch 1", 1, 50, 4, 20, 1, 1, 1, 50, 100),
    ("W2", "W2CharRnn", "simple tanh RNN 65 one-hot → 100 → 65, cross-entropy, T = 25, batch 1", 1, 25, 65, 100, 1, 1, 65, 25, 10),
    ("W3", "W3Lstm", "LSTM 128 → 256 → 128, cross-entropy, T = 35, batch 32", 32, 35, 128, 256, 4, 1, 128, 35, 1),
    ("W4", "W4Gru", "GRU 128 → 256 → 128, cross-entropy, T = 35, batch 32", 32, 35, 128, 256, 3, 1, 128, 35, 1),
    ("W5", "W5Streaming", "LSTM 32 → 64 → 32, one time step per call with (h, c) carried, batch 1", 1, 1, 32, 64, 4, 1, 32, 1, 10),
    ("W6", "W6ProteinBiLstm", "bidirectional LSTM 20 one-hot → 2×32 → 2, many-to-one, T = 428, batch 1", 1, 428, 20, 32, 4, 2, 2, 1, 10),
]


def forward_flops(w):
    _, _, _, batch, steps, inputs, hidden, gates, directions, outputs, output_steps, _ = w
    recurrent = steps * directions * gates * hidden * (inputs + hidden)
    projection = output_steps * outputs * hidden * directions
    return 2 * batch * (recurrent + projection)  # a multiply-add is two floating-point operations


def load(directory, name):
    with open(os.path.join(directory, name)) as f:
        return json.load(f)


PRECISIONS = ("FLOAT64", "FLOAT32")


def load_jmh(directory, name):
    """JMH's results keyed as "class.method [PRECISION]", as AllocationCheck keys its own."""
    return {key(entry["benchmark"].rsplit(".", 2)[-2], entry["benchmark"].rsplit(".", 1)[-1],
                entry.get("params", {}).get("precision", "FLOAT64")): entry
            for entry in load(directory, name)}


def key(cls, op, precision):
    return f"{cls}.{op} [{precision}]"


def torch_times(pytorch, precision, w, op):
    """PyTorch's 1- and 2-thread microseconds for the workload in the precision."""
    times = pytorch[precision.lower()][w[0]][op]
    return times["1"], times["2"]


def main(directory):
    jmh = load_jmh(directory, "jmh.json")
    plain = load_jmh(directory, "jmh-plain.json")
    one_core = load_jmh(directory, "jmh-one-core.json")
    allocation_plain = load(directory, "allocation-plain.json")
    pytorch = load(directory, "pytorch.json")
    allocation = load(directory, "allocation.json")
    processing = load(directory, "processing.json")
    machine = load(directory, "machine.json")
    first = next(iter(jmh.values()))

    print("# Benchmarks\n")
    print("Unfold's generated networks against PyTorch on the CPU, each precision against the same precision")
    print("(`@Network(precision = FLOAT64)` against PyTorch float64, `FLOAT32` against float32, PyTorch's")
    print("default), on the same machine in the same run. Regenerate with `benchmarks/run` (it rebuilds, runs JMH and "
          "`benchmarks/pytorch_workloads.py`, and rewrites this file).\n")
    print("## Machine\n")
    print(f"- CPU: {machine['cpu']}, {machine['cores']} cores")
    print(f"- JDK: {first['jdkVersion']} ({first['vmName']} {first['vmVersion']}); JMH {first['jmhVersion']},"
          f" {first['forks']} forks × {first['measurementIterations']} iterations of {first['measurementTime']}"
          f" after {first['warmupIterations']} × {first['warmupTime']} of warm-up; JVM options"
          f" `{' '.join(first['jvmArgs'])}`")
    print(f"- PyTorch: {pytorch['machine']['torch']} (Debian's python3-torch), BLAS: {pytorch['machine']['blas']}"
          f"; OPENBLAS_CORETYPE {machine['openblas_coretype']}\n")

    print("## Time per operation\n")
    print("Microseconds per operation (JMH average time ± its 99.9% error; PyTorch: the median of 5 one-second")
    print("rounds). Ratio = the faster of PyTorch's 1- and 2-thread times / Unfold's time; above 1, Unfold is")
    print("faster. A training step is forward, backpropagation through time and an SGD update; a step (W5) is")
    print("one time step of streaming inference, the state carried from the call before; for a batch of 32,")
    print("Unfold sums the 32 sequences' gradients in one batched call, then updates once, as PyTorch does")
    print("with a summed loss. Unfold runs with `--add-modules jdk.incubator.vector` (the Vector API, for the")
    print("batched products and activations of W3 and W4) on both cores; the next table shows W3 and W4")
    print("without the one and the other.\n")
    print("| workload | precision | operation | Unfold µs | PyTorch 1 thread µs | PyTorch 2 threads µs | ratio | target | Unfold GFLOP/s |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for precision in PRECISIONS:
        for w in WORKLOADS:
            name, cls = w[0], w[1]
            for op in operations(w):
                entry = jmh[key(cls, op, precision)]
                unfold = entry["primaryMetric"]["score"]
                error = entry["primaryMetric"]["scoreError"]
                torch1, torch2 = torch_times(pytorch, precision, w, op)
                ratio = min(torch1, torch2) / unfold
                target = f"≥ {w[-1]}×" if op != "forward" else ""
                met = "" if not target else (" ✓" if ratio >= w[-1] else " ✗")
                flops = forward_flops(w) * (3 if op == "trainingStep" else 1)
                print(f"| {name} | {precision.lower()} | {op} | {unfold:,.1f} ± {error:,.1f} | {torch1:,.1f} |"
                      f" {torch2:,.1f} | {ratio:,.2f}×{met} | {target} | {flops / unfold / 1e3:,.2f} |")
    print()
    for w in WORKLOADS:
        parameters = pytorch["float64"][w[0]]["parameters"]
        print(f"- {w[0]}: {w[2]}; Unfold {parameters - extra_biases(w):,} parameters, PyTorch {parameters:,}.")
    print("\nGFLOP/s counts the dense work of the forward pass (2 operations per multiply-add, one-hot inputs")
    print("counted as dense) and three times that for a training step.\n")

    print("### W3 and W4 by configuration\n")
    print("The batched pass (W3, W4) in three set-ups, microseconds per operation: as above (the Vector API,")
    print("two cores); without `--add-modules jdk.incubator.vector`, where the products are plain loops that")
    print("the JIT vectorises on its own (on two cores); and with the Vector API on one core")
    print("(`-Dunfold.oneCore=true`). Ratios against the same PyTorch times.\n")
    print("| workload | precision | operation | Vector API, 2 cores | ratio | plain loops, 2 cores | ratio | Vector API, 1 core | ratio |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for precision in PRECISIONS:
        for w in WORKLOADS:
            if w[3] == 1:
                continue
            for op in operations(w):
                best = min(torch_times(pytorch, precision, w, op))
                cells = []
                for results in (jmh, plain, one_core):
                    score = results[key(w[1], op, precision)]["primaryMetric"]["score"]
                    cells.append(f"{score:,.1f} | {best / score:,.2f}×")
                print(f"| {w[0]} | {precision.lower()} | {op} | " + " | ".join(cells) + " |")
    print()

    print_precisions(jmh, pytorch)
    print_jdk25(directory, jmh, pytorch)

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
            for op in operations(w):
                k = key(w[1], op, precision)
                norm = jmh[k]["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan"))
                print(f"| {k} | {allocation[k]:.0f} | {allocation_plain[k]:.0f} | {norm:,.1f} |")
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
        for op in operations(w):
            double = jmh[key(w[1], op, "FLOAT64")]["primaryMetric"]["score"]
            single = jmh[key(w[1], op, "FLOAT32")]["primaryMetric"]["score"]
            torch_speedup = min(torch_times(pytorch, "FLOAT64", w, op)) / min(torch_times(pytorch, "FLOAT32", w, op))
            target = "≥ 1.8×" if w[0] in ("W3", "W4") and op == "trainingStep" else ""
            met = "" if not target else (" ✓" if double / single >= 1.8 else " ✗")
            print(f"| {w[0]} | {op} | {double:,.1f} | {single:,.1f} | {double / single:,.2f}×{met} | {target} |"
                  f" {torch_speedup:,.2f}× |")
    print()


def print_jdk25(directory, jmh, pytorch):
    """Every workload as in the first table, with JMH's forks on JDK 25, against the same PyTorch times."""
    print("### On JDK 25\n")
    if not os.path.exists(os.path.join(directory, "jmh-jdk25.json")):
        print("Not measured in this run: no JDK 25 was found (set UNFOLD_JDK25 to its home).\n")
        return
    jdk25 = load_jmh(directory, "jmh-jdk25.json")
    first = next(iter(jdk25.values()))
    print(f"The first table's workloads with JMH's benchmark JVMs on JDK {first['jdkVersion']} ({first['vmName']}),")
    print("the same options, in the same run; ratios against the same PyTorch times.\n")
    print("| workload | precision | operation | JDK 17 µs | ratio | JDK 25 µs | ratio | JDK 25 / JDK 17 time |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for precision in PRECISIONS:
        for w in WORKLOADS:
            for op in operations(w):
                k = key(w[1], op, precision)
                best = min(torch_times(pytorch, precision, w, op))
                old = jmh[k]["primaryMetric"]["score"]
                new = jdk25[k]["primaryMetric"]["score"]
                print(f"| {w[0]} | {precision.lower()} | {op} | {old:,.1f} | {best / old:,.2f}× | {new:,.1f} |"
                      f" {best / new:,.2f}× | {new / old:,.2f} |")
    print()


def operations(w):
    """W5 is streaming inference only: one step; the others have a forward pass and a training step."""
    return ("step",) if w[0] == "W5" else ("forward", "trainingStep")


def extra_biases(w):
    """PyTorch keeps two bias vectors per gate set (b_ih and b_hh); Unfold keeps their sum."""
    _, _, _, _, _, _, hidden, gates, directions, _, _, _ = w
    return gates * hidden * directions if gates != 3 else 2 * hidden * directions


if __name__ == "__main__":
    main(sys.argv[1])
