#!/usr/bin/env python3
"""The reference side of scripts/bench-m1-train.sh: eqlab's M1 trainer
(core/nn/m1_trainer.cpp) in Python PyTorch (Debian's python3-torch, the
libtorch eqlab links). The same model (scripts/eqlab_torch_model.py: the
decoder of core/nn/m1_module.cpp over bytes, the paper's size by default),
the same batches (random offsets in the corpus; BOS then seq - 1 bytes in,
seq bytes as targets), the same loss, optimiser (AdamW 0.9/0.95, weight decay
0.01), learning-rate schedule and gradient clipping at 1, and the same clock:
every step from the first, as the trainer's bytes/s counts them. Prints one
JSON object."""
import argparse, json, math, os, random, sys, time
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eqlab_torch_model import Decoder  # noqa: E402

BOS = 256  # core/m1/m1_format.h kBos
AUGMENT_SLACK = 16  # the trainer's kAugmentSlack: raw bytes read beyond the sequence


def learning_rate(lr, progress, warmup=0.02, min_fraction=0.1):  # m1_trainer.cpp learningRate
    if progress < warmup:
        return lr * max(progress / warmup, 1e-3)
    t = (progress - warmup) / max(1e-9, 1 - warmup)
    return lr * (min_fraction + (1 - min_fraction) * 0.5 * (1 + math.cos(math.pi * t)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--corpus", required=True)
    for name, default in [("seq", 256), ("batch", 16), ("d_model", 256), ("heads", 4), ("layers", 3), ("mlp", 1024),
                          ("threads", 1), ("steps", 10), ("seed", 1)]:
        p.add_argument("--" + name.replace("_", "-"), type=int, default=default)
    p.add_argument("--lr", type=float, default=1e-3)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    with open(a.corpus, "rb") as f:
        text = f.read()
    model = Decoder(256, a.d_model, a.heads, a.layers, a.mlp)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.95), weight_decay=0.01)
    rng = random.Random(a.seed)
    model.train()
    t0 = time.perf_counter()
    for step in range(a.steps):
        for g in opt.param_groups:
            g["lr"] = learning_rate(a.lr, step / a.steps)
        raw = bytearray()
        for _ in range(a.batch):
            o = rng.randint(0, len(text) - a.seq)
            raw += text[o:o + a.seq + AUGMENT_SLACK][:a.seq].ljust(a.seq, b"\0")
        tg = torch.frombuffer(raw, dtype=torch.uint8).view(a.batch, a.seq).long()
        inp = torch.cat([torch.full((a.batch, 1), BOS, dtype=torch.long), tg[:, :-1]], 1)
        loss = F.cross_entropy(model(inp).reshape(-1, 256), tg.reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        loss.item()
    seconds = time.perf_counter() - t0
    print(json.dumps({"bytes_per_s": a.steps * a.batch * a.seq / seconds, "seconds": seconds,
                      "parameters": sum(p.numel() for p in model.parameters()), "torch": torch.__version__,
                      "threads": a.threads}))


if __name__ == "__main__":
    main()
