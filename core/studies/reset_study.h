// Study "reset": Equal-Info Windows where M1's context resets every window
// (the default), every 2nd, every 4th window, or never inside a stream; the
// coder resets every window either way (the paper's section 5.1: only
// resetting every window is learnable).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "studies/study.h"

namespace eqlab {

struct ResetStudyOptions {
    int windowBits = 16;
    int tokenBits = 8;
    std::vector<uint32_t> every = {1, 2, 4, 0};  // CodecParams::m1Reset values; 0 = never
    bool checkRoundTrip = true;                  // decode each and compare
};

struct ResetRow {
    uint32_t every = 1;  // 0 = never
    std::string label;   // the method label (eqinfo-ac[b=16,v=256,reset=2])
    uint64_t windows = 0;
    double bytesPerToken = 0;
    double bitsPerByte = 0;
    double meanWindowBytes = 0;
    double paperBytesPerToken = 0;       // 0: the paper gives none (it measured b = 16, v = 256)
    std::optional<bool> paperLearnable;  // whether M2 learned this variant in the paper; none: not trained there
    bool roundTripChecked = false, roundTripOk = false;
};

struct ResetStudy {
    StudyScope scope;
    std::string modelName;
    std::vector<ResetRow> rows;
};

// Encodes the analysed bytes once per period (and decodes them back with
// checkRoundTrip). Throws InvalidArgument (an empty text or period list, a
// b, k or period out of range), model errors, or Cancelled.
ResetStudy runResetStudy(const uint8_t* data, size_t size, const ResetStudyOptions& reset, const StudyOptions& options);

}  // namespace eqlab
