"""eqlab's decoder (core/nn/m1_module.cpp) in Python PyTorch, operation for
operation, for the benchmarks against Python (scripts/bench-m1-train.py,
scripts/bench-m2.py): byte or token embedding (vocab + 1 inputs, the last one
BOS); per block pre-LayerNorm multi-head causal attention with ALiBi biases,
then a pre-LayerNorm ReLU MLP, both residual; final LayerNorm; an untied head
to `vocab` logits. Same parameters, same shapes, same GPT-2 initialisation."""
import math
import torch
import torch.nn as nn


def alibi_slope(h, heads):
    return 2 ** (-8 * (h + 1) / heads)


def alibi_bias(slopes, T):
    """Causal ALiBi bias [H, T, T]: -slope_h * (i - j) for j <= i, -inf above the diagonal."""
    pos = torch.arange(T, dtype=torch.float)
    dist = pos.unsqueeze(1) - pos.unsqueeze(0)
    bias = -slopes.view(-1, 1, 1) * dist.unsqueeze(0)
    return bias.masked_fill(dist.lt(0).unsqueeze(0), float("-inf"))


class Block(nn.Module):
    def __init__(self, d, heads, mlp):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc1, self.fc2 = nn.Linear(d, mlp), nn.Linear(mlp, d)
        self.heads = heads

    def forward(self, x, bias):
        B, T, D = x.shape
        H = self.heads
        q, k, v = self.qkv(self.ln1(x)).view(B, T, 3, H, D // H).permute(2, 0, 3, 1, 4)
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(D // H) + bias  # [B, H, T, T]
        att = torch.matmul(torch.softmax(scores, -1), v)  # [B, H, T, Dh]
        x = x + self.proj(att.permute(0, 2, 1, 3).reshape(B, T, D))
        return x + self.fc2(torch.relu(self.fc1(self.ln2(x))))


class Decoder(nn.Module):
    def __init__(self, vocab, d, heads, layers, mlp):
        super().__init__()
        self.embed = nn.Embedding(vocab + 1, d)
        self.blocks = nn.ModuleList(Block(d, heads, mlp) for _ in range(layers))
        self.lnf, self.head = nn.LayerNorm(d), nn.Linear(d, vocab)
        self.register_buffer("slopes", torch.tensor([alibi_slope(h, heads) for h in range(heads)]))
        with torch.no_grad():  # GPT-2 style: N(0, 0.02), residual projections scaled down
            for name, p in self.named_parameters():
                if "ln" in name:
                    continue
                if "bias" in name:
                    p.zero_()
                    continue
                std = 0.02 / (math.sqrt(2 * layers) if name.endswith(("proj.weight", "fc2.weight")) else 1)
                p.normal_(0.0, std)

    def forward(self, tokens):
        bias = alibi_bias(self.slopes, tokens.shape[1])
        x = self.embed(tokens)
        for b in self.blocks:
            x = b(x, bias)
        return self.head(self.lnf(x))
