#include "nn/m1_module.h"

#include <cmath>

namespace eqlab::m1 {

float alibiSlope(int h, int heads) {
    return std::exp2(-8.0f * float(h + 1) / float(heads));
}

namespace {
// "blocks_2_qkv.weight" (the torch parameter name) -> "blocks.2.qkv.weight" (the file's).
std::string fileName(const std::string& torchName) {
    if (torchName.rfind("blocks_", 0) != 0) return torchName;
    const size_t end = torchName.find('_', 7);
    return "blocks." + torchName.substr(7, end - 7) + "." + torchName.substr(end + 1);
}
}  // namespace

M1Impl::M1Impl(const M1Config& c, int64_t inputVocab, int64_t outputVocab) : config_(c) {
    c.validate();
    const int64_t d = c.dModel;
    embed_ = register_module("embed", torch::nn::Embedding(inputVocab, d));
    for (int l = 0; l < c.layers; ++l) {
        const std::string p = "blocks_" + std::to_string(l) + "_";  // torch forbids dots in module names
        Block b;
        b.ln1 = register_module(p + "ln1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
        b.qkv = register_module(p + "qkv", torch::nn::Linear(d, 3 * d));
        b.proj = register_module(p + "proj", torch::nn::Linear(d, d));
        b.ln2 = register_module(p + "ln2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
        b.fc1 = register_module(p + "fc1", torch::nn::Linear(d, c.mlp));
        b.fc2 = register_module(p + "fc2", torch::nn::Linear(c.mlp, d));
        blocks_.push_back(b);
    }
    lnf_ = register_module("lnf", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
    head_ = register_module("head", torch::nn::Linear(d, outputVocab));
    std::vector<float> s(size_t(c.heads));
    for (int h = 0; h < c.heads; ++h) s[size_t(h)] = alibiSlope(h, c.heads);
    slopes_ = register_buffer("alibi_slopes", torch::tensor(s));

    // GPT-2 style initialisation: N(0, 0.02), residual projections scaled down.
    torch::NoGradGuard guard;
    for (auto& p : named_parameters()) {
        if (p.key().find("ln") != std::string::npos) continue;
        if (p.key().find("bias") != std::string::npos) {
            p.value().zero_();
            continue;
        }
        double std = 0.02;
        if (p.key().find("proj.weight") != std::string::npos || p.key().find("fc2.weight") != std::string::npos)
            std /= std::sqrt(2.0 * c.layers);
        p.value().normal_(0.0, std);
    }
}

torch::Tensor M1Impl::forward(const torch::Tensor& bytes) {
    const int64_t B = bytes.size(0), T = bytes.size(1), H = config_.heads, D = config_.dModel, Dh = D / H;
    // Causal ALiBi bias [H, T, T]: -slope_h * (i - j) for j <= i, -inf above the diagonal.
    const auto opts = torch::TensorOptions().device(bytes.device()).dtype(torch::kFloat);
    auto pos = torch::arange(T, opts);
    auto dist = pos.unsqueeze(1) - pos.unsqueeze(0);                              // [T, T] = i - j
    auto bias = -slopes_.to(bytes.device()).view({H, 1, 1}) * dist.unsqueeze(0);  // [H, T, T]
    bias = bias.masked_fill(dist.lt(0).unsqueeze(0), -std::numeric_limits<float>::infinity());

    auto x = embed_->forward(bytes);  // [B, T, D]
    for (Block& b : blocks_) {
        // Attention: [B, T, 3D] -> q, k, v [B, H, T, Dh].
        auto qkv = b.qkv->forward(b.ln1->forward(x)).view({B, T, 3, H, Dh}).permute({2, 0, 3, 1, 4});
        auto q = qkv[0], k = qkv[1], v = qkv[2];
        auto scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(double(Dh)) + bias;  // [B, H, T, T]
        auto att = torch::matmul(torch::softmax(scores, -1), v);                             // [B, H, T, Dh]
        x = x + b.proj->forward(att.permute({0, 2, 1, 3}).reshape({B, T, D}));
        // MLP.
        x = x + b.fc2->forward(torch::relu(b.fc1->forward(b.ln2->forward(x))));
    }
    return head_->forward(lnf_->forward(x));  // [B, T, outputVocab]
}

M1Weights M1Impl::toWeights(const M1Provenance& provenance) const {
    M1Weights w;
    w.config = config_;
    w.provenance = provenance;
    const auto shapes = M1Weights::expectedShapes(config_);
    for (const auto& p : named_parameters()) {
        auto t = p.value().detach().to(torch::kCPU).to(torch::kFloat).contiguous();
        Tensor out;
        out.shape = shapes.at(fileName(p.key()));
        out.data.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
        w.tensors[fileName(p.key())] = std::move(out);
    }
    return w;
}

void M1Impl::loadWeights(const M1Weights& w) {
    if (w.config.dModel != config_.dModel || w.config.heads != config_.heads || w.config.layers != config_.layers ||
        w.config.mlp != config_.mlp || w.config.context != config_.context)
        throw M1FormatError("M1 weights: config " + w.config.describe() + " does not match the model " +
                            config_.describe());
    torch::NoGradGuard guard;
    for (auto& p : named_parameters()) {
        const Tensor& t = w.at(fileName(p.key()));
        auto src = torch::from_blob(const_cast<float*>(t.data.data()), {int64_t(t.data.size())}, torch::kFloat);
        p.value().copy_(src.view(p.value().sizes()).to(p.value().device()));
    }
}

}  // namespace eqlab::m1
