// gzip: the zlib format (2-byte header, DEFLATE blocks, Adler-32 footer), as
// zlib's compress2 writes it. Its bitstream is cut into k-bit tokens like the
// range coder's. Token byte spans are exact only to DEFLATE block boundaries,
// the finest unit zlib's inflate exposes (Z_BLOCK); the trace says so
// (Alignment::DeflateBlock): every byte of a block maps to the block's bits.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "base/byte_sink_fn.h"
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

// gzipEncode's stream (no trace) made piece by piece: the same bytes for any
// cut of the input into pieces (one zlib stream, fed with Z_NO_FLUSH).
class GzipDeflater {
public:
    // level: 0..9, or -1. Throws InvalidArgument for another level.
    explicit GzipDeflater(int level);
    ~GzipDeflater();
    GzipDeflater(const GzipDeflater&) = delete;
    GzipDeflater& operator=(const GzipDeflater&) = delete;
    // Compresses the next piece of input; `last` ends the stream.
    void feed(const uint8_t* data, size_t size, bool last, const ByteSinkFn& sink);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Inflates a zlib stream piece by piece, output growing as it is produced:
// what gzipDecode does without the whole stream or output in memory.
class GzipInflater {
public:
    // Refuses (FormatError) a stream that inflates to more than maxBytes.
    explicit GzipInflater(uint64_t maxBytes);
    ~GzipInflater();
    GzipInflater(const GzipInflater&) = delete;
    GzipInflater& operator=(const GzipInflater&) = delete;
    // Inflates the next piece of the stream; input after its end is ignored.
    // Throws FormatError when the stream is damaged.
    void feed(const uint8_t* data, size_t size, const ByteSinkFn& sink);
    // Whether the stream has ended, and the bytes it inflated to so far.
    bool finished() const;
    uint64_t produced() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Small helpers for eqlab's own side information: zlib compress / inflate
// (inflate throws FormatError on damage or when the result exceeds maxBytes).
std::vector<uint8_t> deflateBytes(const std::vector<uint8_t>& data);
std::vector<uint8_t> inflateBytes(const std::vector<uint8_t>& data, uint64_t maxBytes);

}  // namespace eqlab
