"""The reference rows of bench/robust: Wong et al.'s released MNIST models (github.com/locuslab/fast_adversarial,
MNIST/models/fgsm.pth and pgd_madry.pth; not shipped with Hone, the user passes their folder).
  python3 reference.py convert MODEL.pth WEIGHTS.bin   their state dict as Hone's weights.bin (TF.js layout)
  python3 reference.py score MODEL.pth MNIST_DIR N      one JSON line: clean accuracy on x and on 1 - x, and
      PyTorch PGD-50 x 10 (step 0.01, as their evaluate_mnist.py) on the first N test images, on the input
      the model classifies (see `inverted`)"""
import gzip
import json
import sys

import numpy as np
import torch
from torch import nn

from torch_pgd import wong


def load(path):
    state = torch.load(path, map_location="cpu")
    model = wong()
    # Their Sequential numbers its layers as ours does (0, 2: convolutions; 5, 7: linear layers).
    model.load_state_dict(dict(zip(model.state_dict().keys(), state.values())))
    return model.eval(), state


def convert(path, out):
    _, s = load(path)
    conv = lambda w: w.permute(2, 3, 1, 0).numpy()  # [out, in, h, w] -> [h, w, in, out]
    # PyTorch flattens [32, 7, 7] channel-first, TF.js [7, 7, 32] channel-last.
    fc1 = s["5.weight"].numpy().reshape(100, 32, 7, 7).transpose(2, 3, 1, 0).reshape(1568, 100)
    parts = [conv(s["0.weight"]), s["0.bias"], conv(s["2.weight"]), s["2.bias"], fc1, s["5.bias"], s["7.weight"].numpy().T, s["7.bias"]]
    with open(out, "wb") as f:
        for p in parts:
            f.write(np.ascontiguousarray(np.asarray(p), dtype="<f4").tobytes())


def pgd_robust(model, x, y, eps=0.3, alpha=0.01, steps=50, restarts=10):
    robust = model(x).argmax(1) == y
    for _ in range(restarts):
        d = torch.max(torch.min(torch.empty_like(x).uniform_(-eps, eps), 1 - x), -x)
        for _ in range(steps):
            d.requires_grad_(True)
            out = model(x + d)
            still = out.argmax(1) == y
            if not still.any():
                break
            (g,) = torch.autograd.grad(nn.functional.cross_entropy(out, y), [d])
            step = torch.max(torch.min((d + alpha * g.sign()).clamp(-eps, eps), 1 - x), -x)
            d = torch.where(still[:, None, None, None], step, d).detach()
        with torch.no_grad():
            robust &= model(x + d).argmax(1) == y
    return robust.float().mean().item()


def score(path, folder, n):
    torch.manual_seed(0)
    model, _ = load(path)
    with gzip.open(f"{folder}/t10k-images-idx3-ubyte.gz") as f:
        x = torch.from_numpy(np.frombuffer(f.read(), np.uint8, offset=16)[: n * 784].reshape(n, 1, 28, 28).astype(np.float32) / 255)
    with gzip.open(f"{folder}/t10k-labels-idx1-ubyte.gz") as f:
        y = torch.from_numpy(np.frombuffer(f.read(), np.uint8, offset=8)[:n].astype(np.int64))
    with torch.no_grad():
        clean, clean_inv = [(model(v).argmax(1) == y).float().mean().item() for v in (x, 1 - x)]
    inverted = clean_inv > clean
    print(json.dumps({"clean": clean, "cleanInverted": clean_inv, "inverted": bool(inverted), "pgd50x10": pgd_robust(model, 1 - x if inverted else x, y), "torch": torch.__version__}))


if __name__ == "__main__":
    if sys.argv[1] == "convert":
        convert(sys.argv[2], sys.argv[3])
    else:
        score(sys.argv[2], sys.argv[3], int(sys.argv[4]))
