// One analysis of a text under one method, as the GUI's Explore view and
// `eqlab-cli analyze` run it: load the models, encode (with the trace),
// optionally decode and check the round trip, and time it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "base/phased_progress.h"
#include "base/progress.h"
#include "methods/codec.h"
#include "methods/model_cache.h"

namespace eqlab {

struct Analysis;

struct AnalyzeOptions {
    CodecParams params;
    std::string modelPath;       // the model file; "" = the bundled default for params.method
    bool trace = true;           // fill Encoded::trace (per byte, window, token)
    bool checkRoundTrip = true;  // decode the tokens and compare with the input
    int threads = 1;             // >= 1; worker threads where chunks are independent
    ProgressFn encodeProgress;   // (units encoded, passes x input bytes: codec.h encodePasses); false cancels
    ProgressFn decodeProgress;   // (bytes decoded, input bytes) of the round-trip check; false cancels
    // The whole analysis as one fraction that moves with the time spent
    // (each phase weighted by its measured cost, methods/work_costs.h), with
    // the phase under way: "loading M1" (or "loading the model"), the encode's
    // passes ("coding", "checking windows decode", ...), "checking the round
    // trip", "done". May be empty; false cancels.
    StatusFn progress;
    // Called once the text is coded, before the round-trip check: a result
    // to show while the check runs (roundTripChecked still false, seconds so far).
    std::function<void(const Analysis&)> coded;
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
