// Study "window-sweep": Equal-Info Windows at every window size b and token
// size k the paper tries, on the user's text and model (the paper's table 2
// and figure 3, bytes/token against b).
#pragma once

#include <string>
#include <vector>

#include "studies/study.h"

namespace eqlab {

struct WindowSweepOptions {
    std::vector<int> windowBits = {16, 24, 32, 48, 64, 96, 128};
    std::vector<int> tokenBits = {8, 16};  // v = 256 and 65,536
    CodecParams::Termination termination = CodecParams::Termination::Distinct;
};

struct WindowSweepRow {
    int b = 0, k = 0;
    uint64_t vocab = 0;  // 2^k
    uint64_t windows = 0;
    double bytesPerToken = 0;
    double bitsPerByte = 0;  // padding included: tokens x k / bytes
    double meanWindowBytes = 0, sdWindowBytes = 0;
    uint64_t minWindowBytes = 0, maxWindowBytes = 0;
    double paddingFraction = 0;     // padding bits / all bits
    double tokenOnlyDecodable = 0;  // fraction of windows the tokens alone decode
    double paperBytesPerToken = 0;  // the paper's figure at (b, v); 0: it gives none
};

struct WindowSweep {
    StudyScope scope;
    std::string modelName;
    std::vector<WindowSweepRow> rows;  // b ascending within each k, k ascending
    // Combinations left out, each with why ("b=24, k=16: b must be a multiple of k").
    std::vector<std::string> skipped;
};

// Encodes the analysed bytes once per b that has a valid k (the windows do
// not depend on k: every k of a b counts the same bits in tokens of k), with
// progress in bytes over those encodings. Throws InvalidArgument
// (an empty text, no valid combination, a b or k out of range), model
// errors, or Cancelled.
WindowSweep runWindowSweep(const uint8_t* data, size_t size, const WindowSweepOptions& sweep,
                           const StudyOptions& options);

}  // namespace eqlab
