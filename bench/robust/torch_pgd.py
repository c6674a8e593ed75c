"""PyTorch reference for bench/robust: PGD-40 (linf, eps 0.3, step 0.01, random start) on Wong et al.'s
MNIST network (conv 16 4x4 s2, conv 32 4x4 s2, FC 100, FC 10) in eval mode, gradients taken with
torch.autograd.grad on the input only, as torchattacks does. Prints one JSON line: the best of ROUNDS rounds.
Usage: python3 torch_pgd.py MNIST_DIR THREADS BATCH ROUNDS"""
import gzip
import json
import os
import sys
import time

# torch.set_num_threads limits PyTorch's OpenMP threads only: OpenBLAS (Debian torch's matrix products)
# starts a thread per core of its own unless told otherwise before it loads, so both are set to THREADS
# here, whatever the caller's environment says.
THREADS = int(sys.argv[2])
os.environ["OMP_NUM_THREADS"] = os.environ["OPENBLAS_NUM_THREADS"] = str(THREADS)

import numpy as np  # noqa: E402 (after the thread settings above)
import torch  # noqa: E402
from torch import nn  # noqa: E402


def wong():
    return nn.Sequential(
        nn.Conv2d(1, 16, 4, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(16, 32, 4, stride=2, padding=1), nn.ReLU(),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 100), nn.ReLU(), nn.Linear(100, 10),
    )


def pgd(model, x, y, eps=0.3, alpha=0.01, steps=40):
    delta = torch.empty_like(x).uniform_(-eps, eps)
    xa = (x + delta).clamp(0, 1)
    for _ in range(steps):
        xa.requires_grad_(True)
        loss = nn.functional.cross_entropy(model(xa), y)
        (grad,) = torch.autograd.grad(loss, [xa])
        with torch.no_grad():
            xa = torch.min(torch.max(xa + alpha * grad.sign(), x - eps), x + eps).clamp(0, 1)
    with torch.no_grad():
        model(xa).argmax(1)
    return xa


if __name__ == "__main__":
    folder, batch, rounds = sys.argv[1], *map(int, sys.argv[3:5])
    torch.set_num_threads(THREADS)
    torch.manual_seed(1)
    with gzip.open(f"{folder}/t10k-images-idx3-ubyte.gz") as f:
        x = torch.from_numpy(np.frombuffer(f.read(), np.uint8, offset=16)[: batch * 784].reshape(batch, 1, 28, 28).astype(np.float32) / 255)
    model = wong().eval()
    with torch.no_grad():
        y = model(x).argmax(1)
    pgd(model, x, y)
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        pgd(model, x, y)
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({"impl": "pytorch", "backend": f"cpu-{THREADS}threads", "batch": batch, "steps": 40, "seconds": best, "samplesPerSec": batch / best, "version": torch.__version__}))
