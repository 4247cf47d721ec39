#include "analysis/analyze.h"

#include <algorithm>
#include <chrono>

#include "methods/default_models.h"

namespace eqlab {

namespace {
double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

std::string modelNameOf(const ModelSet& models) {
    if (models.byteModel) return models.byteModel->name();
    if (models.sentencePiece) return "sentencepiece v=" + std::to_string(models.sentencePiece->vocabSize());
    return "none";
}

Analysis analyze(const uint8_t* data, size_t size, const AnalyzeOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    Analysis a;
    a.models = options.models ? options.models->load(options.params.method, options.modelPath, &a.note)
                              : loadModelsFor(options.params.method, options.modelPath, &a.note);
    const ModelSet& models = a.models;
    a.modelName = modelNameOf(models);
    EncodeOptions eo;
    eo.trace = options.trace;
    eo.threads = std::max(1, options.threads);
    eo.progress = options.encodeProgress;
    eo.checkWindows = !options.checkRoundTrip;  // the round trip below decodes every window anyway
    const auto encodeStart = std::chrono::steady_clock::now();
    a.encoded = encode(data, size, options.params, models, eo);
    a.encodeSeconds = secondsSince(encodeStart);
    if (options.checkRoundTrip) {
        const std::vector<uint8_t> back = decode(a.encoded, models, options.decodeProgress, eo.threads);
        a.roundTripChecked = true;
        a.roundTripOk = back.size() == size && std::equal(back.begin(), back.end(), data);
    }
    a.seconds = secondsSince(start);
    return a;
}

}  // namespace eqlab
