"""PyTorch CPU reference for bench/engine: the same two workloads as workloads.ts (MLP 784-512-512-10 at
batch 256, LeNet-5 at batch 64), Adam at lr 1e-3, on the first MNIST training images scaled to [0, 1].
Prints one JSON line per workload, like measure.ts, with the best of ROUNDS rounds (a fresh model each).
Usage: python3 torch_bench.py MNIST_DIR THREADS STEPS_MLP STEPS_LENET ROUNDS [OPENBLAS_THREADS]
OPENBLAS_THREADS (default THREADS) is how many threads OpenBLAS, which does Debian torch's matrix products, may use."""
import gzip
import json
import os
import sys
import time

# torch.set_num_threads limits PyTorch's OpenMP threads only: OpenBLAS starts a thread per core of its own
# unless told otherwise before it loads (with numpy or torch), so both are set here, whatever the caller's
# environment says, and the row's thread count is the one that ran.
THREADS = int(sys.argv[2])
OPENBLAS_THREADS = int(sys.argv[6]) if len(sys.argv) > 6 else THREADS
os.environ["OMP_NUM_THREADS"] = str(THREADS)
os.environ["OPENBLAS_NUM_THREADS"] = str(OPENBLAS_THREADS)

import numpy as np  # noqa: E402 (after the thread settings above)
import torch  # noqa: E402
from torch import nn  # noqa: E402


def mnist(folder, n):
    with gzip.open(f"{folder}/train-images-idx3-ubyte.gz") as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16)[: n * 784].reshape(n, 1, 28, 28)
    with gzip.open(f"{folder}/train-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)[:n]
    return torch.from_numpy(x.astype(np.float32) / 255), torch.from_numpy(y.astype(np.int64))


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(784, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def once(make, x, y, batch, steps, warmup):
    torch.manual_seed(1)
    model = make()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(len(x))
    stamps = []
    for i in range(steps + warmup):
        idx = order[i * batch : (i + 1) * batch]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        loss.item()  # Hone and model.fit also read the loss back every epoch; this keeps the step honest
        stamps.append(time.perf_counter())
    return stamps[-1] - stamps[warmup - 1]


def backend():
    """`cpu-2threads`, with `, OpenBLAS 1 thread` when OpenBLAS was held below PyTorch's thread count."""
    blas = "" if OPENBLAS_THREADS == THREADS else f", OpenBLAS {OPENBLAS_THREADS} thread{'s' if OPENBLAS_THREADS > 1 else ''}"
    return f"cpu-{torch.get_num_threads()}threads{blas}"


def measure(name, make, batch, steps, folder, rounds, warmup=2):
    x, y = mnist(folder, batch * (steps + warmup))
    seconds = min(once(make, x, y, batch, steps, warmup) for _ in range(rounds))
    return {"impl": "pytorch", "workload": name, "backend": backend(), "batch": batch, "steps": steps, "rounds": rounds,
            "seconds": seconds, "samplesPerSec": batch * steps / seconds, "msPerStep": 1000 * seconds / steps, "version": torch.__version__}


if __name__ == "__main__":
    folder, steps_mlp, steps_lenet, rounds = sys.argv[1], *map(int, sys.argv[3:6])
    torch.set_num_threads(THREADS)
    print(json.dumps(measure("mlp", mlp, 256, steps_mlp, folder, rounds)), flush=True)
    print(json.dumps(measure("lenet", lenet, 64, steps_lenet, folder, rounds)), flush=True)
