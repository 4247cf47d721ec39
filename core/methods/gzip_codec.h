// gzip: the zlib format (2-byte header, DEFLATE blocks, Adler-32 footer), as
// zlib's compress2 writes it. Its bitstream is cut into k-bit tokens like the
// range coder's. Token byte spans are exact only to DEFLATE block boundaries,
// the finest unit zlib's inflate exposes (Z_BLOCK); the trace says so
// (Alignment::DeflateBlock): every byte of a block maps to the block's bits.
#pragma once

#include <cstdint>
#include <vector>

#include "coding/trace.h"

namespace eqlab {

struct GzipResult {
    std::vector<uint8_t> stream;  // the zlib stream
    Trace trace;                  // per byte and per block (filled when asked)
};

// level: 0..9, or -1 for zlib's default (6).
GzipResult gzipEncode(const uint8_t* data, size_t size, int level, bool wantTrace);

// Inflates a zlib stream (trailing zero padding after it is ignored) and checks
// that it yields exactly outputBytes bytes. Throws FormatError otherwise.
std::vector<uint8_t> gzipDecode(const std::vector<uint8_t>& stream, uint64_t outputBytes);

// Small helpers for eqlab's own side information: zlib compress / inflate
// (inflate throws FormatError on damage or when the result exceeds maxBytes).
std::vector<uint8_t> deflateBytes(const std::vector<uint8_t>& data);
std::vector<uint8_t> inflateBytes(const std::vector<uint8_t>& data, uint64_t maxBytes);

}  // namespace eqlab
