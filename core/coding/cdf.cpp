#include "coding/cdf.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace eqlab {

double Cdf::surprisalBits(int s) const {
    return double(precision) - std::log2(double(freq(s)));
}

void Cdf::validate() const {
    if (precision < kMinPrecision || precision > kMaxPrecision)
        throw std::logic_error("CDF precision out of range: " + std::to_string(precision));
    if (cum[0] != 0 || cum[kAlphabet] != total()) throw std::logic_error("CDF does not span [0, 2^P]");
    for (int s = 0; s < kAlphabet; ++s)
        if (cum[s + 1] <= cum[s]) throw std::logic_error("CDF symbol with zero frequency");
}

void quantizeProbabilities(const float* probs, int precision, Cdf& out) {
    if (precision < kMinPrecision || precision > kMaxPrecision)
        throw std::logic_error("quantizeProbabilities: precision out of range");
    out.precision = precision;
    const uint64_t total = uint64_t(1) << precision;
    const uint64_t spare = total - kAlphabet;  // slots beyond the one every symbol gets

    double weights[kAlphabet];
    double sum = 0.0;
    for (int s = 0; s < kAlphabet; ++s) {
        double w = double(probs[s]);
        weights[s] = (std::isfinite(w) && w > 0.0) ? w : 0.0;
        sum += weights[s];  // fixed order: the result is a pure function of the inputs
    }

    uint64_t freqs[kAlphabet];
    uint64_t used = 0;
    int best = 0;
    for (int s = 0; s < kAlphabet; ++s) {
        uint64_t extra = 0;
        if (sum > 0.0) {
            double x = weights[s] / sum * double(spare);
            extra = x >= double(spare) ? spare : uint64_t(x);  // floor; x >= 0
        }
        freqs[s] = 1 + extra;
        used += freqs[s];
        if (weights[s] > weights[best]) best = s;
    }
    if (sum <= 0.0) {
        out = uniformCdf(precision);
        return;
    }
    // Exact floors never over-allocate; double rounding may by a few slots,
    // which the most probable symbol (whose share is >= spare/256) gives back.
    if (used <= total)
        freqs[best] += total - used;
    else
        freqs[best] -= used - total;

    out.cum[0] = 0;
    for (int s = 0; s < kAlphabet; ++s) out.cum[s + 1] = uint32_t(out.cum[s] + freqs[s]);
}

Cdf uniformCdf(int precision) {
    Cdf c;
    c.precision = precision;
    const uint32_t step = uint32_t(1) << (precision - 8);
    for (int s = 0; s <= kAlphabet; ++s) c.cum[s] = uint32_t(s) * step;
    return c;
}

}  // namespace eqlab
