#!/usr/bin/python3
"""Writes the PyTorch parity fixtures that PyTorchParityTest checks Unfold's generated code against.

For every configuration in CONFIGURATIONS this builds the network as PyTorch modules (an nn.RNN,
nn.LSTM or nn.GRU per layer, named like the layer methods, with num_layers=1 and batch_first=True,
then an nn.Linear named "out"), runs one sequence forward and backward in float64 (float32 for the
twins below), and writes to
processor/src/test/resources/parity/:

  <Name>.java                 the @Network interface declaring the same network
  <Name>.weights.safetensors  the module's state_dict, under PyTorch's own names
  <Name>.data.safetensors     the input (xs or tokens), the targets (targets or labels), the
                              predictions, the summed loss, and every gradient ("grad.<name>")

It also writes, for the runtime's tests:

  runtime/src/test/resources/optimizers.safetensors  trajectories of torch.optim's SGD, Adagrad,
                              RMSprop, Adam and AdamW (several options each, some under a scheduler)
                              over given gradients, which OptimizerParityTest replays
  runtime/src/test/resources/schedules.safetensors   the rates torch.optim.lr_scheduler's StepLR,
                              ExponentialLR, CosineAnnealingLR and a warm-up SequentialLR give, step
                              by step, which LearningRateScheduleTest checks

  processor/src/test/resources/context/   networks reading a context vector at every step: PyTorch
                              reads [x_t ; x], whose weight_ih splits into W_ih and R
  processor/src/test/resources/seq2seq/   encoder-decoder pairs: the encoder's final (h, c) of each
                              layer starts the decoder's; the decoder's loss, its outputs and the
                              gradients of both networks, which EncoderDecoderParityTest checks
  processor/src/test/resources/feedback/  networks whose first layer reads the previous output:
                              PyTorch reads [x_t ; y_{t−1}] (teacher-forced loss and gradients) and
                              runs free step by step for the outputs, which FeedbackParityTest checks
  processor/src/test/resources/projection/  networks with LSTMs that project their state,
                              nn.LSTM(proj_size=P), laid out as the parity fixtures are, which
                              ProjectionParityTest checks

and the float32 twin of each of these five sets, for PyTorchFloat32ParityTest:

  processor/src/test/resources/parity32/, projection32/, context32/, feedback32/, seq2seq32/
                              the same configurations (context32, feedback32 and seq2seq32 have a
                              few more), declared @Network(..., precision = Precision.FLOAT32) and
                              computed by PyTorch in float32: the modules are drawn as the float64
                              ones are and rounded once to torch.float32, the inputs and targets are
                              drawn in float32, and every tensor is written as F32. The test holds
                              predictions and loss to a relative 1e-5 and gradients to 1e-4 (the
                              float64 sets: 1e-9), each error relative to its tensor's largest
                              magnitude. For parity32 and projection32 the script also runs each
                              network again in float64 on the same (widened) weights and inputs,
                              prints how far PyTorch's float32 results are from it, and stops at
                              a fixture where that is more than a quarter of a bound: one so
                              ill-conditioned that a correct float32 network could fail it

and, for PyTorch's two biases and Unfold's export:

  processor/src/test/resources/twobiases/, twobiases32/  networks declared with
                              @Recurrent(..., biases = Biases.TWO): their weights, one sequence, and
                              the loss before and every weight after each of 5 steps of
                              torch.optim.SGD(lr=0.1) and of torch.optim.Adam(lr=0.01), which
                              TwoBiasesTrainingParityTest replays (float32: checked against PyTorch's
                              own float64 run as parity32 is)
  processor/src/test/resources/export/   for each network PyTorchExportTest exported with
                              parameters().savePyTorch (<Name>.safetensors, <Name>.module.json, written
                              by that test with -Dunfold.updateExport=true): the module the docs
                              describe loads the file with load_state_dict(..., strict=True) and its
                              outputs on inputs drawn here are <Name>.outputs.safetensors

Run it with Debian's PyTorch (apt install python3-torch): /usr/bin/python3 tools/pytorch-fixtures.py
(--only parity, runtime, seq2seq, context, feedback, projection, twobiases or export writes one of
the sets, and --only parity32, seq2seq32, context32, feedback32, projection32 or twobiases32 a
float32 twin). The output is
deterministic on one machine, but the parity fixtures' gradients have come out different in their last bits on another
(PyTorch's CPU kernels vary with the processor), so --only runtime regenerates the runtime's files
without touching them. CI only reads the committed files and needs no Python.
"""
import argparse
import json
import os
import random
import struct
import warnings

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "processor", "src", "test", "resources", "parity")
OPTIMIZERS = os.path.join(ROOT, "runtime", "src", "test", "resources", "optimizers.safetensors")
SCHEDULES_FILE = os.path.join(ROOT, "runtime", "src", "test", "resources", "schedules.safetensors")
CELLS = {"SIMPLE": torch.nn.RNN, "LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}
LOSSES = {"MSE": "Mse", "CROSS_ENTROPY": "Ce", "BINARY_CROSS_ENTROPY": "Bce"}
MAPPINGS = {"MANY_TO_MANY": "M2m", "MANY_TO_ONE": "M2o"}


def extends(loss, bidirectional=False, context=0, feedback=False, role=None):
    """What a fixture's interface extends: the capabilities its annotations require (Classifier for
    cross-entropy, Contextual for a context, Autoregressive for a fed-back output) and those the
    tests use where its layers allow them (an encoder and a decoder stream; every network traces)."""
    capabilities = []
    if role is not None:
        capabilities.append(role)
    elif feedback:
        capabilities.append("Autoregressive")
    elif not bidirectional:
        capabilities += ["Encoder", "Decoder"]
    if context:
        capabilities.append("Contextual")
    if loss == "CROSS_ENTROPY":
        capabilities.append("Classifier")
    capabilities.append("Traceable")
    return ", ".join(capabilities)


def configurations():
    """Each cell x one or two directions x 1-3 layers x mapping x {MSE, cross-entropy}, plus mixed stacks."""
    rng = random.Random(2026)
    configs = []
    for cell in CELLS:
        for bidirectional in (False, True):
            for depth in (1, 2, 3):
                for mapping in MAPPINGS:
                    for loss in ("MSE", "CROSS_ENTROPY"):
                        layers = [layer(rng, cell, bidirectional) for _ in range(depth)]
                        configs.append(config(rng, cell.capitalize() + ("Bi" if bidirectional else "Uni") + str(depth)
                                              + MAPPINGS[mapping] + LOSSES[loss], layers, loss, mapping))
    for index in range(6):  # mixed stacks, with binary cross-entropy among the losses
        layers = [layer(rng, rng.choice(list(CELLS)), rng.random() < 0.5) for _ in range(rng.randint(2, 3))]
        loss = ("MSE", "CROSS_ENTROPY", "BINARY_CROSS_ENTROPY")[index % 3]
        mapping = list(MAPPINGS)[index // 3]
        configs.append(config(rng, "Mixed" + str(index) + MAPPINGS[mapping] + LOSSES[loss], layers, loss, mapping))
    return configs


def layer(rng, cell, bidirectional):
    activation = rng.choice(("tanh", "relu")) if cell == "SIMPLE" else "tanh"  # nn.RNN knows no others
    return {"cell": cell, "hidden": rng.randint(1, 4), "bidirectional": bidirectional, "activation": activation}


def config(rng, name, layers, loss, mapping):
    output = rng.randint(2, 4) if loss == "CROSS_ENTROPY" else rng.randint(1, 3)
    return {"name": name, "input": rng.randint(1, 4), "output": output, "loss": loss, "mapping": mapping,
            "layers": layers, "steps": rng.randint(1, 6), "tokens": rng.random() < 0.3,
            "labels": loss == "CROSS_ENTROPY" and rng.random() < 0.7, "seed": rng.randint(0, 2**31)}


def state_size(spec):
    """The size of a layer's h_t: its projection P if it has one, else its hidden size."""
    return spec.get("projection") or spec["hidden"]


class Net(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        width = cfg["input"]
        for k, spec in enumerate(cfg["layers"]):
            options = dict(num_layers=1, batch_first=True, bidirectional=spec["bidirectional"])
            if spec["cell"] == "SIMPLE":
                options["nonlinearity"] = spec["activation"]
            if spec.get("projection"):
                options["proj_size"] = spec["projection"]
            setattr(self, "layer%d" % k, CELLS[spec["cell"]](width, spec["hidden"], **options))
            width = state_size(spec) * (2 if spec["bidirectional"] else 1)
        self.out = torch.nn.Linear(width, cfg["output"])

    def forward(self, x):
        for k, spec in enumerate(self.cfg["layers"]):
            x, _ = getattr(self, "layer%d" % k)(x)
        x = x[0]  # T x width
        if self.cfg["mapping"] == "MANY_TO_ONE":
            top = self.cfg["layers"][-1]
            hidden = state_size(top)
            # the forward direction's last state h_T, the reverse direction's last state g_1
            x = torch.cat([x[-1, :hidden], x[0, hidden:]]) if top["bidirectional"] else x[-1]
            x = x.unsqueeze(0)
        return self.out(x)


def fixture(cfg, dtype=torch.float64):
    """One sequence forward and backward through Net(cfg), computed by PyTorch in dtype: the module's
    weights (drawn in float64, then rounded once for float32), the input and targets are all of it."""
    torch.manual_seed(cfg["seed"])
    net = Net(cfg).to(dtype)
    return run(cfg, net, example(cfg, dtype))


def example(cfg, dtype):
    """A random input sequence (xs, or tokens) and its targets (targets, or labels), as tensors of dtype."""
    steps = cfg["steps"]
    rows = steps if cfg["mapping"] == "MANY_TO_MANY" else 1
    data = {}
    if cfg["tokens"]:
        data["tokens"] = torch.randint(0, cfg["input"], (steps,)).to(dtype)
    else:
        data["xs"] = torch.randn(steps, cfg["input"], dtype=dtype)
    if cfg["loss"] == "MSE":
        data["targets"] = torch.randn(rows, cfg["output"], dtype=dtype)
    elif cfg["loss"] == "BINARY_CROSS_ENTROPY":
        data["targets"] = torch.rand(rows, cfg["output"], dtype=dtype)
    elif cfg["labels"]:
        data["labels"] = torch.randint(0, cfg["output"], (rows,)).to(dtype)
    else:
        data["targets"] = torch.softmax(torch.randn(rows, cfg["output"], dtype=dtype), dim=1)
    return data


def loss_and_outputs(cfg, net, data):
    """net's summed loss on the example in data, and its predictions."""
    dtype = next(net.parameters()).dtype
    x = F.one_hot(data["tokens"].long(), cfg["input"]).to(dtype) if "tokens" in data else data["xs"]
    logits = net(x.unsqueeze(0))
    if cfg["loss"] == "MSE":
        return ((logits - data["targets"]) ** 2).sum(), logits
    if cfg["loss"] == "BINARY_CROSS_ENTROPY":
        return F.binary_cross_entropy_with_logits(logits, data["targets"], reduction="sum"), torch.sigmoid(logits)
    loss = F.cross_entropy(logits, data["labels"].long() if "labels" in data else data["targets"], reduction="sum")
    return loss, torch.softmax(logits, dim=1)


def run(cfg, net, example):
    """net's weights, and the example with net's predictions, summed loss and every gradient added."""
    data = dict(example)
    loss, outputs = loss_and_outputs(cfg, net, data)
    loss.backward()
    data["outputs"] = outputs.detach()
    data["loss"] = loss.detach()
    for name, parameter in net.named_parameters():
        data["grad." + name] = parameter.grad
    weights = {name: tensor.detach() for name, tensor in net.state_dict().items()}
    return weights, data


# PyTorchFloat32ParityTest's bounds, each error relative to its tensor's largest magnitude
FLOAT32_TOLERANCES = {"outputs": 1e-5, "loss": 1e-5, "gradients": 1e-4}


def float32_error(cfg, weights, data):
    """How far PyTorch's float32 results are from float64's on the same network and example (the
    float32 weights and inputs, widened), by kind, each error relative to its tensor's largest
    magnitude as the test measures it: PyTorch's own share of the float32 tolerances."""
    net = Net(cfg).double()
    net.load_state_dict({name: tensor.double() for name, tensor in weights.items()})
    _, exact = run(cfg, net, {k: data[k].double() for k in ("xs", "tokens", "targets", "labels") if k in data})

    def error(name):
        return ((data[name].double() - exact[name]).abs().max() / exact[name].abs().max()).item()

    return {"outputs": error("outputs"), "loss": error("loss"),
            "gradients": max(error(name) for name in data if name.startswith("grad."))}


def write_safetensors(path, tensors, metadata):
    """The safetensors layout, written here independently of Unfold's reader: each tensor as F32 if
    PyTorch holds it in float32, else as F64."""
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name in sorted(tensors):
        dtype, layout = ("F32", "<f4") if tensors[name].dtype == torch.float32 else ("F64", "<f8")
        array = np.ascontiguousarray(tensors[name].detach().numpy(), dtype=layout)
        blob = array.tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":"), sort_keys=True).encode()
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for blob in blobs:
            out.write(blob)


def precision(dtype):
    """The @Network option that makes the declared network compute in dtype (float64 is the default)."""
    return ", precision = Precision.FLOAT32" if dtype == torch.float32 else ""


def declaration(cfg, package="parity", dtype=torch.float64):
    lines = [
        "package %s;" % package,
        "",
        "import dev.unfold.*;",
        "import dev.unfold.runtime.*;",
        "",
        "/** Written by tools/pytorch-fixtures.py: the network of " + cfg["name"] + ".weights.safetensors. */",
        "@Network(input = %d, output = %d, loss = Loss.%s, mapping = Mapping.%s%s)"
        % (cfg["input"], cfg["output"], cfg["loss"], cfg["mapping"], precision(dtype)),
        "public interface %s extends %s {"
        % (cfg["name"], extends(cfg["loss"], bidirectional=any(spec["bidirectional"] for spec in cfg["layers"]))),
    ]
    for k, spec in enumerate(cfg["layers"]):
        activation = ", activation = Activation.RELU" if spec["activation"] == "relu" else ""
        projection = ", projection = %d" % spec["projection"] if spec.get("projection") else ""
        biases = ", biases = Biases.TWO" if cfg.get("biases") == "TWO" else ""
        lines.append("    @Recurrent(hidden = %d, cell = Cell.%s%s%s%s)"
                     % (spec["hidden"], spec["cell"], activation, projection, biases))
        if spec["bidirectional"]:
            lines.append("    @Bidirectional")
        lines.append("    Layer layer%d();" % k)
        lines.append("")
    lines[-1] = "}"
    return "\n".join(lines) + "\n"


def optimizer_trajectories():
    """Parameters after each of five steps of every torch.optim run in OPTIMIZER_RUNS, given the same gradients.

    Every run starts from the same initial values and sees the same five gradients (entries of very
    different scales). Runs with a scheduler step it after each optimizer step, so they also check
    that the optimizer uses the rate it is given at each step. foreach=False pins PyTorch's
    per-tensor loop, whose arithmetic the Java optimizers follow.
    """
    torch.manual_seed(7)
    initial = torch.randn(7, dtype=torch.float64)
    gradients = torch.randn(5, 7, dtype=torch.float64) * torch.tensor([1, 10, 0.1, 1, 3, 1e-3, 1], dtype=torch.float64)
    tensors = {"initial": initial, "gradients": gradients}
    for name, (make, schedule) in OPTIMIZER_RUNS.items():
        parameter = torch.nn.Parameter(initial.clone())
        optimizer = make([parameter])
        scheduler = schedule(optimizer) if schedule else None
        trajectory = []
        for gradient in gradients:
            parameter.grad = gradient.clone()
            optimizer.step()
            if scheduler:
                scheduler.step()
            trajectory.append(parameter.detach().clone())
        tensors[name] = torch.stack(trajectory)
    return tensors


optim = torch.optim
lr_scheduler = torch.optim.lr_scheduler

# name: (optimizer over a parameter list, scheduler or None); OptimizerParityTest replays each by name
OPTIMIZER_RUNS = {
    "sgd": (lambda p: optim.SGD(p, lr=0.1, foreach=False), None),
    "sgd_momentum": (lambda p: optim.SGD(p, lr=0.1, momentum=0.9, foreach=False), None),
    "sgd_nesterov": (lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, foreach=False), None),
    "sgd_dampening_weight_decay": (lambda p: optim.SGD(p, lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.01,
                                                       foreach=False), None),
    "sgd_nesterov_weight_decay": (lambda p: optim.SGD(p, lr=0.05, momentum=0.5, nesterov=True, weight_decay=0.1,
                                                      foreach=False), None),
    "sgd_momentum_step_lr": (lambda p: optim.SGD(p, lr=0.1, momentum=0.9, foreach=False),
                             lambda o: lr_scheduler.StepLR(o, step_size=2, gamma=0.5)),
    "adagrad": (lambda p: optim.Adagrad(p, lr=0.1, foreach=False), None),
    "adagrad_options": (lambda p: optim.Adagrad(p, lr=0.1, lr_decay=0.05, weight_decay=0.02,
                                                initial_accumulator_value=0.5, eps=1e-6, foreach=False), None),
    "adagrad_exponential_lr": (lambda p: optim.Adagrad(p, lr=0.1, lr_decay=0.1, foreach=False),
                               lambda o: lr_scheduler.ExponentialLR(o, gamma=0.8)),
    "rmsprop": (lambda p: optim.RMSprop(p, lr=0.01, foreach=False), None),
    "rmsprop_momentum": (lambda p: optim.RMSprop(p, lr=0.01, momentum=0.9, foreach=False), None),
    "rmsprop_centered": (lambda p: optim.RMSprop(p, lr=0.01, centered=True, foreach=False), None),
    "rmsprop_everything": (lambda p: optim.RMSprop(p, lr=0.005, alpha=0.9, eps=1e-6, weight_decay=0.05, momentum=0.7,
                                                   centered=True, foreach=False), None),
    "adam": (lambda p: optim.Adam(p, lr=0.01, foreach=False), None),
    "adam_custom": (lambda p: optim.Adam(p, lr=0.05, betas=(0.8, 0.99), eps=1e-6, foreach=False), None),
    "adam_weight_decay": (lambda p: optim.Adam(p, lr=0.01, weight_decay=0.1, foreach=False), None),
    "adamw": (lambda p: optim.AdamW(p, lr=0.01, foreach=False), None),
    "adamw_custom": (lambda p: optim.AdamW(p, lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.2, foreach=False),
                     None),
    "adamw_cosine_lr": (lambda p: optim.AdamW(p, lr=0.01, weight_decay=0.1, foreach=False),
                        lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.001)),
}


def schedule_rates():
    """The rate each torch.optim.lr_scheduler in SCHEDULES gives an SGD optimizer at lr 0.1 for each step.

    CosineAnnealingLR is recorded up to T_max only: after it PyTorch's rate climbs back up, where
    Unfold's holds the minimum.
    """
    # SequentialLR steps the cosine with an epoch argument at its milestone, and PyTorch warns about its own call
    warnings.filterwarnings("ignore", message="The epoch parameter in `scheduler.step\\(\\)`")
    tensors = {}
    for name, (make, steps) in SCHEDULES.items():
        optimizer = optim.SGD([torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))], lr=0.1)
        scheduler = make(optimizer)
        rates = []
        for _ in range(steps):
            rates.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
        tensors[name] = torch.tensor(rates, dtype=torch.float64)
    return tensors


# name: (scheduler over an optimizer at lr 0.1, steps recorded); LearningRateScheduleTest reads each by name
SCHEDULES = {
    "step_lr": (lambda o: lr_scheduler.StepLR(o, step_size=3, gamma=0.5), 14),
    "exponential_lr": (lambda o: lr_scheduler.ExponentialLR(o, gamma=0.9), 14),
    "cosine_annealing_lr": (lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=8, eta_min=0.001), 9),
    # a warm-up over 3 steps (0.1/3, 0.2/3, 0.1), then the cosine from its own step 0
    "warm_up_then_cosine": (lambda o: lr_scheduler.SequentialLR(o, [
        lr_scheduler.LinearLR(o, start_factor=1 / 3, end_factor=1.0, total_iters=2),
        lr_scheduler.CosineAnnealingLR(o, T_max=8, eta_min=0.001)], milestones=[3]), 12),
}


PROJECTION = os.path.join(ROOT, "processor", "src", "test", "resources", "projection")


def projection_configurations():
    """LSTMs with proj_size: one and two layers, one and two directions, many-to-many and many-to-one,
    MSE and cross-entropy, dense and token input, and stacks with other cells."""
    def lstm(hidden, projection, bidirectional=False):
        return {"cell": "LSTM", "hidden": hidden, "projection": projection, "bidirectional": bidirectional,
                "activation": "tanh"}

    def other(cell, hidden, bidirectional=False):
        return {"cell": cell, "hidden": hidden, "bidirectional": bidirectional, "activation": "tanh"}

    def net(name, layers, loss, mapping, input_size, output, steps, tokens, labels, seed):
        return {"name": name, "input": input_size, "output": output, "loss": loss, "mapping": mapping,
                "layers": layers, "steps": steps, "tokens": tokens, "labels": labels, "seed": seed}

    return [
        net("ProjUni1M2mMse", [lstm(4, 2)], "MSE", "MANY_TO_MANY", 3, 2, 5, False, False, 101),
        net("ProjUni1M2oCe", [lstm(5, 3)], "CROSS_ENTROPY", "MANY_TO_ONE", 4, 3, 6, True, True, 102),
        net("ProjBi1M2mCe", [lstm(3, 1, True)], "CROSS_ENTROPY", "MANY_TO_MANY", 4, 3, 4, True, False, 103),
        net("ProjBi1M2oMse", [lstm(4, 3, True)], "MSE", "MANY_TO_ONE", 2, 2, 5, False, False, 104),
        net("ProjUni2M2mCe", [lstm(4, 2), lstm(5, 3)], "CROSS_ENTROPY", "MANY_TO_MANY", 3, 4, 6, False, True, 105),
        net("ProjBi2M2oMse", [lstm(5, 2, True), lstm(3, 2, True)], "MSE", "MANY_TO_ONE", 3, 2, 4, True, False, 106),
        net("ProjMixedM2mMse", [other("GRU", 3, True), lstm(4, 3), other("LSTM", 2)], "MSE", "MANY_TO_MANY",
            2, 3, 5, False, False, 107),
        net("ProjMixedM2oCe", [lstm(6, 4), other("SIMPLE", 3, True), lstm(3, 2, True)], "CROSS_ENTROPY",
            "MANY_TO_ONE", 5, 3, 6, True, True, 108),
    ]


SEQ2SEQ = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "processor", "src", "test", "resources",
                       "seq2seq")


def seq2seq_configurations():
    """Encoder-decoder pairs: layer k of the encoder hands its final (h, c) to layer k of the decoder."""
    return [
        {"name": "LstmGru", "source": 5, "target": 6, "layers": [("LSTM", 4), ("GRU", 3)], "dense": False,
         "source_steps": 5, "target_steps": 4, "seed": 11},
        {"name": "Tanh", "source": 3, "target": 4, "layers": [("SIMPLE", 5)], "dense": True,
         "source_steps": 6, "target_steps": 3, "seed": 12},
    ]


class Stack(torch.nn.Module):
    """One network of an encoder-decoder pair: its layers, started from given states, and its output.
    A layer is (cell, hidden), or (cell, hidden, projection) for an LSTM with proj_size."""

    def __init__(self, width, output, layers):
        super().__init__()
        self.layers = layers
        for k, (cell, hidden, *projection) in enumerate(layers):
            options = dict(num_layers=1, batch_first=True)
            if cell == "SIMPLE":
                options["nonlinearity"] = "tanh"
            if projection:
                options["proj_size"] = projection[0]
            setattr(self, "layer%d" % k, CELLS[cell](width, hidden, **options))
            width = projection[0] if projection else hidden
        self.out = torch.nn.Linear(width, output)

    def forward(self, x, states):
        finals = []
        for k in range(len(self.layers)):
            x, final = getattr(self, "layer%d" % k)(x, states[k]) if states else getattr(self, "layer%d" % k)(x)
            finals.append(final)
        return self.out(x[0]), finals


def seq2seq_fixture(cfg, dtype=torch.float64):
    torch.manual_seed(cfg["seed"])
    encoder = Stack(cfg["source"], 2, cfg["layers"]).to(dtype)   # its output layer is not used
    decoder = Stack(cfg["target"], cfg["target"], cfg["layers"]).to(dtype)
    data = {}
    if cfg["dense"]:
        source = torch.randn(cfg["source_steps"], cfg["source"], dtype=dtype)
        data["source_xs"] = source
    else:
        tokens = torch.randint(0, cfg["source"], (cfg["source_steps"],))
        source = F.one_hot(tokens, cfg["source"]).to(dtype)
        data["source_tokens"] = tokens.to(dtype)
    inputs = torch.randint(0, cfg["target"], (cfg["target_steps"],))
    labels = torch.randint(0, cfg["target"], (cfg["target_steps"],))
    _, finals = encoder(source.unsqueeze(0), None)
    logits, _ = decoder(F.one_hot(inputs, cfg["target"]).to(dtype).unsqueeze(0), finals)
    loss = F.cross_entropy(logits, labels, reduction="sum")
    loss.backward()
    data["inputs"] = inputs.to(dtype)
    data["labels"] = labels.to(dtype)
    data["outputs"] = torch.softmax(logits, dim=1).detach()
    data["loss"] = loss.detach()
    for prefix, net in (("encoder", encoder), ("decoder", decoder)):
        for name, parameter in net.named_parameters():
            grad = parameter.grad if parameter.grad is not None else torch.zeros_like(parameter)
            data["grad.%s.%s" % (prefix, name)] = grad
    weights = {prefix: {name: t.detach() for name, t in net.state_dict().items()}
               for prefix, net in (("encoder", encoder), ("decoder", decoder))}
    return weights, data


def seq2seq_declaration(cfg, role, package="seq2seq", dtype=torch.float64):
    width = cfg["source"] if role == "Encoder" else cfg["target"]
    output = 2 if role == "Encoder" else cfg["target"]
    lines = [
        "package %s;" % package,
        "",
        "import dev.unfold.*;",
        "import dev.unfold.runtime.*;",
        "",
        "/** Written by tools/pytorch-fixtures.py: the %s of %s. */" % (role.lower(), cfg["name"]),
        "@Network(input = %d, output = %d, loss = Loss.CROSS_ENTROPY%s)" % (width, output, precision(dtype)),
        "public interface %s%s extends %s {" % (cfg["name"], role, extends("CROSS_ENTROPY", role=role)),
    ]
    for k, (cell, hidden, *projection) in enumerate(cfg["layers"]):
        lines.append("    @Recurrent(hidden = %d, cell = Cell.%s%s)"
                     % (hidden, cell, ", projection = %d" % projection[0] if projection else ""))
        lines.append("    Layer layer%d();" % k)
        lines.append("")
    lines[-1] = "}"
    return "\n".join(lines) + "\n"


def projection_seq2seq_configurations():
    """An encoder-decoder pair of projecting LSTMs (written with the projection set, into seq2seq/): each
    layer hands on h of its projection's size and c of its hidden size."""
    return [
        {"name": "ProjectedLstm", "source": 4, "target": 5, "layers": [("LSTM", 5, 2), ("LSTM", 4, 3)], "dense": True,
         "source_steps": 5, "target_steps": 4, "seed": 13},
    ]


def write_seq2seq(cfg, metadata, directory=None, dtype=torch.float64):
    """Writes one encoder-decoder pair into directory (seq2seq/ by default), whose name is its package."""
    directory = directory or SEQ2SEQ
    package = os.path.basename(os.path.normpath(directory))
    weights, data = seq2seq_fixture(cfg, dtype)
    for role in ("encoder", "decoder"):
        write_safetensors(os.path.join(directory, "%s.%s.safetensors" % (cfg["name"], role)), weights[role], metadata)
        with open(os.path.join(directory, "%s%s.java" % (cfg["name"], role.capitalize())), "w") as out:
            out.write(seq2seq_declaration(cfg, role.capitalize(), package, dtype))
    write_safetensors(os.path.join(directory, cfg["name"] + ".data.safetensors"), data, metadata)


CONTEXT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "processor", "src", "test", "resources",
                       "context")


def context_configurations():
    """Networks whose first layer also reads a context vector at every step (@Network(context = C))."""
    return [
        {"name": "LstmContext", "cell": "LSTM", "bidirectional": False, "input": 5, "context": 3, "hidden": 4,
         "output": 5, "loss": "CROSS_ENTROPY", "mapping": "MANY_TO_MANY", "tokens": True, "steps": 5, "seed": 21},
        {"name": "GruBiContext", "cell": "GRU", "bidirectional": True, "input": 2, "context": 2, "hidden": 3,
         "output": 2, "loss": "MSE", "mapping": "MANY_TO_ONE", "tokens": False, "steps": 4, "seed": 22},
    ]


def context_fixture(cfg, dtype=torch.float64):
    """PyTorch reads [x_t ; x] at every step; its weight_ih splits into Unfold's W_ih and R."""
    torch.manual_seed(cfg["seed"])
    rnn = CELLS[cfg["cell"]](cfg["input"] + cfg["context"], cfg["hidden"], num_layers=1, batch_first=True,
                             bidirectional=cfg["bidirectional"]).to(dtype)
    width = cfg["hidden"] * (2 if cfg["bidirectional"] else 1)
    out = torch.nn.Linear(width, cfg["output"]).to(dtype)
    context = torch.randn(cfg["context"], dtype=dtype)
    data = {"context": context}
    if cfg["tokens"]:
        tokens = torch.randint(0, cfg["input"], (cfg["steps"],))
        x = F.one_hot(tokens, cfg["input"]).to(dtype)
        data["tokens"] = tokens.to(dtype)
    else:
        x = torch.randn(cfg["steps"], cfg["input"], dtype=dtype)
        data["xs"] = x
    both = torch.cat([x, context.expand(cfg["steps"], cfg["context"])], dim=1)
    states, _ = rnn(both.unsqueeze(0))
    states = states[0]
    if cfg["mapping"] == "MANY_TO_ONE":
        hidden = cfg["hidden"]
        summary = torch.cat([states[-1, :hidden], states[0, hidden:]]) if cfg["bidirectional"] else states[-1]
        logits = out(summary.unsqueeze(0))
    else:
        logits = out(states)
    rows = logits.shape[0]
    if cfg["loss"] == "MSE":
        targets = torch.randn(rows, cfg["output"], dtype=dtype)
        loss = ((logits - targets) ** 2).sum()
        data["outputs"] = logits.detach()
        data["targets"] = targets
    else:
        labels = torch.randint(0, cfg["output"], (rows,))
        loss = F.cross_entropy(logits, labels, reduction="sum")
        data["outputs"] = torch.softmax(logits, dim=1).detach()
        data["labels"] = labels.to(dtype)
    loss.backward()
    data["loss"] = loss.detach()
    weights = {}
    columns = cfg["input"]
    for name, parameter in rnn.named_parameters():
        key = "layer0." + name
        if name.startswith("weight_ih"):
            suffix = name[len("weight_ih"):]            # _l0 or _l0_reverse
            weights[key] = parameter.detach()[:, :columns]
            weights["layer0.weight_context" + suffix.replace("_l0", "")] = parameter.detach()[:, columns:]
            data["grad." + key] = parameter.grad[:, :columns]
            data["grad.layer0.weight_context" + suffix] = parameter.grad[:, columns:]
        else:
            weights[key] = parameter.detach()
            data["grad." + key] = parameter.grad
    for name, parameter in out.named_parameters():
        weights["out." + name] = parameter.detach()
        data["grad.out." + name] = parameter.grad
    return weights, data


def context_declaration(cfg, package="context", dtype=torch.float64):
    lines = [
        "package %s;" % package,
        "",
        "import dev.unfold.*;",
        "import dev.unfold.runtime.*;",
        "",
        "/** Written by tools/pytorch-fixtures.py: the network of " + cfg["name"] + ".weights.safetensors. */",
        "@Network(input = %d, output = %d, loss = Loss.%s, mapping = Mapping.%s, context = %d%s)"
        % (cfg["input"], cfg["output"], cfg["loss"], cfg["mapping"], cfg["context"], precision(dtype)),
        "public interface %s extends %s {"
        % (cfg["name"], extends(cfg["loss"], bidirectional=cfg["bidirectional"], context=cfg["context"])),
        "    @Recurrent(hidden = %d, cell = Cell.%s)" % (cfg["hidden"], cfg["cell"]),
    ]
    if cfg["bidirectional"]:
        lines.append("    @Bidirectional")
    lines += ["    Layer layer0();", "}"]
    return "\n".join(lines) + "\n"


FEEDBACK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "processor", "src", "test", "resources",
                        "feedback")


def feedback_configurations():
    """Networks whose first layer reads the previous output (@Recurrent(recurrence = HIDDEN_AND_OUTPUT))."""
    return [
        {"name": "LstmFedBack", "cell": "LSTM", "input": 3, "hidden": 4, "output": 2, "loss": "MSE",
         "tokens": False, "steps": 6, "seed": 31, "layers": []},
        {"name": "GruFedBackDeep", "cell": "GRU", "input": 5, "hidden": 3, "output": 4, "loss": "CROSS_ENTROPY",
         "tokens": True, "steps": 5, "seed": 32, "layers": [("SIMPLE", 4)]},
    ]


def feedback_fixture(cfg, dtype=torch.float64):
    """PyTorch's first layer reads [x_t ; y_{t−1}] (y_0 = 0), its weight_ih splitting into Unfold's W_ih and W_oh.

    Loss and gradients are teacher-forced (y_{t−1} is the target); the outputs run free, feeding
    back the prediction (MSE) or the one-hot of its most probable class (cross-entropy), step by step.
    """
    torch.manual_seed(cfg["seed"])
    first = CELLS[cfg["cell"]](cfg["input"] + cfg["output"], cfg["hidden"], batch_first=True).to(dtype)
    above = []
    width = cfg["hidden"]
    for cell, hidden in cfg["layers"]:
        above.append(CELLS[cell](width, hidden, batch_first=True).to(dtype))
        width = hidden
    out = torch.nn.Linear(width, cfg["output"]).to(dtype)
    data = {}
    if cfg["tokens"]:
        tokens = torch.randint(0, cfg["input"], (cfg["steps"],))
        x = F.one_hot(tokens, cfg["input"]).to(dtype)
        data["tokens"] = tokens.to(dtype)
    else:
        x = torch.randn(cfg["steps"], cfg["input"], dtype=dtype)
        data["xs"] = x
    if cfg["loss"] == "MSE":
        targets = torch.randn(cfg["steps"], cfg["output"], dtype=dtype)
        fed = targets
        data["targets"] = targets
    else:
        labels = torch.randint(0, cfg["output"], (cfg["steps"],))
        fed = F.one_hot(labels, cfg["output"]).to(dtype)
        data["labels"] = labels.to(dtype)
    previous = torch.cat([torch.zeros(1, cfg["output"], dtype=dtype), fed[:-1]])

    def run(sequence, states=None):
        states = states or [None] * (1 + len(above))
        h, states[0] = first(sequence.unsqueeze(0), states[0])
        for k, layer in enumerate(above):
            h, states[k + 1] = layer(h, states[k + 1])
        return out(h[0]), states

    logits, _ = run(torch.cat([x, previous], dim=1))
    if cfg["loss"] == "MSE":
        loss = ((logits - targets) ** 2).sum()
    else:
        loss = F.cross_entropy(logits, labels, reduction="sum")
    loss.backward()
    data["loss"] = loss.detach()

    with torch.no_grad():
        fed_back = torch.zeros(cfg["output"], dtype=dtype)
        states = None
        outputs = []
        for t in range(cfg["steps"]):
            step_logits, states = run(torch.cat([x[t], fed_back]).unsqueeze(0), states)
            if cfg["loss"] == "MSE":
                prediction = step_logits[0]
                fed_back = prediction
            else:
                prediction = torch.softmax(step_logits[0], dim=0)
                fed_back = F.one_hot(prediction.argmax(), cfg["output"]).to(dtype)
            outputs.append(prediction)
        data["outputs"] = torch.stack(outputs)

    weights = {}
    columns = cfg["input"]
    for name, parameter in first.named_parameters():
        key = "layer0." + name
        if name.startswith("weight_ih"):
            weights[key] = parameter.detach()[:, :columns]
            weights["layer0.weight_oh"] = parameter.detach()[:, columns:]
            data["grad." + key] = parameter.grad[:, :columns]
            data["grad.layer0.weight_oh_l0"] = parameter.grad[:, columns:]
        else:
            weights[key] = parameter.detach()
            data["grad." + key] = parameter.grad
    for k, layer in enumerate(above):
        for name, parameter in layer.named_parameters():
            weights["layer%d.%s" % (k + 1, name)] = parameter.detach()
            data["grad.layer%d.%s" % (k + 1, name)] = parameter.grad
    for name, parameter in out.named_parameters():
        weights["out." + name] = parameter.detach()
        data["grad.out." + name] = parameter.grad
    return weights, data


def feedback_declaration(cfg, package="feedback", dtype=torch.float64):
    lines = [
        "package %s;" % package,
        "",
        "import dev.unfold.*;",
        "import dev.unfold.runtime.*;",
        "",
        "/** Written by tools/pytorch-fixtures.py: the network of " + cfg["name"] + ".weights.safetensors. */",
        "@Network(input = %d, output = %d, loss = Loss.%s%s)" % (cfg["input"], cfg["output"], cfg["loss"], precision(dtype)),
        "public interface %s extends %s {" % (cfg["name"], extends(cfg["loss"], feedback=True)),
        "    @Recurrent(hidden = %d, cell = Cell.%s, recurrence = Recurrence.HIDDEN_AND_OUTPUT)"
        % (cfg["hidden"], cfg["cell"]),
        "    Layer layer0();",
    ]
    for k, (cell, hidden) in enumerate(cfg["layers"]):
        lines.append("    @Recurrent(hidden = %d%s)" % (hidden, "" if cell == "SIMPLE" else ", cell = Cell." + cell))
        lines.append("    Layer layer%d();" % (k + 1))
    lines.append("}")
    return "\n".join(lines) + "\n"


RESOURCES = os.path.join(ROOT, "processor", "src", "test", "resources")


def float32_directory(name):
    """Where the float32 twin of the set in resources/<name> goes, and its package: <name>32."""
    return os.path.join(RESOURCES, name + "32")


def context32_configurations():
    """The context set's networks, and a simple tanh cell and a bidirectional LSTM besides."""
    return context_configurations() + [
        {"name": "TanhContext", "cell": "SIMPLE", "bidirectional": False, "input": 3, "context": 2, "hidden": 3,
         "output": 2, "loss": "CROSS_ENTROPY", "mapping": "MANY_TO_ONE", "tokens": False, "steps": 5, "seed": 23},
        {"name": "LstmBiContext", "cell": "LSTM", "bidirectional": True, "input": 4, "context": 3, "hidden": 2,
         "output": 3, "loss": "MSE", "mapping": "MANY_TO_MANY", "tokens": True, "steps": 4, "seed": 24},
    ]


def feedback32_configurations():
    """The feedback set's networks, and a tanh cell and an LSTM under an LSTM besides."""
    return feedback_configurations() + [
        {"name": "TanhFedBack", "cell": "SIMPLE", "input": 4, "hidden": 3, "output": 3, "loss": "MSE",
         "tokens": True, "steps": 5, "seed": 33, "layers": []},
        {"name": "LstmFedBackDeep", "cell": "LSTM", "input": 2, "hidden": 3, "output": 3, "loss": "CROSS_ENTROPY",
         "tokens": False, "steps": 6, "seed": 34, "layers": [("LSTM", 2)]},
    ]


def seq2seq32_configurations():
    """The seq2seq set's pairs, the projecting pair, and a two-layer GRU with a dense source besides."""
    return seq2seq_configurations() + projection_seq2seq_configurations() + [
        {"name": "GruGru", "source": 3, "target": 4, "layers": [("GRU", 3), ("GRU", 2)], "dense": True,
         "source_steps": 4, "target_steps": 5, "seed": 14},
    ]


def write_set(directory, configs, compute, declare, dtype, metadata, clear=False):
    """Writes each configuration's weights, data and declaration (package: the directory's name)."""
    os.makedirs(directory, exist_ok=True)
    if clear:
        for stale in os.listdir(directory):
            os.remove(os.path.join(directory, stale))
    package = os.path.basename(os.path.normpath(directory))
    worst = dict.fromkeys(FLOAT32_TOLERANCES, 0.0)
    for cfg in configs:
        weights, data = compute(cfg, dtype)
        if dtype == torch.float32 and compute is fixture:
            # a fixture on which PyTorch's own float32 rounding spends more than a quarter of a bound
            # is ill-conditioned: a correct float32 network, rounding as much, could fail it
            for kind, error in float32_error(cfg, weights, data).items():
                worst[kind] = max(worst[kind], error)
                if error > FLOAT32_TOLERANCES[kind] / 4:
                    raise SystemExit("%s: PyTorch's float32 %s are %.2g from float64's, more than a quarter of"
                                     " the test's %g: choose another seed" % (cfg["name"], kind, error,
                                                                             FLOAT32_TOLERANCES[kind]))
        write_safetensors(os.path.join(directory, cfg["name"] + ".weights.safetensors"), weights, metadata)
        write_safetensors(os.path.join(directory, cfg["name"] + ".data.safetensors"), data, metadata)
        with open(os.path.join(directory, cfg["name"] + ".java"), "w") as out:
            out.write(declare(cfg, package, dtype))
    print("wrote %d fixtures to %s" % (len(configs), os.path.normpath(directory)))
    if dtype == torch.float32 and compute is fixture:
        print("  PyTorch float32 against float64 on the same networks, at worst: "
              + ", ".join("%s %.2g" % (kind, error) for kind, error in worst.items()))


def write_seq2seq_set(directory, configs, dtype, metadata):
    os.makedirs(directory, exist_ok=True)
    for cfg in configs:
        write_seq2seq(cfg, metadata, directory, dtype)
    print("wrote %d encoder-decoder pairs to %s" % (len(configs), os.path.normpath(directory)))


TWO_BIASES = os.path.join(RESOURCES, "twobiases")

# the torch.optim runs TwoBiasesTrainingParityTest replays: every parameter trained, every bias among them
TRAINING_OPTIMIZERS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1, foreach=False),
    "adam": lambda p: torch.optim.Adam(p, lr=0.01, foreach=False),
}
TRAINING_STEPS = 5


def two_biases_configurations():
    """A network of each cell (and a projecting LSTM) declared with PyTorch's two biases, as PyTorch keeps them."""
    def two(name, loss, mapping, layers, seed, tokens=False, labels=False):
        return {"name": name, "input": 3, "output": 3 if loss == "CROSS_ENTROPY" else 2, "loss": loss,
                "mapping": mapping, "layers": layers, "steps": 5, "tokens": tokens, "labels": labels, "seed": seed,
                "biases": "TWO"}
    return [
        two("SimpleTwoBiases", "MSE", "MANY_TO_MANY",
            [{"cell": "SIMPLE", "hidden": 3, "bidirectional": True, "activation": "tanh"},
             {"cell": "SIMPLE", "hidden": 2, "bidirectional": False, "activation": "relu"}], 41),
        two("LstmTwoBiases", "CROSS_ENTROPY", "MANY_TO_MANY",
            [{"cell": "LSTM", "hidden": 3, "bidirectional": False, "activation": "tanh"},
             {"cell": "LSTM", "hidden": 4, "bidirectional": True, "activation": "tanh", "projection": 2}], 42,
            labels=True),
        two("GruTwoBiases", "CROSS_ENTROPY", "MANY_TO_ONE",
            [{"cell": "GRU", "hidden": 3, "bidirectional": True, "activation": "tanh"},
             {"cell": "GRU", "hidden": 2, "bidirectional": False, "activation": "tanh"}], 43, tokens=True),
    ]


def training_trajectories(cfg, net, data):
    """Each optimizer's run from net's weights: the loss before each step and every weight after it."""
    initial = {name: tensor.detach().clone() for name, tensor in net.state_dict().items()}
    trajectories = {}
    for optimizer_name, make in TRAINING_OPTIMIZERS.items():
        net.load_state_dict(initial)
        optimizer = make(net.parameters())
        losses = []
        for step in range(1, TRAINING_STEPS + 1):
            optimizer.zero_grad()
            loss, _ = loss_and_outputs(cfg, net, data)
            loss.backward()
            optimizer.step()
            losses.append(loss.detach())
            for name, tensor in net.state_dict().items():
                trajectories["%s.%d.%s" % (optimizer_name, step, name)] = tensor.detach().clone()
        trajectories[optimizer_name + ".loss"] = torch.stack(losses)
    net.load_state_dict(initial)
    return initial, trajectories


def two_biases_fixture(cfg, dtype=torch.float64):
    """TRAINING_STEPS steps of SGD and of Adam on one sequence, from the same weights, in dtype."""
    torch.manual_seed(cfg["seed"])
    net = Net(cfg).to(dtype)
    data = example(cfg, dtype)
    weights, trajectories = training_trajectories(cfg, net, data)
    data.update(trajectories)
    if dtype == torch.float32:
        # PyTorch's own float32 run against float64's from the same (widened) weights and example: a
        # fixture where they part by more than a quarter of the test's bound is ill-conditioned
        exact = Net(cfg).double()
        exact.load_state_dict({name: tensor.double() for name, tensor in weights.items()})
        inputs = {k: data[k].double() for k in ("xs", "tokens", "targets", "labels") if k in data}
        _, exact_trajectories = training_trajectories(cfg, exact, inputs)
        for name, tensor in exact_trajectories.items():
            bound = TRAINING_FLOAT32_TOLERANCES["loss" if name.endswith(".loss") else "weights"]
            error = ((trajectories[name].double() - tensor).abs().max() / tensor.abs().max()).item()
            if error > bound / 4:
                raise SystemExit("%s: PyTorch's float32 %s is %.2g from float64's, more than a quarter of the"
                                 " test's %g: choose another seed" % (cfg["name"], name, error, bound))
    return weights, data


# TwoBiasesTrainingParityTest's float32 bounds: PyTorchFloat32ParityTest's for the loss and the gradients
TRAINING_FLOAT32_TOLERANCES = {"loss": 1e-5, "weights": 1e-4}

EXPORT = os.path.join(RESOURCES, "export")


def read_safetensors(path):
    """A safetensors file's tensors by name, read here independently of Unfold's writer."""
    with open(path, "rb") as f:
        length = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        layout = {"F32": "<f4", "F64": "<f8"}[entry["dtype"]]
        begin, end = entry["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(data[begin:end], dtype=layout).reshape(entry["shape"]).copy())
    return tensors


class ExportedModule(torch.nn.Module):
    """The module docs/weights-and-pytorch.md gives for a network saved with parameters().savePyTorch:
    one nn.RNN, nn.LSTM or nn.GRU per layer, named like the layer method, with num_layers=1,
    batch_first=True and bidirectional as declared (the first reading [x_t ; x] when the network has a
    context), then an nn.Linear named out; token input is read as one-hot rows."""

    def __init__(self, spec):
        super().__init__()
        self.spec = spec
        width = spec["input"] + spec["context"]
        for layer in spec["layers"]:
            options = dict(num_layers=1, batch_first=True, bidirectional=layer["bidirectional"])
            if layer["cell"] == "SIMPLE":
                options["nonlinearity"] = layer["nonlinearity"]
            if layer["projection"]:
                options["proj_size"] = layer["projection"]
            setattr(self, layer["name"], CELLS[layer["cell"]](width, layer["hidden"], **options))
            width = (layer["projection"] or layer["hidden"]) * (2 if layer["bidirectional"] else 1)
        self.out = torch.nn.Linear(width, spec["output"])

    def forward(self, x, context=None):
        """x: batch x steps x input; context: the context vector, read at every step."""
        if context is not None:
            x = torch.cat([x, context.expand(x.shape[0], x.shape[1], -1)], dim=2)
        for layer in self.spec["layers"]:
            x, _ = getattr(self, layer["name"])(x)
        if self.spec["mapping"] == "MANY_TO_ONE":
            top = self.spec["layers"][-1]
            size = top["projection"] or top["hidden"]
            x = torch.cat([x[:, -1, :size], x[:, 0, size:]], dim=1) if top["bidirectional"] else x[:, -1]
        logits = self.out(x)
        if self.spec["loss"] == "CROSS_ENTROPY":
            return torch.softmax(logits, dim=-1)
        if self.spec["loss"] == "BINARY_CROSS_ENTROPY":
            return torch.sigmoid(logits)
        return logits


def write_exports(metadata):
    """For every network PyTorchExportTest exported (<Name>.safetensors, <Name>.module.json): the module
    loads the file with strict=True, and its outputs on inputs drawn here go to <Name>.outputs.safetensors."""
    names = sorted(f[:-len(".module.json")] for f in os.listdir(EXPORT) if f.endswith(".module.json"))
    for name in names:
        with open(os.path.join(EXPORT, name + ".module.json")) as f:
            spec = json.load(f)
        dtype = torch.float32 if spec["dtype"] == "float32" else torch.float64
        module = ExportedModule(spec).to(dtype)
        tensors = read_safetensors(os.path.join(EXPORT, name + ".safetensors"))
        wrong = [tensor_name for tensor_name, tensor in tensors.items() if tensor.dtype != dtype]
        if wrong:
            raise SystemExit("%s: %s are not %s" % (name, wrong, dtype))
        module.load_state_dict(tensors, strict=True)
        generator = torch.Generator().manual_seed(sum(map(ord, name)))
        data = {}
        if spec["tokens"]:
            tokens = torch.randint(0, spec["input"], (spec["steps"],), generator=generator)
            x = F.one_hot(tokens, spec["input"]).to(dtype)
            data["tokens"] = tokens.to(dtype)
        else:
            x = torch.randn(spec["steps"], spec["input"], generator=generator, dtype=dtype)
            data["xs"] = x
        context = None
        if spec["context"]:
            context = torch.randn(spec["context"], generator=generator, dtype=dtype)
            data["context"] = context
        with torch.no_grad():
            data["outputs"] = module(x.unsqueeze(0), context)[0]
        write_safetensors(os.path.join(EXPORT, name + ".outputs.safetensors"), data, metadata)
    print("wrote the outputs of %d exported networks to %s" % (len(names), os.path.normpath(EXPORT)))


def write_two_biases_set(directory, dtype, metadata):
    """The two-bias training fixtures: <Name>.java, <Name>.weights.safetensors, <Name>.data.safetensors."""
    os.makedirs(directory, exist_ok=True)
    package = os.path.basename(os.path.normpath(directory))
    configs = two_biases_configurations()
    for cfg in configs:
        weights, data = two_biases_fixture(cfg, dtype)
        write_safetensors(os.path.join(directory, cfg["name"] + ".weights.safetensors"), weights, metadata)
        write_safetensors(os.path.join(directory, cfg["name"] + ".data.safetensors"), data, metadata)
        with open(os.path.join(directory, cfg["name"] + ".java"), "w") as out:
            out.write(declaration(cfg, package, dtype))
    print("wrote %d two-bias training fixtures to %s" % (len(configs), os.path.normpath(directory)))


def main():
    f64, f32 = torch.float64, torch.float32
    sets = {
        "context": lambda m: write_set(CONTEXT, context_configurations(), context_fixture, context_declaration, f64,
                                       m),
        "feedback": lambda m: write_set(FEEDBACK, feedback_configurations(), feedback_fixture, feedback_declaration,
                                        f64, m),
        "seq2seq": lambda m: write_seq2seq_set(SEQ2SEQ, seq2seq_configurations(), f64, m),
        "parity": lambda m: write_set(OUT, configurations(), fixture, declaration, f64, m, clear=True),
        "projection": lambda m: (write_set(PROJECTION, projection_configurations(), fixture, declaration, f64, m,
                                           clear=True),
                                 write_seq2seq_set(SEQ2SEQ, projection_seq2seq_configurations(), f64, m)),
        "runtime": lambda m: (os.makedirs(os.path.dirname(OPTIMIZERS), exist_ok=True),
                              write_safetensors(OPTIMIZERS, optimizer_trajectories(), m),
                              write_safetensors(SCHEDULES_FILE, schedule_rates(), m),
                              print("wrote %s and %s" % (os.path.normpath(OPTIMIZERS),
                                                         os.path.normpath(SCHEDULES_FILE)))),
        # the float32 twins: the same configurations, computed by PyTorch in float32
        "parity32": lambda m: write_set(float32_directory("parity"), configurations(), fixture, declaration, f32, m,
                                        clear=True),
        "context32": lambda m: write_set(float32_directory("context"), context32_configurations(), context_fixture,
                                         context_declaration, f32, m, clear=True),
        "feedback32": lambda m: write_set(float32_directory("feedback"), feedback32_configurations(),
                                          feedback_fixture, feedback_declaration, f32, m, clear=True),
        "seq2seq32": lambda m: write_seq2seq_set(float32_directory("seq2seq"), seq2seq32_configurations(), f32, m),
        "projection32": lambda m: write_set(float32_directory("projection"), projection_configurations(), fixture,
                                            declaration, f32, m, clear=True),
        # PyTorch's two biases trained by torch.optim, and the networks Unfold exported, loaded strictly
        "twobiases": lambda m: write_two_biases_set(TWO_BIASES, f64, m),
        "twobiases32": lambda m: write_two_biases_set(float32_directory("twobiases"), f32, m),
        "export": write_exports,
    }
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=tuple(sets),
                        help="write only one set: one of the processor's fixture sets (a name ending in 32 is"
                             " its float32 twin), or the runtime's optimizer and schedule fixtures")
    only = parser.parse_args().only
    torch.set_default_dtype(torch.float64)
    metadata = {"producer": "tools/pytorch-fixtures.py", "torch": torch.__version__}
    for name, write in sets.items():
        if only in (None, name):
            write(metadata)
    print("with torch %s" % torch.__version__)


if __name__ == "__main__":
    main()
