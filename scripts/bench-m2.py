#!/usr/bin/env python3
"""The reference side of scripts/bench-m2.sh: the same M2 as eqlab's
(scripts/eqlab_torch_model.py: core/nn/m1_module.cpp's decoder), the same
batch and optimiser (AdamW 0.9/0.95, weight decay 0.1, clipping at 1), timed
the same way, in Python PyTorch (Debian's python3-torch, the libtorch eqlab
links). Prints one JSON object."""
import argparse, json, os, sys, time
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eqlab_torch_model import Decoder  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    for name, default in [("vocab", 256), ("seq", 128), ("batch", 16), ("d_model", 128), ("heads", 4), ("layers", 2),
                          ("mlp", 512), ("threads", 1), ("warmup", 3), ("steps", 30)]:
        p.add_argument("--" + name.replace("_", "-"), type=int, default=default)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Decoder(a.vocab, a.d_model, a.heads, a.layers, a.mlp)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), weight_decay=0.1)
    x = torch.randint(a.vocab, (a.batch, a.seq))
    y = torch.randint(a.vocab, (a.batch, a.seq))
    seconds = 0.0
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        loss = F.cross_entropy(model(x).reshape(-1, a.vocab), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if i >= a.warmup:
            seconds += time.perf_counter() - t0
    print(json.dumps({"tokens_per_s": a.steps * a.batch * a.seq / seconds, "torch": torch.__version__, "threads": a.threads}))


if __name__ == "__main__":
    main()
