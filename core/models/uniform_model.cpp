#include "models/uniform_model.h"

#include "base/hashes.h"

namespace eqlab {

std::string UniformModel::hash() const {
    static const char kId[] = "eqlab uniform byte model";
    return sha256Hex(reinterpret_cast<const uint8_t*>(kId), sizeof kId - 1);
}

const Cdf& UniformModel::cdf(int precision) {
    if (precision != cachedPrecision_) {
        cache_ = uniformCdf(precision);
        cachedPrecision_ = precision;
    }
    return cache_;
}

void UniformModel::probabilities(float* out) {
    for (int s = 0; s < kAlphabet; ++s) out[s] = 1.0f / float(kAlphabet);
}

}  // namespace eqlab
