// What each phase of coding costs, in seconds, so that progress moves at the
// pace of time (base/phased_progress.h) rather than of the steps counted: a
// bar that reports bytes coded sits still while M1 loads, and a decode
// check given a tenth of the bar while it takes half the time reads as a
// hang at 90%. The figures are measured by `eqlab-cli bench-phases` (it
// times every phase of a real analysis and prints these constants; see the
// README); only their ratios shape a bar, the time left is read from the
// pace of the run itself.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "coding/coder_result.h"
#include "methods/method.h"

namespace eqlab {

// Seconds to load a model file of `fileBytes` (M1: read, unpack its
// weights into the runtime's layout and hash them; a unigram or a
// SentencePiece model: well under a second).
double modelLoadSeconds(uint64_t fileBytes);

// Seconds per input byte of each phase of coding with `params`.
struct CodingCost {
    std::vector<double> passes;  // encodePasses(params, options), in order
    double decode = 0;           // decode(): the round-trip check, a container opened
};

// The cost of coding under an M1 (m1 true) or a cheap byte model (a
// unigram; methods without one ignore it) on `threads` worker threads.
CodingCost codingCost(const CodecParams& params, const EncodeOptions& options, bool m1, int threads);

// The name of the load phase for `method`: "loading M1", "loading the
// model", or "" when the method needs none.
std::string loadPhaseName(Method method, bool m1);

}  // namespace eqlab
