#!/usr/bin/python3
"""The workloads of dev.unfold.benchmarks, in PyTorch on the CPU, in float64 and in float32.

Each workload is built as a PyTorch user would write it (nn.RNN/LSTM/GRU + nn.Linear, a summed
loss, torch.optim.SGD) and timed as forward-only (under no_grad, with the softmax Unfold's forward
also computes) and as one training step (zero_grad, forward, loss, backward, step), with 1 and with
2 intra-op threads, once with every module and tensor in float64 and once in float32 (PyTorch's
default). W7, a character language model, is timed per training chunk of truncated BPTT over 32 streams.
Writes JSON: {"float64" | "float32": {workload: {op: {threads: microseconds per op}}},
"machine": {...}}.

Usage: /usr/bin/python3 benchmarks/pytorch_workloads.py out.json
(Debian's python3-torch, with libopenblas0-openmp installed so that torch's BLAS is OpenBLAS.)
"""
import ctypes
import json
import statistics
import sys
import time

import torch
from torch import nn

DTYPES = {"float64": torch.float64, "float32": torch.float32}


class Net(nn.Module):
    def __init__(self, cell, inputs, hidden, outputs, bidirectional=False, many_to_one=False):
        super().__init__()
        kinds = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
        extra = {"nonlinearity": "tanh"} if cell == "rnn" else {}
        self.rnn = kinds[cell](inputs, hidden, bidirectional=bidirectional, **extra)
        self.hidden = hidden
        self.bidirectional = bidirectional
        self.many_to_one = many_to_one
        self.out = nn.Linear(hidden * (2 if bidirectional else 1), outputs)

    def forward(self, x):  # x: (T, batch, inputs)
        h, _ = self.rnn(x)
        if self.many_to_one:
            if self.bidirectional:  # [h_T ; g_1], as Unfold's many-to-one reads it
                h = torch.cat([h[-1, :, :self.hidden], h[0, :, self.hidden:]], dim=1)
            else:
                h = h[-1]
        return self.out(h)


def one_hot(indices, width):
    return nn.functional.one_hot(indices, width).to(torch.get_default_dtype())


def workloads():
    g = torch.Generator().manual_seed(0)
    # W1: 4 -> 20 -> 1, MSE, T = 50, batch 1
    w1 = Net("rnn", 4, 20, 1)
    w1x, w1y = torch.randn(50, 1, 4, generator=g), torch.randn(50, 1, 1, generator=g)
    yield "W1", w1, w1x, lambda out: nn.functional.mse_loss(out, w1y, reduction="sum"), None
    # W2: 65 one-hot -> 100 -> 65, cross-entropy, T = 25, batch 1 (nn.RNN takes the dense one-hot rows)
    w2 = Net("rnn", 65, 100, 65)
    w2x = one_hot(torch.randint(0, 65, (25, 1), generator=g), 65)
    w2t = torch.randint(0, 65, (25,), generator=g)
    yield "W2", w2, w2x, lambda out: nn.functional.cross_entropy(out.reshape(25, 65), w2t, reduction="sum"), "softmax"
    # W3, W4: 128 -> 256 -> 128, cross-entropy, T = 35, batch 32, dense inputs
    for name, cell in (("W3", "lstm"), ("W4", "gru")):
        net = Net(cell, 128, 256, 128)
        x = torch.randn(35, 32, 128, generator=g)
        t = torch.randint(0, 128, (35 * 32,), generator=g)
        yield name, net, x, (lambda t: lambda out: nn.functional.cross_entropy(
            out.reshape(-1, 128), t, reduction="sum"))(t), "softmax"
    # W8: a big LSTM 256 -> 1024 -> 256, cross-entropy, T = 20, batch 32, dense inputs
    w8 = Net("lstm", 256, 1024, 256)
    w8x = torch.randn(20, 32, 256, generator=g)
    w8t = torch.randint(0, 256, (20 * 32,), generator=g)
    yield "W8", w8, w8x, lambda out: nn.functional.cross_entropy(out.reshape(-1, 256), w8t, reduction="sum"), "softmax"
    # W6: bidirectional LSTM 20 -> 2x32 -> 2, many-to-one, T = 428, batch 1, one-hot amino acids
    w6 = Net("lstm", 20, 32, 2, bidirectional=True, many_to_one=True)
    w6x = one_hot(torch.randint(0, 20, (428, 1), generator=g), 20)
    w6t = torch.tensor([1])
    yield "W6", w6, w6x, lambda out: nn.functional.cross_entropy(out, w6t, reduction="sum"), "softmax"


class Streaming:
    """W5: an LSTM 32 -> 64 (-> 32) run one time step per call, (h, c) carried between calls."""

    def __init__(self):
        self.lstm = nn.LSTM(32, 64)
        self.out = nn.Linear(64, 32)
        g = torch.Generator().manual_seed(5)
        self.frames = torch.randn(64, 1, 1, 32, generator=g)
        self.state = (torch.zeros(1, 1, 64), torch.zeros(1, 1, 64))
        self.next = 0

    def parameters(self):
        return list(self.lstm.parameters()) + list(self.out.parameters())

    def step(self):
        with torch.no_grad():
            h, self.state = self.lstm(self.frames[self.next], self.state)
            y = self.out(h)
        self.next = (self.next + 1) % 64
        return y


class CharLm:
    """W7: a character language model, two stacked LSTMs of 512 over a vocabulary of 96 (one-hot rows),
    trained on 32 streams at once with truncated BPTT over chunks of 32 steps: each call trains one
    chunk, the (h, c) of both layers carried from the chunk before and detached from its graph."""

    VOCABULARY, HIDDEN, STREAMS, CHUNK, CHUNKS = 96, 512, 32, 32, 8

    def __init__(self):
        self.lstm = nn.LSTM(self.VOCABULARY, self.HIDDEN, num_layers=2)
        self.out = nn.Linear(self.HIDDEN, self.VOCABULARY)
        self.optimizer = torch.optim.SGD(self.parameters(), lr=0.001)
        g = torch.Generator().manual_seed(7)
        # each stream's text: CHUNKS chunks, then it starts again (the state carried on regardless)
        tokens = torch.randint(0, self.VOCABULARY, (self.CHUNKS * self.CHUNK + 1, self.STREAMS), generator=g)
        self.inputs = [one_hot(tokens[i * self.CHUNK:(i + 1) * self.CHUNK], self.VOCABULARY)
                       for i in range(self.CHUNKS)]
        self.targets = [tokens[i * self.CHUNK + 1:(i + 1) * self.CHUNK + 1].reshape(-1) for i in range(self.CHUNKS)]
        zeros = torch.zeros(2, self.STREAMS, self.HIDDEN)
        self.state = (zeros, zeros.clone())
        self.next = 0

    def parameters(self):
        return list(self.lstm.parameters()) + list(self.out.parameters())

    def training_chunk(self):
        self.optimizer.zero_grad()
        h, state = self.lstm(self.inputs[self.next], self.state)
        loss = nn.functional.cross_entropy(self.out(h).reshape(-1, self.VOCABULARY), self.targets[self.next],
                                           reduction="sum")
        loss.backward()
        self.optimizer.step()
        self.state = (state[0].detach(), state[1].detach())  # truncated: the next chunk starts a new graph
        self.next = (self.next + 1) % self.CHUNKS
        return loss


def per_op_microseconds(op, seconds=1.0, rounds=5):
    """Median over rounds of the mean time of op, after a warm-up as long as one round."""
    def run_for(duration):
        count, start = 0, time.perf_counter()
        while True:
            op()
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= duration:
                return elapsed / count
    run_for(seconds)
    return statistics.median(run_for(seconds) * 1e6 for _ in range(rounds))


def blas_kernel():
    try:
        corename = ctypes.CDLL("libopenblas.so.0").openblas_get_corename
        corename.restype = ctypes.c_char_p
        return "OpenBLAS " + corename().decode()
    except (OSError, AttributeError):
        return "not OpenBLAS"


def main(path):
    results = {"machine": {"torch": torch.__version__, "blas": blas_kernel()}}
    for precision, dtype in DTYPES.items():
        # the modules, the data and every intermediate in this precision, as a user's would be
        torch.set_default_dtype(dtype)
        results[precision] = time_workloads(precision)
    with open(path, "w") as out:
        json.dump(results, out, indent=2)


def time_workloads(precision):
    results = {}
    for name, net, x, loss_of, head in workloads():
        optimizer = torch.optim.SGD(net.parameters(), lr=0.001)

        def forward():
            with torch.no_grad():
                out = net(x)
                if head == "softmax":
                    out = torch.softmax(out, dim=-1)
            return out

        def training_step():
            optimizer.zero_grad()
            loss = loss_of(net(x))
            loss.backward()
            optimizer.step()
            return loss

        results[name] = {"parameters": sum(p.numel() for p in net.parameters()), "forward": {}, "trainingStep": {}}
        for threads in (1, 2):
            torch.set_num_threads(threads)
            results[name]["forward"][threads] = per_op_microseconds(forward)
            results[name]["trainingStep"][threads] = per_op_microseconds(training_step)
            print(precision, name, threads, "threads:", {op: round(results[name][op][threads], 1)
                                               for op in ("forward", "trainingStep")}, file=sys.stderr)
    w5 = Streaming()
    results["W5"] = {"parameters": sum(p.numel() for p in w5.parameters()), "step": {}}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        results["W5"]["step"][threads] = per_op_microseconds(w5.step)
        print(precision, "W5", threads, "threads:", round(results["W5"]["step"][threads], 1), file=sys.stderr)
    w7 = CharLm()
    results["W7"] = {"parameters": sum(p.numel() for p in w7.parameters()), "trainingChunk": {},
                     "tokensPerChunk": CharLm.STREAMS * CharLm.CHUNK}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        results["W7"]["trainingChunk"][threads] = per_op_microseconds(w7.training_chunk)
        print(precision, "W7", threads, "threads:", round(results["W7"]["trainingChunk"][threads], 1),
              file=sys.stderr)
    return results


if __name__ == "__main__":
    main(sys.argv[1])
