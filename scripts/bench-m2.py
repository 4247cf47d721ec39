#!/usr/bin/env python3
"""The reference side of scripts/bench-m2.sh: the same M2 as eqlab's
(core/nn/m1_module.cpp: pre-LayerNorm blocks, ALiBi causal attention, ReLU
MLP, untied head), the same batch and optimiser (AdamW 0.9/0.95, weight decay
0.1, clipping at 1), timed the same way, in Python PyTorch (Debian's
python3-torch, the libtorch eqlab links). Prints one JSON object."""
import argparse, json, math, time
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, heads, mlp):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.fc1, self.fc2 = nn.Linear(d, mlp), nn.Linear(mlp, d)
        self.heads = heads

    def forward(self, x, bias):
        B, T, D = x.shape
        H = self.heads
        q, k, v = self.qkv(self.ln1(x)).view(B, T, 3, H, D // H).permute(2, 0, 3, 1, 4)
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(D // H) + bias
        att = torch.matmul(torch.softmax(scores, -1), v)
        x = x + self.proj(att.permute(0, 2, 1, 3).reshape(B, T, D))
        return x + self.fc2(torch.relu(self.fc1(self.ln2(x))))


class M2(nn.Module):
    def __init__(self, vocab, d, heads, layers, mlp):
        super().__init__()
        self.embed = nn.Embedding(vocab + 1, d)
        self.blocks = nn.ModuleList(Block(d, heads, mlp) for _ in range(layers))
        self.lnf, self.head = nn.LayerNorm(d), nn.Linear(d, vocab)
        self.register_buffer("slopes", torch.tensor([2 ** (-8 * (h + 1) / heads) for h in range(heads)]))

    def forward(self, tokens):
        T = tokens.shape[1]
        pos = torch.arange(T, dtype=torch.float)
        dist = pos.unsqueeze(1) - pos.unsqueeze(0)
        bias = -self.slopes.view(-1, 1, 1) * dist.unsqueeze(0)
        bias = bias.masked_fill(dist.lt(0).unsqueeze(0), float("-inf"))
        x = self.embed(tokens)
        for b in self.blocks:
            x = b(x, bias)
        return self.head(self.lnf(x))


def main():
    p = argparse.ArgumentParser()
    for name, default in [("vocab", 256), ("seq", 128), ("batch", 16), ("d_model", 128), ("heads", 4), ("layers", 2),
                          ("mlp", 512), ("threads", 1), ("warmup", 3), ("steps", 30)]:
        p.add_argument("--" + name.replace("_", "-"), type=int, default=default)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = M2(a.vocab, a.d_model, a.heads, a.layers, a.mlp)
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
