// What the range-coder methods (ac, static-ac, eqinfo-ac) produce, and the
// options they take.
#pragma once

#include <cstdint>
#include <vector>

#include "base/progress.h"
#include "coding/bit_io.h"
#include "coding/cdf.h"
#include "coding/trace.h"

namespace eqlab {

struct EncodeOptions {
    bool trace = false;  // fill CoderResult::trace (per byte, per segment)
    bool stats = true;   // compute surprisal totals and token-only decodability
    // eqinfo-ac, distinct termination, with stats: decode every window from
    // its own bits and check it gives its bytes. A caller that decodes the
    // whole result itself (a round-trip check) can skip it: it would decode twice.
    bool checkWindows = true;
    ProgressFn progress;  // (bytes done, bytes total); may be empty
    int threads = 1;      // worker threads for independent chunks, streams and windows
};

struct CoderResult {
    BitWriter bits;                   // the bitstream, chunks/windows padded to whole tokens
    std::vector<uint8_t> side;        // side information exact decoding needs (see each codec)
    double surprisalBits = 0.0;       // sum of the coded bytes' costs under the quantised CDFs
    uint64_t windows = 0;             // eqinfo-ac: number of windows
    uint64_t tokenOnlyDecodable = 0;  // eqinfo-ac: windows the tokens alone decode unambiguously
    uint64_t sideInfoWindows = 0;     // eqinfo-ac: windows whose byte count the side information gives
    Trace trace;                      // per byte and per segment; tokens are added by the caller

    // Records byte i (of this result's bytes), symbol x coded under `cdf` in
    // segment `segment`, its bits [bitBegin, bits.size()): its cost into
    // surprisalBits (stats or trace) and the trace (trace only, sized for
    // byte i). Returns the cost (0 with neither).
    double recordByte(const EncodeOptions& options, size_t i, const Cdf& cdf, int x, uint32_t segment,
                      uint64_t bitBegin) {
        if (!options.stats && !options.trace) return 0.0;
        const double cost = cdf.surprisalBits(x);
        surprisalBits += cost;
        if (options.trace) trace.recordByte(i, cost, segment, bitBegin, bits.size());
        return cost;
    }
    // Appends `part`, which coded the bytes from `byteBase` on: bits (a word
    // at a time), totals, and with `trace` its trace, shifted.
    void append(const CoderResult& part, uint64_t byteBase, bool withTrace) {
        const uint64_t bitOffset = bits.size();
        bits.append(part.bits);
        surprisalBits += part.surprisalBits;
        windows += part.windows;
        tokenOnlyDecodable += part.tokenOnlyDecodable;
        sideInfoWindows += part.sideInfoWindows;
        if (withTrace) trace.append(part.trace, byteBase, bitOffset);
    }
};

}  // namespace eqlab
