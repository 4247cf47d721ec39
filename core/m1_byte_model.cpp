#include "m1_byte_model.h"

#include <cstdio>

#include "errors.h"
#include "file_io.h"

namespace eqlab {

namespace {
std::string hashOf(const m1::M1Weights& w) {
    std::vector<uint8_t> bytes = w.tensorBytes();
    const std::string tag = "eqlab-m1-numerics-" + std::to_string(m1::kNumericsVersion);
    bytes.insert(bytes.end(), tag.begin(), tag.end());
    return sha256Hex(bytes.data(), bytes.size());
}
}  // namespace

std::unique_ptr<M1Model> M1Model::load(const std::string& path) {
    const std::vector<uint8_t> bytes = readFile(path, uint64_t(1) << 31);
    try {
        return std::make_unique<M1Model>(std::make_shared<const m1::M1Weights>(m1::M1Weights::deserialize(bytes.data(), bytes.size())));
    } catch (const m1::M1FormatError& e) {
        throw FormatError(path + ": " + e.what());
    }
}

M1Model::M1Model(std::shared_ptr<const m1::M1Weights> weights)
    : M1Model(weights, std::make_shared<const m1::M1Runtime>(*weights), hashOf(*weights)) {}

M1Model::M1Model(std::shared_ptr<const m1::M1Weights> w, std::shared_ptr<const m1::M1Runtime> rt, std::string hash)
    : weights_(std::move(w)), runtime_(std::move(rt)), hash_(std::move(hash)), stream_(runtime_->newStream()) {
    reset();
}

std::unique_ptr<M1Model> M1Model::clone() const {
    return std::unique_ptr<M1Model>(new M1Model(weights_, runtime_, hash_));
}

std::string M1Model::name() const {
    char buf[160];
    const auto& p = weights_->provenance;
    std::snprintf(buf, sizeof buf, "M1 %s, %.2fM params, valid %.3f bits/byte", weights_->config.describe().c_str(),
                  double(weights_->config.nonEmbeddingParams()) / 1e6, p.validBitsPerByte);
    return buf;
}

void M1Model::feed(int token) {
    m1::M1Stream* s = &stream_;
    runtime_->step(&s, &token, 1, probs_);
    cachedPrecision_ = 0;
}

void M1Model::reset() {
    stream_.length = 0;  // cached keys/values of earlier windows are never read again
    feed(m1::kBos);
}

const Cdf& M1Model::cdf(int precision) {
    if (precision != cachedPrecision_) {
        quantizeProbabilities(probs_, precision, cache_);
        cachedPrecision_ = precision;
    }
    return cache_;
}

void M1Model::advance(uint8_t byte) { feed(byte); }

}  // namespace eqlab
