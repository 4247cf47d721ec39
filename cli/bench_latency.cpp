#include "bench_latency.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <algorithm>
#include <chrono>

#include "analysis/analyze.h"
#include "analysis/step_through.h"
#include "base/file_io.h"
#include "cli_common.h"
#include "methods/default_models.h"
#include "methods/model_cache.h"

namespace eqlab::cli {

namespace {

// Median and best of `reps` timed runs of f.
std::pair<double, double> timed(const std::function<void()>& f, int reps) {
    std::vector<double> s;
    for (int i = 0; i < reps; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        s.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(s.begin(), s.end());
    return {s[s.size() / 2], s.front()};
}

// The first `n` bytes of `text` repeated.
std::vector<uint8_t> prefix(const std::vector<uint8_t>& text, size_t n) {
    std::vector<uint8_t> out;
    while (out.size() < n) out.insert(out.end(), text.begin(), text.begin() + std::min(text.size(), n - out.size()));
    return out;
}

bool hasAvx512() {
    QFile f("/proc/cpuinfo");
    return f.open(QIODevice::ReadOnly) && f.readAll().contains(" avx512f");
}

}  // namespace

int cmdBenchLatency(const QStringList& args) {
    QCommandLineParser p;
    CodecOptions o;
    o.add(p);
    QCommandLineOption json{"json", "Print one JSON object."};
    QCommandLineOption input{"input", "The text (repeated to each size; default: the bundled sample).", "FILE"};
    QCommandLineOption repeats{"repeats", "Runs per measurement; the median is reported.", "N", "5"};
    for (auto* opt : {&json, &input, &repeats}) p.addOption(*opt);
    if (!parseOrThrow(p, args, 0,
                      "eqlab-cli bench-latency [-m METHOD -b BITS ...] [--threads N] [--input FILE] [--json]\n"
                      "Explore's analysis latency on 1, 10 and 64 KiB and the step-through's walk."))
        return 0;
    const CodecParams params = o.params(p);
    const int threads = threadsOf(p, o.threads);
    const int reps = std::max(1, CodecOptions::toInt(p, repeats));
    const std::string source = p.isSet(input) ? p.value(input).toStdString() : resourcePath(kSampleTextFile);
    const std::vector<uint8_t> text = readFile(source);
    if (text.empty()) throw InvalidArgument("the benchmark text is empty");
    const std::string modelPath = p.value(o.model).toStdString();

    QJsonObject out;
    out["method"] = QString::fromStdString(params.label());
    out["threads"] = threads;
    out["avx512"] = hasAvx512();
    out["input_source"] = QString::fromStdString(source);
    out["repeats"] = reps;

    // Explore: the first analysis loads the models, later ones find them loaded.
    ModelCache cache;
    AnalyzeOptions ao;
    ao.params = params;
    ao.modelPath = modelPath;
    ao.threads = threads;
    ao.models = &cache;
    const std::vector<uint8_t> first = prefix(text, 1024);
    const auto cold = timed([&] { analyze(first.data(), first.size(), ao); }, 1);
    out["model"] = QString::fromStdString(analyze(first.data(), 1, ao).modelName);
    out["first_analysis_seconds"] = cold.first;
    QJsonArray explore;
    for (size_t n : {size_t(1024), size_t(10240), size_t(65536)}) {
        const std::vector<uint8_t> data = prefix(text, n);
        const auto t = timed([&] { analyze(data.data(), data.size(), ao); }, reps);
        explore.append(QJsonObject{{"bytes", double(n)}, {"median_seconds", t.first}, {"best_seconds", t.second}});
    }
    out["explore"] = explore;

    // The step-through: computing the walk (stepping is drawing only).
    QJsonArray walks;
    if (usesRangeCoder(params.method)) {
        const ModelSet models = cache.load(params.method, modelPath);
        const std::unique_ptr<ByteModel> model = models.byteModel->clone();
        const std::string sentence = kDefaultStepText;
        const std::vector<uint8_t> bytes4k = prefix(text, kMaxStepBytes);
        for (const auto& [name, bytes] :
             {std::pair<const char*, std::vector<uint8_t>>{"sentence", {sentence.begin(), sentence.end()}},
              {"4 KiB", bytes4k}})
            for (bool decode : {false, true}) {
                StepOptions so;
                so.decode = decode;
                const auto t = timed([&] { stepThrough(bytes.data(), bytes.size(), params, *model, so); }, reps);
                walks.append(QJsonObject{
                    {"text", name}, {"bytes", double(bytes.size())}, {"decode", decode}, {"median_seconds", t.first}});
            }
    }
    out["step_through"] = walks;

    if (p.isSet(json)) {
        printJson(QJsonDocument(out));
        return 0;
    }
    std::printf("%s under %s, %d thread(s), %s, median of %d\n", params.label().c_str(),
                out["model"].toString().toStdString().c_str(), threads, hasAvx512() ? "AVX-512" : "no AVX-512", reps);
    std::printf("first analysis (models loaded): %.3f s for 1 KiB\n", cold.first);
    for (const QJsonValue& v : explore)
        std::printf("Explore, %6.0f bytes: %.3f s (best %.3f s)\n", v["bytes"].toDouble(),
                    v["median_seconds"].toDouble(), v["best_seconds"].toDouble());
    for (const QJsonValue& v : walks)
        std::printf("step-through %-8s (%4.0f bytes) %s: %.3f s\n", v["text"].toString().toStdString().c_str(),
                    v["bytes"].toDouble(), v["decode"].toBool() ? "decode" : "encode", v["median_seconds"].toDouble());
    return 0;
}

}  // namespace eqlab::cli
