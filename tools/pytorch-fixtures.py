#!/usr/bin/python3
"""Writes the PyTorch parity fixtures that ParityTest checks Unfold's generated code against.

For every configuration in CONFIGURATIONS this builds the network as PyTorch modules (an nn.RNN,
nn.LSTM or nn.GRU per layer, named like the layer methods, with num_layers=1 and batch_first=True,
then an nn.Linear named "out"), runs one sequence forward and backward in float64, and writes to
processor/src/test/resources/parity/:

  <Name>.java                 the @Network interface declaring the same network
  <Name>.weights.safetensors  the module's state_dict, under PyTorch's own names
  <Name>.data.safetensors     the input (xs or tokens), the targets (targets or labels), the
                              predictions, the summed loss, and every gradient ("grad.<name>")

It also writes runtime/src/test/resources/optimizers.safetensors: torch.optim.SGD and Adam
trajectories over given gradients, which OptimizerParityTest replays.

Run it with Debian's PyTorch (apt install python3-torch): /usr/bin/python3 tools/pytorch-fixtures.py
The output is deterministic; CI only reads the committed files and needs no Python.
"""
import json
import os
import random
import struct

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "processor", "src", "test", "resources", "parity")
OPTIMIZERS = os.path.join(ROOT, "runtime", "src", "test", "resources", "optimizers.safetensors")
CELLS = {"SIMPLE": torch.nn.RNN, "LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}
LOSSES = {"MSE": "Mse", "CROSS_ENTROPY": "Ce", "BINARY_CROSS_ENTROPY": "Bce"}
MAPPINGS = {"MANY_TO_MANY": "M2m", "MANY_TO_ONE": "M2o"}


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


class Net(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        width = cfg["input"]
        for k, spec in enumerate(cfg["layers"]):
            options = dict(num_layers=1, batch_first=True, bidirectional=spec["bidirectional"])
            if spec["cell"] == "SIMPLE":
                options["nonlinearity"] = spec["activation"]
            setattr(self, "layer%d" % k, CELLS[spec["cell"]](width, spec["hidden"], **options))
            width = spec["hidden"] * (2 if spec["bidirectional"] else 1)
        self.out = torch.nn.Linear(width, cfg["output"])

    def forward(self, x):
        for k, spec in enumerate(self.cfg["layers"]):
            x, _ = getattr(self, "layer%d" % k)(x)
        x = x[0]  # T x width
        if self.cfg["mapping"] == "MANY_TO_ONE":
            top = self.cfg["layers"][-1]
            hidden = top["hidden"]
            # the forward direction's last state h_T, the reverse direction's last state g_1
            x = torch.cat([x[-1, :hidden], x[0, hidden:]]) if top["bidirectional"] else x[-1]
            x = x.unsqueeze(0)
        return self.out(x)


def fixture(cfg):
    torch.manual_seed(cfg["seed"])
    net = Net(cfg).double()
    steps = cfg["steps"]
    rows = steps if cfg["mapping"] == "MANY_TO_MANY" else 1
    data = {}
    if cfg["tokens"]:
        tokens = torch.randint(0, cfg["input"], (steps,))
        x = F.one_hot(tokens, cfg["input"]).double()
        data["tokens"] = tokens.double()
    else:
        x = torch.randn(steps, cfg["input"], dtype=torch.float64)
        data["xs"] = x
    logits = net(x.unsqueeze(0))
    if cfg["loss"] == "MSE":
        targets = torch.randn(rows, cfg["output"], dtype=torch.float64)
        loss = ((logits - targets) ** 2).sum()
        outputs = logits
        data["targets"] = targets
    elif cfg["loss"] == "BINARY_CROSS_ENTROPY":
        targets = torch.rand(rows, cfg["output"], dtype=torch.float64)
        loss = F.binary_cross_entropy_with_logits(logits, targets, reduction="sum")
        outputs = torch.sigmoid(logits)
        data["targets"] = targets
    elif cfg["labels"]:
        labels = torch.randint(0, cfg["output"], (rows,))
        loss = F.cross_entropy(logits, labels, reduction="sum")
        outputs = torch.softmax(logits, dim=1)
        data["labels"] = labels.double()
    else:
        targets = torch.softmax(torch.randn(rows, cfg["output"], dtype=torch.float64), dim=1)
        loss = F.cross_entropy(logits, targets, reduction="sum")
        outputs = torch.softmax(logits, dim=1)
        data["targets"] = targets
    loss.backward()
    data["outputs"] = outputs.detach()
    data["loss"] = loss.detach()
    for name, parameter in net.named_parameters():
        data["grad." + name] = parameter.grad
    weights = {name: tensor.detach() for name, tensor in net.state_dict().items()}
    return weights, data


def write_safetensors(path, tensors, metadata):
    """The safetensors layout, written here independently of Unfold's reader."""
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name].detach().numpy(), dtype="<f8")
        blob = array.tobytes()
        header[name] = {"dtype": "F64", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":"), sort_keys=True).encode()
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for blob in blobs:
            out.write(blob)


def declaration(cfg):
    lines = [
        "package parity;",
        "",
        "import dev.unfold.*;",
        "import dev.unfold.runtime.*;",
        "",
        "/** Written by tools/pytorch-fixtures.py: the network of " + cfg["name"] + ".weights.safetensors. */",
        "@Network(input = %d, output = %d, loss = Loss.%s, mapping = Mapping.%s)"
        % (cfg["input"], cfg["output"], cfg["loss"], cfg["mapping"]),
        "public interface %s extends SequenceModel {" % cfg["name"],
    ]
    for k, spec in enumerate(cfg["layers"]):
        activation = ", activation = Activation.RELU" if spec["activation"] == "relu" else ""
        lines.append("    @Recurrent(hidden = %d, cell = Cell.%s%s)" % (spec["hidden"], spec["cell"], activation))
        if spec["bidirectional"]:
            lines.append("    @Bidirectional")
        lines.append("    Layer layer%d();" % k)
        lines.append("")
    lines[-1] = "}"
    return "\n".join(lines) + "\n"


def optimizer_trajectories():
    """Parameters after each of five steps of SGD and Adam, given the same gradients."""
    torch.manual_seed(7)
    initial = torch.randn(7, dtype=torch.float64)
    gradients = torch.randn(5, 7, dtype=torch.float64) * torch.tensor([1, 10, 0.1, 1, 3, 1e-3, 1], dtype=torch.float64)
    runs = {"sgd": lambda p: torch.optim.SGD([p], lr=0.1),
            "adam": lambda p: torch.optim.Adam([p], lr=0.01),
            "adam_custom": lambda p: torch.optim.Adam([p], lr=0.05, betas=(0.8, 0.99), eps=1e-6)}
    tensors = {"initial": initial, "gradients": gradients}
    for name, make in runs.items():
        parameter = torch.nn.Parameter(initial.clone())
        optimizer = make(parameter)
        trajectory = []
        for gradient in gradients:
            parameter.grad = gradient.clone()
            optimizer.step()
            trajectory.append(parameter.detach().clone())
        tensors[name] = torch.stack(trajectory)
    return tensors


def main():
    torch.set_default_dtype(torch.float64)
    os.makedirs(OUT, exist_ok=True)
    for stale in os.listdir(OUT):
        os.remove(os.path.join(OUT, stale))
    metadata = {"producer": "tools/pytorch-fixtures.py", "torch": torch.__version__}
    configs = configurations()
    for cfg in configs:
        weights, data = fixture(cfg)
        write_safetensors(os.path.join(OUT, cfg["name"] + ".weights.safetensors"), weights, metadata)
        write_safetensors(os.path.join(OUT, cfg["name"] + ".data.safetensors"), data, metadata)
        with open(os.path.join(OUT, cfg["name"] + ".java"), "w") as out:
            out.write(declaration(cfg))
    os.makedirs(os.path.dirname(OPTIMIZERS), exist_ok=True)
    write_safetensors(OPTIMIZERS, optimizer_trajectories(), metadata)
    print("wrote %d fixtures to %s, and %s, with torch %s"
          % (len(configs), os.path.normpath(OUT), os.path.normpath(OPTIMIZERS), torch.__version__))


if __name__ == "__main__":
    main()
