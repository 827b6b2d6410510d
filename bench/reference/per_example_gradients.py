"""PyTorch reference for bench/per_example_gradients_compare.ts.

Times per-example gradients (functorch vmap over grad, the PyTorch 1.13 way;
torch.func in later versions) and plain minibatch gradients of the same two
networks as lib/models/ -- the MLP 784-128-10, the ResNet 8-16-32 x1 and the
ResNet-18 layout 64-128-256-512 x2 (no normalisation, flatten head) -- on the
same inputs, and prints one JSON object.

Run by the compare script, or by hand:
  /usr/bin/python3 bench/reference/per_example_gradients.py --x X.f32 --y Y.i32 [--quick]
where X.f32 holds B x 784 float32 pixels in [0, 1] and Y.i32 B int32 labels.
"""

import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

try:  # PyTorch >= 2.0
    from torch.func import functional_call, grad, vmap

    def functionalize(model):
        names = [n for n, _ in model.named_parameters()]
        params = tuple(p.detach() for p in model.parameters())

        def fmodel(ps, x):
            return functional_call(model, dict(zip(names, ps)), (x,))

        return fmodel, params

    VMAP = "torch.func"
except ImportError:  # PyTorch 1.13: functorch
    from functorch import grad, make_functional, vmap

    def functionalize(model):
        return make_functional(model)

    VMAP = "functorch"


class Mlp(nn.Module):
    def __init__(self, sizes=(784, 128, 10)):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i + 1 < len(self.layers):
                x = F.relu(x)
        return x


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1)
        self.sc = nn.Conv2d(cin, cout, 1, stride, 0) if stride != 1 or cin != cout else None

    def forward(self, a):
        h = self.c2(F.relu(self.c1(a)))
        return F.relu(h + (self.sc(a) if self.sc is not None else a))


class ResNet(nn.Module):
    """lib/models/resnet.ts without normalisation and with a flatten head:
    widths per stage (default 8-16-32), `blocks` residual blocks per stage
    (the first of each later stage with stride 2), input standardised by
    MNIST's mean and sd. ResNet(widths=(64, 128, 256, 512), blocks=2) is
    ResNet-18's layout on 28x28 digits with a 3x3 stem (11,244,810
    parameters, as createResNet({ widths: [64, 128, 256, 512],
    blocksPerStage: 2 })). Note: PyTorch's padding 1 with stride 2 pads both
    sides, TensorFlow's 'same' pads (0, 1) on even inputs; the work is the
    same."""

    def __init__(self, widths=(8, 16, 32), blocks=1, side=28, classes=10):
        super().__init__()
        self.stem = nn.Conv2d(1, widths[0], 3, 1, 1)
        layers, cin, cur = [], widths[0], side
        for k, w in enumerate(widths):
            for b in range(blocks):
                stride = 2 if k > 0 and b == 0 else 1
                layers.append(Block(cin, w, stride))
                cin, cur = w, (cur + stride - 1) // stride
        self.blocks = nn.Sequential(*layers)
        self.head = nn.Linear(cin * cur * cur, classes)

    def forward(self, x):
        x = (x.view(-1, 1, 28, 28) - 0.1307) / 0.3081
        a = self.blocks(F.relu(self.stem(x)))
        return self.head(a.flatten(1))


MODELS = {
    "mlp": Mlp,
    "resnet": ResNet,
    "resnet18": lambda: ResNet(widths=(64, 128, 256, 512), blocks=2),
}


def throughput(fn, batch, min_seconds, min_reps=3):
    for _ in range(2):  # warm-up
        fn()
    reps, start = 0, time.perf_counter()
    while reps < min_reps or time.perf_counter() - start < min_seconds:
        fn()
        reps += 1
    return batch * reps / (time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--x", required=True)
    ap.add_argument("--y", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--plan", help='JSON list of {"model", "task", "batch"} (default: mlp and '
                    "resnet, both tasks, the whole batch)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    y = torch.from_numpy(np.fromfile(args.y, dtype=np.int32).astype(np.int64))
    x = torch.from_numpy(np.fromfile(args.x, dtype=np.float32).reshape(len(y), 784))
    batch = len(y)
    min_seconds = 0.5 if args.quick else 3.0
    # what to time: [{"model", "task", "batch"}], the first `batch` examples each
    plan = json.loads(args.plan) if args.plan else [
        {"model": m, "task": t, "batch": batch}
        for m in ("mlp", "resnet")
        for t in ("per_example", "batch_gradient")
    ]
    results, built = [], {}
    for entry in plan:
        name, task, b = entry["model"], entry["task"], min(entry["batch"], batch)
        if name not in built:
            built[name] = MODELS[name]()
        model = built[name]
        fmodel, params = functionalize(model)
        xb, yb = x[:b], y[:b]

        def loss1(ps, xi, yi):
            return F.cross_entropy(fmodel(ps, xi.unsqueeze(0)), yi.unsqueeze(0))

        per_example = vmap(grad(loss1), in_dims=(None, 0, 0))

        def run_per_example():
            grads = per_example(params, xb, yb)
            assert grads[0].shape[0] == b

        def run_batch():
            model.zero_grad(set_to_none=True)
            F.cross_entropy(model(xb), yb).backward()

        fn = {"per_example": run_per_example, "batch_gradient": run_batch}[task]
        results.append(
            {
                "model": name,
                "parameters": sum(p.numel() for p in model.parameters()),
                "task": task,
                "batch": b,
                "examples_per_s": throughput(fn, b, min_seconds),
            }
        )
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "vmap": VMAP,
                "threads": torch.get_num_threads(),
                "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
                "ld_preload": os.environ.get("LD_PRELOAD"),
                "batch": batch,
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
