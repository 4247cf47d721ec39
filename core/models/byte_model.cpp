#include "models/byte_model.h"

namespace eqlab {

void ByteModel::probabilities(float* out) {
    const Cdf& c = cdf(kMaxPrecision);
    // Frequencies below 2^24 and a power-of-two total: each ratio is exact in a float.
    const double total = double(c.total());
    for (int s = 0; s < kAlphabet; ++s) out[s] = float(double(c.freq(s)) / total);
}

}  // namespace eqlab
