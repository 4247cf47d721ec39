// M1 as a libtorch module, for training and as the reference the
// deterministic runtime (m1_runtime.h) is checked against. Includes
// torch/torch.h: include this header only where libtorch is needed.
//
// Decoder-only transformer over bytes: byte embedding; per block pre-LayerNorm
// multi-head causal attention with ALiBi position biases (no position
// embeddings, so windows that reset and chunks that slide need no position
// tricks), then a pre-LayerNorm ReLU MLP, both residual; final LayerNorm; an
// untied output head to 256 logits.
#pragma once

#include <torch/torch.h>

#include "m1/m1_format.h"

namespace eqlab::m1 {

// ALiBi slope of head h (0-based) out of H: 2^(-8 (h + 1) / H).
float alibiSlope(int h, int heads);

class M1Impl : public torch::nn::Module {
public:
    explicit M1Impl(const M1Config& config) : M1Impl(config, kInputVocab, kVocab) {}
    // The same decoder over any vocabulary: M2 reads tokens 0..v-1 plus a BOS
    // (inputVocab = v + 1) and predicts v logits. Weight files are M1's only.
    M1Impl(const M1Config& config, int64_t inputVocab, int64_t outputVocab);

    // tokens: [B, T] int64 with T <= context, values 0..255 or kBos (the
    // first position of a window). Returns logits [B, T, 256]: position t
    // predicts the byte after token t. (M2: values < inputVocab, logits [B, T, outputVocab].)
    torch::Tensor forward(const torch::Tensor& bytes);

    const M1Config& config() const { return config_; }
    // Copies the parameters to/from eqlab's weight file representation.
    M1Weights toWeights(const M1Provenance& provenance) const;
    void loadWeights(const M1Weights& w);

private:
    struct Block {
        torch::nn::LayerNorm ln1{nullptr}, ln2{nullptr};
        torch::nn::Linear qkv{nullptr}, proj{nullptr}, fc1{nullptr}, fc2{nullptr};
    };
    M1Config config_;
    torch::nn::Embedding embed_{nullptr};
    std::vector<Block> blocks_;
    torch::nn::LayerNorm lnf_{nullptr};
    torch::nn::Linear head_{nullptr};
    torch::Tensor slopes_;  // [H] buffer
};
TORCH_MODULE(M1);

}  // namespace eqlab::m1
