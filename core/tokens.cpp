#include "tokens.h"

#include <cstddef>

#include "bit_io.h"

namespace eqlab {

std::vector<uint32_t> bitsToTokens(const std::vector<uint8_t>& packed, uint64_t nbits, int k) {
    std::vector<uint32_t> tokens;
    tokens.reserve(size_t((nbits + uint64_t(k) - 1) / uint64_t(k)));
    for (uint64_t pos = 0; pos < nbits; pos += uint64_t(k)) {
        uint32_t v = 0;
        for (int j = 0; j < k; ++j) {
            uint64_t i = pos + uint64_t(j);
            v = (v << 1) | (i < nbits ? bitAt(packed, i) : 0u);
        }
        tokens.push_back(v);
    }
    return tokens;
}

std::vector<uint8_t> tokensToBits(const std::vector<uint32_t>& tokens, int k) {
    BitWriter w;
    for (uint32_t t : tokens) w.putBits(t, k);
    return w.takeBytes();
}

int bitsForVocab(uint64_t vocab) {
    int bits = 1;
    while (bits < 63 && (uint64_t(1) << bits) < vocab) ++bits;
    return bits;
}

}  // namespace eqlab
