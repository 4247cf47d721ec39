#include "study_commands.h"

#include <chrono>
#include <map>

#include "base/file_io.h"
#include "cli_common.h"
#include "methods/default_models.h"

namespace eqlab::cli {

namespace {

// Progress on stderr for work that may be quick or take minutes (a study's
// cost follows the model more than the input's size): nothing during the
// first two seconds, then a percentage every 5% (redrawn in place on a terminal).
ProgressFn slowProgress(const std::string& what) {
    const auto started = std::chrono::steady_clock::now();
    const auto print = percentPrinter(what);
    return [started, print](uint64_t done, uint64_t all) {
        if (std::chrono::steady_clock::now() - started >= std::chrono::seconds(2)) print(done, all);
        return true;
    };
}

}  // namespace

void StudyCliOptions::add(QCommandLineParser& p) {
    for (auto* o : {&model, &spModel, &threads, &maxBytes, &json}) p.addOption(*o);
}

StudyOptions StudyCliOptions::options(const QCommandLineParser& p) const {
    StudyOptions o;
    o.m1Path = p.value(model).toStdString();
    o.spPath = p.value(spModel).toStdString();
    o.threads = threadsOf(p, threads);
    bool ok = false;
    o.maxBytes = p.value(maxBytes).toULongLong(&ok);
    if (!ok) throw InvalidArgument("--max-bytes expects a byte count, got '" + p.value(maxBytes).toStdString() + "'");
    o.progress = slowProgress("study");
    return o;
}

bool parseStudy(QCommandLineParser& p, const QStringList& args, const QString& usage) {
    if (!parseOptions(p, args, usage)) return false;
    if (p.positionalArguments().size() > 1)
        throw InvalidArgument("expected at most one input file\nusage: " + usage.toStdString());
    return true;
}

std::vector<uint8_t> studyInput(const QCommandLineParser& p, std::string* name) {
    const QStringList pos = p.positionalArguments();
    const std::string path = pos.isEmpty() ? resourcePath(kSampleTextFile) : pos[0].toStdString();
    if (name) *name = pos.isEmpty() ? "the bundled sample" : path;
    return readFile(path);
}

QJsonObject scopeJson(const StudyScope& scope) {
    QJsonObject o;
    o["input_bytes"] = double(scope.inputBytes);
    o["analysed_bytes"] = double(scope.analysedBytes);
    o["truncated"] = scope.truncated();
    return o;
}

void noteScope(const StudyScope& scope) {
    if (scope.truncated()) err("note: analysed " + scope.describe() + " (--max-bytes 0 analyses all)");
}

namespace {

constexpr const char* kStudyUsage =
    "usage: eqlab-cli study NAME [options] [--json] [IN]\n"
    "IN defaults to the bundled sample text; the models default to the bundled ones.\n"
    "Studies:\n"
    "  window-sweep        Equal-Info at b = 16..128 and v = 256, 65,536: bytes/token, padding, decodability\n"
    "  reset               M1's context reset every window, every 2nd, 4th, or never\n"
    "  stability           Levenshtein distance of tokenizations when a word is prepended\n"
    "  uniformity          KL divergence from uniform of bit n-grams and tokens, per method\n"
    "  windows             the table of every window and why it closed\n"
    "  token-meaning       what an Equal-Info token stands for, by position in its window\n"
    "  segmentations       Equal-Info windows, entropy patches, SentencePiece, fixed chunks\n"
    "  position-accuracy   M2's accuracy by token position in a window (IN: a run folder)\n"
    "Run 'eqlab-cli study NAME --help' for a study's options.\n";

}  // namespace

int cmdStudy(const QStringList& args) {
    if (args.size() < 2 || args[1] == "--help" || args[1] == "-h" || args[1] == "help") {
        std::fprintf(args.size() < 2 ? stderr : stdout, "%s", kStudyUsage);
        return args.size() < 2 ? 2 : 0;
    }
    static const std::map<QString, int (*)(const QStringList&)> studies = {
        {"window-sweep", studyWindowSweep},
        {"reset", studyReset},
        {"windows", studyWindows},
        {"token-meaning", studyTokenMeaning},
        {"stability", studyStability},
        {"uniformity", studyUniformity},
        {"segmentations", studySegmentations},
        {"position-accuracy", studyPositionAccuracy},
    };
    const auto it = studies.find(args[1]);
    if (it == studies.end()) throw InvalidArgument("unknown study '" + args[1].toStdString() + "'\n" + kStudyUsage);
    QStringList sub = args.mid(1);
    sub[0] = args[0] + " " + args[1];
    return it->second(sub);
}

}  // namespace eqlab::cli
