#include "bench_phases.h"

#include <QJsonArray>
#include <QJsonObject>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

#include "analysis/analyze.h"
#include "base/file_io.h"
#include "cli_common.h"
#include "methods/default_models.h"

namespace eqlab::cli {

namespace {

constexpr int kDefaultKib = 64;  // the sample repeated to this size: seconds of M1 work, not milliseconds

using Clock = std::chrono::steady_clock;

// Seconds each phase of one analysis took, from the moments its StatusFn
// first named each phase (phases begin with a report: PhasedProgress::begin).
std::map<std::string, double> timePhases(const std::vector<uint8_t>& data, const AnalyzeOptions& base,
                                         std::vector<std::string>& order) {
    std::vector<std::pair<std::string, Clock::time_point>> marks;
    AnalyzeOptions o = base;
    o.progress = [&marks](const ProgressStatus& s) {
        if (marks.empty() || marks.back().first != s.phase) marks.emplace_back(s.phase, Clock::now());
        return true;
    };
    analyze(data.data(), data.size(), o);
    std::map<std::string, double> seconds;
    order.clear();
    for (size_t i = 0; i + 1 < marks.size(); ++i) {
        seconds[marks[i].first] += std::chrono::duration<double>(marks[i + 1].second - marks[i].second).count();
        order.push_back(marks[i].first);
    }
    return seconds;
}

}  // namespace

int cmdBenchPhases(const QStringList& args) {
    QCommandLineParser p;
    QCommandLineOption kib{"kib", "Input size: the bundled sample repeated to N KiB.", "N",
                           QString::number(kDefaultKib)};
    QCommandLineOption threads{"threads", "Worker threads (the GUI uses all cores).", "N", "2"};
    QCommandLineOption repeats{"repeats", "Runs per method; each phase's best is reported.", "N", "2"};
    QCommandLineOption json{"json", "Print one JSON object."};
    for (auto* o : {&kib, &threads, &repeats, &json}) p.addOption(*o);
    if (!parseOrThrow(p, args, 0, "eqlab-cli bench-phases [--kib N] [--threads N] [--repeats N] [--json]")) return 0;
    const std::vector<uint8_t> sample = readFile(resourcePath(kSampleTextFile));
    const size_t size = size_t(std::max(1, CodecOptions::toInt(p, kib))) << 10;
    std::vector<uint8_t> data;
    while (data.size() < size)
        data.insert(data.end(), sample.begin(), sample.begin() + std::min(sample.size(), size - data.size()));
    const int nThreads = threadsOf(p, threads);
    const int reps = std::max(1, CodecOptions::toInt(p, repeats));

    struct Row {
        const char* name;
        Method method;
        CodecParams::Termination termination = CodecParams::Termination::Distinct;
    };
    const Row rows[] = {{"bytes", Method::Bytes},
                        {"gzip", Method::Gzip},
                        {"sentencepiece", Method::SentencePiece},
                        {"static-ac", Method::StaticAc},
                        {"ac", Method::Ac},
                        {"eqinfo-ac", Method::EqualInfoAc},
                        {"eqinfo-ac shortest", Method::EqualInfoAc, CodecParams::Termination::Shortest}};
    QJsonArray out;
    if (!p.isSet(json))
        std::printf("%zu bytes, %d thread(s); seconds (and microseconds per input byte, per model-file MB to load)\n",
                    data.size(), nThreads);
    for (const Row& r : rows) {
        AnalyzeOptions o;
        o.params.method = r.method;
        o.params.termination = r.termination;
        o.threads = nThreads;
        std::map<std::string, double> best;
        std::vector<std::string> order;
        for (int i = 0; i < reps; ++i)
            for (const auto& [phase, s] : timePhases(data, o, order))
                best[phase] = best.count(phase) ? std::min(best[phase], s) : s;
        std::error_code ec;
        const std::string file = modelFileFor(r.method, "");
        const double fileBytes = file.empty() ? 0 : double(std::filesystem::file_size(file, ec));
        QJsonObject row;
        row["method"] = r.name;
        row["model_file_bytes"] = fileBytes;
        QJsonArray phases;
        if (!p.isSet(json)) std::printf("%-20s", r.name);
        for (const std::string& phase : order) {
            const bool load = phase.rfind("loading", 0) == 0;
            const double s = best[phase];
            const double per = load ? (fileBytes > 0 ? s / fileBytes : 0) : s / double(data.size());
            QJsonObject ph;
            ph["phase"] = QString::fromStdString(phase);
            ph["seconds"] = s;
            ph[load ? "seconds_per_file_byte" : "seconds_per_input_byte"] = per;
            phases.append(ph);
            if (!p.isSet(json))
                std::printf("  %s %.3f s (%.3g %s)", phase.c_str(), s, per * 1e6, load ? "s/MB" : "us/B");
        }
        if (!p.isSet(json)) std::printf("\n");
        std::fflush(stdout);
        row["phases"] = phases;
        out.append(row);
    }
    if (p.isSet(json)) {
        QJsonObject o;
        o["input_bytes"] = double(data.size());
        o["threads"] = nThreads;
        o["methods"] = out;
        printJson(QJsonDocument(o));
    }
    return 0;
}

}  // namespace eqlab::cli
