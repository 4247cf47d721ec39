// One analysis of a text under one method, as the GUI's Explore view and
// `eqlab-cli analyze` run it: load the models, encode (with the trace),
// optionally decode and check the round trip, and time it.
#pragma once

#include <cstdint>
#include <string>

#include "base/progress.h"
#include "methods/codec.h"
#include "methods/model_cache.h"

namespace eqlab {

struct AnalyzeOptions {
    CodecParams params;
    std::string modelPath;         // the model file; "" = the bundled default for params.method
    bool trace = true;             // fill Encoded::trace (per byte, window, token)
    bool checkRoundTrip = true;    // decode the tokens and compare with the input
    int threads = 1;               // >= 1; worker threads where chunks are independent
    ProgressFn encodeProgress;     // (input bytes encoded, input bytes); false cancels
    ProgressFn decodeProgress;     // (bytes decoded, input bytes) of the round-trip check; false cancels
    ModelCache* models = nullptr;  // where the models come from when set (kept between analyses), else loaded
};

struct Analysis {
    Encoded encoded;
    ModelSet models;        // the models it was coded with (a container of it must name these)
    std::string modelName;  // the byte model's name, "sentencepiece v=N", or "none"
    std::string note;       // set when a bundled default stood in (e.g. the unigram for a missing M1)
    bool roundTripChecked = false;
    bool roundTripOk = false;  // with roundTripChecked: decode(encode(x)) == x
    double encodeSeconds = 0;  // encoding alone (eqlab-cli analyze's "seconds")
    double seconds = 0;        // everything: models loaded, encoded, decoded and compared
};

// The name an analysis reports for the models used.
std::string modelNameOf(const ModelSet& models);

// Throws InvalidArgument (parameters, a model that does not fit the method),
// FormatError or IoError (model files), Cancelled (a progress callback said stop).
Analysis analyze(const uint8_t* data, size_t size, const AnalyzeOptions& options);

}  // namespace eqlab
