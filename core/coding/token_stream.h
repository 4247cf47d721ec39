// k-bit tokens to and from a byte stream, piece by piece: what tokensToBits
// and bitsToTokens (tokens.h) do for a payload too long to hold. The bytes
// are exactly theirs for any cut into pieces.
#pragma once

#include <cstdint>
#include <vector>

#include "base/byte_sink_fn.h"

namespace eqlab {

class TokenPacker {
public:
    explicit TokenPacker(int k) : k_(k) {}  // 1 <= k <= 32
    // Appends tokens (each < 2^k) and hands every completed byte to `sink`.
    void add(const uint32_t* tokens, size_t n, const ByteSinkFn& sink);
    void add(const std::vector<uint32_t>& tokens, const ByteSinkFn& sink) { add(tokens.data(), tokens.size(), sink); }
    // Hands on the last partial byte, zero-padded. Call once, at the end.
    void finish(const ByteSinkFn& sink);
    uint64_t tokens() const { return tokens_; }

private:
    int k_;
    uint64_t acc_ = 0;  // bits not yet handed on, in its low accBits_ bits
    int accBits_ = 0;   // < 8 between calls
    uint64_t tokens_ = 0;
    std::vector<uint8_t> buf_;
};

class TokenUnpacker {
public:
    explicit TokenUnpacker(int k) : k_(k) {}  // 1 <= k <= 32
    // Appends to `out` every token the bytes so far complete.
    void feed(const uint8_t* data, size_t size, std::vector<uint32_t>& out);

private:
    int k_;
    uint64_t acc_ = 0;
    int accBits_ = 0;  // < k between calls
};

}  // namespace eqlab
