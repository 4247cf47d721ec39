#include "m1_runtime.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace eqlab::m1 {

namespace {

constexpr float kLayerNormEps = 1e-5f;  // torch.nn.LayerNorm's default
constexpr int kOutputTile = 64;         // outputs accumulated together in a matrix product
constexpr int kMaxRows = 256;           // rows per internal batch

// [out][in] (torch) -> [in][out], so a product walks the weights row by row.
std::vector<float> transposed(const Tensor& t) {
    const int out = t.shape[0], in = t.shape[1];
    std::vector<float> r(t.data.size());
    for (int o = 0; o < out; ++o)
        for (int i = 0; i < in; ++i) r[size_t(i) * size_t(out) + size_t(o)] = t.data[size_t(o) * size_t(in) + size_t(i)];
    return r;
}

// y[r][o] = b[o] + sum_i x[r][i] * wT[i][o], the sum taken over i = 0, 1, ...
// in order for every (r, o): vectorising across o and blocking rows changes
// no element's arithmetic, and rows never mix. For each tile of outputs and
// block of rows, one row of weights is read once per input and applied to
// every row of the block, whose accumulators stay in registers.
template <int R>
inline void linearBlock(const float* __restrict x, int in, const float* __restrict wT, int out, int o0,
                        float* __restrict acc) {
    float a[R][kOutputTile];
    for (int r = 0; r < R; ++r)
        for (int j = 0; j < kOutputTile; ++j) a[r][j] = 0.0f;
    for (int i = 0; i < in; ++i) {
        const float* __restrict w = wT + size_t(i) * size_t(out) + size_t(o0);
        for (int r = 0; r < R; ++r) {
            const float xi = x[size_t(r) * size_t(in) + size_t(i)];
            for (int j = 0; j < kOutputTile; ++j) a[r][j] = a[r][j] + xi * w[j];
        }
    }
    for (int r = 0; r < R; ++r)
        for (int j = 0; j < kOutputTile; ++j) acc[r * kOutputTile + j] = a[r][j];
}

__attribute__((target_clones("avx512f", "avx2", "default")))
void linear(const float* x, int rows, int in, const float* wT, const float* b, int out, float* y) {
    float acc[4 * kOutputTile];
    for (int o0 = 0; o0 < out; o0 += kOutputTile) {
        const int n = std::min(kOutputTile, out - o0);
        if (n < kOutputTile) {  // a partial tile (no config here has one): the plain loop, same order
            for (int r = 0; r < rows; ++r)
                for (int j = 0; j < n; ++j) {
                    float sum = 0.0f;
                    for (int i = 0; i < in; ++i) sum = sum + x[size_t(r) * size_t(in) + size_t(i)] * wT[size_t(i) * size_t(out) + size_t(o0 + j)];
                    y[size_t(r) * size_t(out) + size_t(o0 + j)] = sum + b[o0 + j];
                }
            continue;
        }
        for (int r0 = 0; r0 < rows; r0 += 4) {
            const int block = std::min(4, rows - r0);
            const float* xb = x + size_t(r0) * size_t(in);
            switch (block) {
                case 4: linearBlock<4>(xb, in, wT, out, o0, acc); break;
                case 3: linearBlock<3>(xb, in, wT, out, o0, acc); break;
                case 2: linearBlock<2>(xb, in, wT, out, o0, acc); break;
                default: linearBlock<1>(xb, in, wT, out, o0, acc); break;
            }
            for (int r = 0; r < block; ++r) {
                float* yr = y + size_t(r0 + r) * size_t(out) + size_t(o0);
                for (int j = 0; j < kOutputTile; ++j) yr[j] = acc[r * kOutputTile + j] + b[o0 + j];
            }
        }
    }
}

void layerNorm(const float* x, int d, const float* w, const float* b, float* y) {
    float mean = 0.0f;
    for (int i = 0; i < d; ++i) mean = mean + x[i];
    mean = mean / float(d);
    float var = 0.0f;
    for (int i = 0; i < d; ++i) {
        const float c = x[i] - mean;
        var = var + c * c;
    }
    var = var / float(d);
    const float inv = 1.0f / std::sqrt(var + kLayerNormEps);
    for (int i = 0; i < d; ++i) y[i] = (x[i] - mean) * inv * w[i] + b[i];
}

// In place: p[i] = exp(p[i] - max) / sum.
void softmax(float* p, int n) {
    float m = p[0];
    for (int i = 1; i < n; ++i) m = p[i] > m ? p[i] : m;
    float sum = 0.0f;
    for (int i = 0; i < n; ++i) {
        p[i] = deterministicExp(p[i] - m);
        sum = sum + p[i];
    }
    const float inv = 1.0f / sum;
    for (int i = 0; i < n; ++i) p[i] = p[i] * inv;
}

}  // namespace

float deterministicExp(float x) {
    if (x < -87.0f) return 0.0f;
    if (x > 88.0f) x = 88.0f;
    // x = k ln2 + r, |r| <= ln2 / 2, with ln2 split in two for an exact k*ln2.
    const float k = std::nearbyint(x * 1.44269504088896341f);
    const float r = (x - k * 0.693145751953125f) - k * 1.42860682030941723212e-6f;
    // exp(r) by its Taylor polynomial to degree 7 (Horner, fixed order).
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    // Scale by 2^k through the exponent bits (k in [-126, 127] here).
    int32_t bits = (int32_t(k) + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, 4);
    return p * scale;
}

M1Runtime::M1Runtime(const M1Weights& w) : config_(w.config) {
    config_.validate();
    embed_ = w.at("embed.weight").data;
    for (int l = 0; l < config_.layers; ++l) {
        const std::string p = "blocks." + std::to_string(l) + ".";
        Layer L;
        L.ln1w = w.at(p + "ln1.weight").data;
        L.ln1b = w.at(p + "ln1.bias").data;
        L.qkvT = transposed(w.at(p + "qkv.weight"));
        L.qkvB = w.at(p + "qkv.bias").data;
        L.projT = transposed(w.at(p + "proj.weight"));
        L.projB = w.at(p + "proj.bias").data;
        L.ln2w = w.at(p + "ln2.weight").data;
        L.ln2b = w.at(p + "ln2.bias").data;
        L.fc1T = transposed(w.at(p + "fc1.weight"));
        L.fc1B = w.at(p + "fc1.bias").data;
        L.fc2T = transposed(w.at(p + "fc2.weight"));
        L.fc2B = w.at(p + "fc2.bias").data;
        layers_.push_back(std::move(L));
    }
    lnfw_ = w.at("lnf.weight").data;
    lnfb_ = w.at("lnf.bias").data;
    headT_ = transposed(w.at("head.weight"));
    headB_ = w.at("head.bias").data;
    for (int h = 0; h < config_.heads; ++h) slopes_.push_back(std::exp2(-8.0f * float(h + 1) / float(config_.heads)));
}

M1Stream M1Runtime::newStream(int capacity) const {
    M1Stream s;
    s.capacity = capacity <= 0 || capacity > config_.context ? config_.context : capacity;
    const size_t n = size_t(config_.layers) * size_t(s.capacity) * size_t(config_.dModel);
    s.keys.assign(n, 0.0f);
    s.values.assign(n, 0.0f);
    return s;
}

namespace {
// Re-lays a stream's cache at a larger capacity. Only called before the
// stream wraps (length <= capacity < context), so position p sits in slot p.
void grow(M1Stream& s, int layers, int d, int newCapacity) {
    const int old = s.capacity;
    std::vector<float> keys(size_t(layers) * size_t(newCapacity) * size_t(d), 0.0f);
    std::vector<float> values(keys.size(), 0.0f);
    for (int l = 0; l < layers; ++l) {
        for (int i = 0; i < d; ++i)
            std::memcpy(&keys[(size_t(l) * size_t(d) + size_t(i)) * size_t(newCapacity)],
                        &s.keys[(size_t(l) * size_t(d) + size_t(i)) * size_t(old)], sizeof(float) * size_t(old));
        std::memcpy(&values[size_t(l) * size_t(newCapacity) * size_t(d)], &s.values[size_t(l) * size_t(old) * size_t(d)],
                    sizeof(float) * size_t(old) * size_t(d));
    }
    s.keys = std::move(keys);
    s.values = std::move(values);
    s.capacity = newCapacity;
}
}  // namespace

void M1Runtime::step(M1Stream* const* streams, const int* tokens, int rows, float* probs) const {
    const int d = config_.dModel, H = config_.heads, dh = config_.headDim(), C = config_.context, m = config_.mlp;
    const float scale = 1.0f / std::sqrt(float(dh));
    for (int r0 = 0; r0 < rows; r0 += kMaxRows) {
        const int B = std::min(kMaxRows, rows - r0);
        // Activations for this batch of rows: x [B][d], h [B][d], big [B][max(3d, m, 256)].
        std::vector<float> x(size_t(B) * size_t(d)), h(size_t(B) * size_t(d)), att(size_t(B) * size_t(d));
        std::vector<float> big(size_t(B) * size_t(std::max({3 * d, m, kVocab})));
        std::vector<float> scores(static_cast<size_t>(C));
        // Each row's position: its stream's length plus the rows of the same stream before it.
        std::vector<int64_t> positions(static_cast<size_t>(B));
        for (int r = 0; r < B; ++r) {
            int64_t earlier = 0;
            for (int q = 0; q < r; ++q) earlier += streams[r0 + q] == streams[r0 + r];
            positions[size_t(r)] = streams[r0 + r]->length + earlier;
        }
        // 1. Embedding.
        for (int r = 0; r < B; ++r)
            std::memcpy(&x[size_t(r) * size_t(d)], &embed_[size_t(tokens[r0 + r]) * size_t(d)], sizeof(float) * size_t(d));
        for (int l = 0; l < config_.layers; ++l) {
            const Layer& L = layers_[size_t(l)];
            // 2. Attention: qkv = LN1(x) W_qkv, cache k and v, attend with ALiBi.
            for (int r = 0; r < B; ++r) layerNorm(&x[size_t(r) * size_t(d)], d, L.ln1w.data(), L.ln1b.data(), &h[size_t(r) * size_t(d)]);
            linear(h.data(), B, d, L.qkvT.data(), L.qkvB.data(), 3 * d, big.data());
            for (int r = 0; r < B; ++r) {
                M1Stream& s = *streams[r0 + r];
                const float* qkv = &big[size_t(r) * size_t(3 * d)];
                const int64_t pos = positions[size_t(r)];
                while (s.capacity < C && pos >= s.capacity) grow(s, config_.layers, d, std::min(C, 2 * s.capacity));
                const int cap = s.capacity;
                const size_t layerBase = size_t(l) * size_t(cap) * size_t(d);
                const size_t slot = size_t(pos % cap);
                for (int i = 0; i < d; ++i) s.keys[layerBase + size_t(i) * size_t(cap) + slot] = qkv[d + i];
                std::memcpy(&s.values[layerBase + slot * size_t(d)], qkv + 2 * d, sizeof(float) * size_t(d));
                const int64_t first = std::max<int64_t>(0, pos - C + 1);  // oldest cached position
                const int n = int(pos - first + 1);
                // Chronological index j lives in slot (first + j) % C: at most two contiguous runs.
                const int firstSlot = int(first % cap);
                const int run1 = std::min(n, cap - firstSlot);
                for (int hd = 0; hd < H; ++hd) {
                    const float* q = qkv + hd * dh;
                    // dot[j] = sum_i q[i] k_j[i], summed over i in order for every j.
                    for (int j = 0; j < n; ++j) scores[size_t(j)] = 0.0f;
                    for (int i = 0; i < dh; ++i) {
                        const float qi = q[i];
                        const float* krow = &s.keys[layerBase + size_t(hd * dh + i) * size_t(cap)];
                        float* sc = scores.data();
                        const float* k1 = krow + firstSlot;
                        for (int j = 0; j < run1; ++j) sc[j] = sc[j] + qi * k1[j];
                        for (int j = run1; j < n; ++j) sc[j] = sc[j] + qi * krow[j - run1];
                    }
                    for (int j = 0; j < n; ++j)
                        scores[size_t(j)] = scores[size_t(j)] * scale - slopes_[size_t(hd)] * float(n - 1 - j);
                    softmax(scores.data(), n);
                    float* out = &att[size_t(r) * size_t(d) + size_t(hd * dh)];
                    for (int i = 0; i < dh; ++i) out[i] = 0.0f;
                    for (int j = 0; j < n; ++j) {
                        const int64_t p = first + j;
                        const float* v = &s.values[layerBase + size_t(p % cap) * size_t(d) + size_t(hd * dh)];
                        const float pj = scores[size_t(j)];
                        for (int i = 0; i < dh; ++i) out[i] = out[i] + pj * v[i];
                    }
                }
            }
            linear(att.data(), B, d, L.projT.data(), L.projB.data(), d, h.data());
            for (size_t i = 0; i < x.size(); ++i) x[i] = x[i] + h[i];
            // 3. MLP: x += relu(LN2(x) W1) W2.
            for (int r = 0; r < B; ++r) layerNorm(&x[size_t(r) * size_t(d)], d, L.ln2w.data(), L.ln2b.data(), &h[size_t(r) * size_t(d)]);
            linear(h.data(), B, d, L.fc1T.data(), L.fc1B.data(), m, big.data());
            for (size_t i = 0; i < size_t(B) * size_t(m); ++i) big[i] = big[i] > 0.0f ? big[i] : 0.0f;
            linear(big.data(), B, m, L.fc2T.data(), L.fc2B.data(), d, h.data());
            for (size_t i = 0; i < x.size(); ++i) x[i] = x[i] + h[i];
        }
        // 4. Final LayerNorm, head, softmax.
        for (int r = 0; r < B; ++r) layerNorm(&x[size_t(r) * size_t(d)], d, lnfw_.data(), lnfb_.data(), &h[size_t(r) * size_t(d)]);
        linear(h.data(), B, d, headT_.data(), headB_.data(), kVocab, probs + size_t(r0) * kVocab);
        for (int r = 0; r < B; ++r) softmax(probs + size_t(r0 + r) * kVocab, kVocab);
        for (int r = 0; r < B; ++r) ++streams[r0 + r]->length;
    }
}

}  // namespace eqlab::m1
