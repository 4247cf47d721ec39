#include "analysis/analyze.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "methods/default_models.h"
#include "methods/work_costs.h"

namespace eqlab {

namespace {
double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

uint64_t fileBytes(const std::string& path) {
    std::error_code ec;
    const uintmax_t n = path.empty() ? 0 : std::filesystem::file_size(path, ec);
    return ec ? 0 : uint64_t(n);
}

bool isM1(const ModelSet& models) {
    return models.byteModel && models.byteModel->kind() == ModelKind::M1;
}
}  // namespace

std::string modelNameOf(const ModelSet& models) {
    if (models.byteModel) return models.byteModel->name();
    if (models.sentencePiece) return "sentencepiece v=" + std::to_string(models.sentencePiece->vocabSize());
    return "none";
}

Analysis analyze(const uint8_t* data, size_t size, const AnalyzeOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    const Method method = options.params.method;
    Analysis a;
    EncodeOptions eo;
    eo.trace = options.trace;
    eo.threads = std::max(1, options.threads);
    eo.checkWindows = !options.checkRoundTrip;  // the round trip below decodes every window anyway

    // The plan: load the model, the encode's passes, the round-trip check,
    // each weighted by its cost. Before loading, ac and eqinfo-ac expect M1
    // unless the unigram stands in for it; the loaded model corrects that.
    bool fallback = false;
    const std::string modelFile = modelFileFor(method, options.modelPath, &fallback);
    const bool expectM1 = (method == Method::Ac || method == Method::EqualInfoAc) && !fallback;
    const std::vector<std::string> passes = encodePasses(options.params, eo);
    auto codingPhases = [&](bool m1) {
        const CodingCost c = codingCost(options.params, eo, m1, eo.threads);
        std::vector<double> costs;
        for (double perByte : c.passes) costs.push_back(perByte * double(size));
        if (options.checkRoundTrip) costs.push_back(c.decode * double(size));
        return costs;
    };
    std::vector<ProgressPhase> phases;
    // Models the cache holds take no time to load: no phase for them.
    const bool loaded = options.models && options.models->holds(method, options.modelPath);
    const std::string loadName = loaded ? std::string() : loadPhaseName(method, expectM1);
    if (!loadName.empty()) phases.push_back({loadName, modelLoadSeconds(fileBytes(modelFile))});
    const size_t firstPass = phases.size();
    const std::vector<double> costs = codingPhases(expectM1);
    for (size_t k = 0; k < passes.size(); ++k) phases.push_back({passes[k], costs[k]});
    if (options.checkRoundTrip) phases.push_back({"checking the round trip", costs.back()});
    PhasedProgress plan(std::move(phases), options.progress);

    if (!loadName.empty()) plan.begin(0);
    a.models = options.models ? options.models->load(method, options.modelPath, &a.note)
                              : loadModelsFor(method, options.modelPath, &a.note);
    const ModelSet& models = a.models;
    a.modelName = modelNameOf(models);
    if (isM1(models) != expectM1) plan.setCosts(firstPass, codingPhases(isM1(models)));

    eo.progress = progressToBoth(plan.ofPasses(firstPass, passes.size(), size), options.encodeProgress);
    plan.begin(firstPass);
    const auto encodeStart = std::chrono::steady_clock::now();
    a.encoded = encode(data, size, options.params, models, eo);
    a.encodeSeconds = secondsSince(encodeStart);
    if (options.coded) {
        a.seconds = secondsSince(start);
        options.coded(a);
    }
    if (options.checkRoundTrip) {
        const size_t check = firstPass + passes.size();
        plan.begin(check);
        const std::vector<uint8_t> back =
            decode(a.encoded, models, progressToBoth(plan.of(check), options.decodeProgress), eo.threads);
        a.roundTripChecked = true;
        a.roundTripOk = back.size() == size && std::equal(back.begin(), back.end(), data);
        // Without the encoder's own window check, only the round trip vouched for the windows.
        if (!a.roundTripOk && !eo.checkWindows) a.encoded.tokenOnlyDecodable.reset();
    }
    plan.finish();
    a.seconds = secondsSince(start);
    return a;
}

}  // namespace eqlab
