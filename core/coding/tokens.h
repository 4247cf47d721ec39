// Cutting a bitstream into k-bit tokens and back.
#pragma once

#include <cstdint>
#include <vector>

namespace eqlab {

// Cuts bits [0, nbits) of a packed MSB-first buffer into k-bit tokens, most
// significant bit first; a final partial token is zero-padded. 1 <= k <= 32.
std::vector<uint32_t> bitsToTokens(const std::vector<uint8_t>& packed, uint64_t nbits, int k);

// The inverse: packs tokens of k bits each (MSB first) into bytes; the result
// holds tokens.size() * k bits, zero-padded to a whole byte.
std::vector<uint8_t> tokensToBits(const std::vector<uint32_t>& tokens, int k);

// Bits needed to store a token of a vocabulary of v symbols: ceil(log2 v), at least 1.
int bitsForVocab(uint64_t vocab);

}  // namespace eqlab
