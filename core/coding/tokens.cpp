#include "coding/tokens.h"

#include <cstddef>

namespace eqlab {

std::vector<uint32_t> bitsToTokens(const std::vector<uint8_t>& packed, uint64_t nbits, int k) {
    const uint64_t count = (nbits + uint64_t(k) - 1) / uint64_t(k);
    std::vector<uint32_t> tokens(static_cast<size_t>(count));
    if (k == 8) {  // byte-aligned: tokens are the bytes
        for (uint64_t i = 0; i < count; ++i) tokens[i] = packed[i];
    } else {
        // Read k <= 32 bits at bit position pos from a 64-bit big-endian window.
        const uint64_t bytes = packed.size();
        for (uint64_t i = 0, pos = 0; i < count; ++i, pos += uint64_t(k)) {
            uint64_t window = 0;
            const uint64_t first = pos >> 3;
            for (uint64_t j = 0; j < 8; ++j) window = (window << 8) | (first + j < bytes ? packed[first + j] : 0u);
            tokens[i] = uint32_t((window << (pos & 7)) >> (64 - k));
        }
    }
    // The last token's bits beyond nbits must read as zero padding.
    if (count && nbits % uint64_t(k)) {
        const int pad = int(uint64_t(k) - nbits % uint64_t(k));
        tokens.back() &= ~((1u << pad) - 1u);
    }
    return tokens;
}

std::vector<uint8_t> tokensToBits(const std::vector<uint32_t>& tokens, int k) {
    std::vector<uint8_t> out((tokens.size() * uint64_t(k) + 7) / 8, 0);
    if (k == 8) {
        for (size_t i = 0; i < tokens.size(); ++i) out[i] = uint8_t(tokens[i]);
        return out;
    }
    uint64_t pos = 0;
    for (uint32_t t : tokens) {
        for (int j = k - 1; j >= 0; --j, ++pos)
            if ((t >> j) & 1u) out[pos >> 3] |= uint8_t(0x80u >> (pos & 7));
    }
    return out;
}

int bitsForVocab(uint64_t vocab) {
    int bits = 1;
    while (bits < 63 && (uint64_t(1) << bits) < vocab) ++bits;
    return bits;
}

}  // namespace eqlab
