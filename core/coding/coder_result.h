// What the range-coder methods (ac, static-ac, eqinfo-ac) produce.
#pragma once

#include <cstdint>
#include <vector>

#include "coding/bit_io.h"
#include "base/progress.h"
#include "coding/trace.h"

namespace eqlab {

struct EncodeOptions {
    bool trace = false;   // fill CoderResult::trace (per byte, per segment)
    bool stats = true;    // compute surprisal totals and token-only decodability
    ProgressFn progress;  // (bytes done, bytes total); may be empty
    int threads = 1;      // worker threads where chunks are independent (ac under M1)
};

struct CoderResult {
    BitWriter bits;                    // the bitstream, chunks/windows padded to whole tokens
    std::vector<uint8_t> side;         // side information exact decoding needs (see each codec)
    double surprisalBits = 0.0;        // sum of the coded bytes' costs under the quantised CDFs
    uint64_t windows = 0;              // eqinfo-ac: number of windows
    uint64_t tokenOnlyDecodable = 0;   // eqinfo-ac: windows the tokens alone decode unambiguously
    uint64_t sideInfoWindows = 0;      // eqinfo-ac: windows whose byte count the side information gives
    Trace trace;                       // per byte and per segment; tokens are added by the caller
};

}  // namespace eqlab
