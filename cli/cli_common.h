// What every eqlab-cli command shares: messages, JSON output, progress on
// stderr, the codec options and argument parsing.
#pragma once

#include <c10/util/Exception.h>
#include <unistd.h>

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QRegularExpression>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

#include "base/errors.h"
#include "base/phased_progress.h"
#include "base/progress.h"
#include "base/thread_count.h"
#include "methods/method.h"

namespace eqlab::cli {

constexpr uint64_t kProgressMinBytes = 1 << 20;  // inputs smaller than this report no progress

inline void err(const std::string& s) {
    std::fprintf(stderr, "%s\n", s.c_str());
}

inline void printJson(const QJsonDocument& doc) {
    const QByteArray b = doc.toJson(QJsonDocument::Indented);
    std::fwrite(b.constData(), 1, size_t(b.size()), stdout);
}

// Prints (done, all) on stderr as "what: NN%": every 5% as a line, or
// redrawn in place at every percent on a terminal.
inline std::function<void(uint64_t, uint64_t)> percentPrinter(const std::string& what) {
    const bool tty = isatty(fileno(stderr));
    auto last = std::make_shared<int>(-1);
    return [what, tty, last](uint64_t done, uint64_t all) {
        const int pct = all ? int(100 * std::min(done, all) / all) : 100;
        if (pct / 5 != *last / 5 || (tty && pct != *last)) {
            *last = pct;
            std::fprintf(stderr, tty ? "\r%s: %3d%%" : "%s: %3d%%\n", what.c_str(), pct);
            if (tty && pct >= 100) std::fputc('\n', stderr);
        }
    };
}

// Progress on stderr (percentPrinter) for inputs of at least kProgressMinBytes.
inline ProgressFn stderrProgress(const std::string& what, uint64_t total) {
    if (total < kProgressMinBytes) return {};
    const auto print = percentPrinter(what);
    return [print](uint64_t done, uint64_t all) {
        print(done, all);
        return true;
    };
}

// A duration for people: "8.5 s", "42 s", "3 min", "1.2 h".
inline std::string humanSeconds(double s) {
    char buf[32];
    if (s < 10)
        std::snprintf(buf, sizeof buf, "%.1f s", s);
    else if (s < 90)
        std::snprintf(buf, sizeof buf, "%.0f s", s);
    else if (s < 5400)
        std::snprintf(buf, sizeof buf, "%.0f min", s / 60);
    else
        std::snprintf(buf, sizeof buf, "%.1f h", s / 3600);
    return buf;
}

// Work of several phases on stderr as "what: PHASE NN%, about T left": a
// line every 5% and at each new phase, or redrawn in place on a terminal.
inline StatusFn stderrStatus(const std::string& what) {
    const bool tty = isatty(fileno(stderr));
    auto last = std::make_shared<std::pair<int, std::string>>(-1, "");
    return [what, tty, last](const ProgressStatus& s) {
        const int pct = int(100 * std::clamp(s.fraction, 0.0, 1.0));
        if (pct / 5 == last->first / 5 && s.phase == last->second && !(tty && pct != last->first)) return true;
        *last = {pct, s.phase};
        const std::string left =
            s.secondsLeft > 0 && pct < 100 ? ", about " + humanSeconds(s.secondsLeft) + " left" : "";
        std::fprintf(stderr, tty ? "\r%s: %s %3d%%%s\033[K" : "%s: %s %3d%%%s\n", what.c_str(), s.phase.c_str(), pct,
                     left.c_str());
        if (tty && pct >= 100) std::fputc('\n', stderr);
        return true;
    };
}

// Options shared by compress and analyze.
struct CodecOptions {
    QCommandLineOption method{
        {"m", "method"}, "bytes, gzip, static-ac, ac, eqinfo-ac or sentencepiece.", "METHOD", "eqinfo-ac"};
    QCommandLineOption window{{"b", "window-bits"}, "Equal-Info window size b in bits (eqinfo-ac).", "BITS", "16"};
    QCommandLineOption token{{"k", "token-bits"}, "Bits per token k, 1..16; v = 2^k.", "TOKEN_BITS", "8"};
    QCommandLineOption precision{
        {"P", "precision"}, "CDF precision in bits (default: 16, or min(16, b-2) for eqinfo-ac).", "BITS", "0"};
    QCommandLineOption chunk{"chunk", "Chunk (ac) or stream (eqinfo-ac) length in bytes.", "BYTES",
                             QString::number(kDefaultChunkBytes)};
    QCommandLineOption level{"level", "gzip compression level 0..9 (-1: zlib's default).", "LEVEL", "-1"};
    QCommandLineOption model{"model", "Model file (unigram, M1 or SentencePiece) instead of the bundled default.",
                             "FILE"};
    QCommandLineOption threads{"threads", "Worker threads where work is parallel.", "N", "1"};
    QCommandLineOption termination{"termination",
                                   "eqinfo-ac window termination: distinct (default; every window "
                                   "decodes from its own bits) or shortest (the paper's rule; side "
                                   "information resolves ambiguous windows).",
                                   "RULE", "distinct"};
    QCommandLineOption m1Reset{"m1-reset",
                               "eqinfo-ac: reset M1's context every N-th window of a stream (1, the default: "
                               "every window; 'never': only where a stream begins). Needs distinct termination.",
                               "N|never", "1"};

    void add(QCommandLineParser& p) {
        for (auto* o : {&method, &window, &token, &precision, &chunk, &level, &model, &threads, &termination, &m1Reset})
            p.addOption(*o);
    }
    CodecParams params(const QCommandLineParser& p) const {
        CodecParams c;
        c.method = parseMethod(p.value(method).toStdString());
        c.windowBits = toInt(p, window);
        c.tokenBits = toInt(p, token);
        c.precision = toInt(p, precision);
        const int chunkBytes = toInt(p, chunk);
        if (chunkBytes < 1)
            throw InvalidArgument("--chunk must be at least 1 byte (got " + std::to_string(chunkBytes) + ")");
        c.chunkBytes = uint32_t(chunkBytes);
        c.gzipLevel = toInt(p, level);
        c.termination = terminationOf(p.value(termination));
        c.m1Reset = m1ResetOf(p.value(m1Reset));
        c.validate();
        return c;
    }
    // "distinct" or "shortest"; InvalidArgument otherwise.
    static CodecParams::Termination terminationOf(const QString& rule) {
        if (rule == "shortest") return CodecParams::Termination::Shortest;
        if (rule != "distinct") throw InvalidArgument("--termination must be distinct or shortest");
        return CodecParams::Termination::Distinct;
    }
    // --m1-reset's value (or `option`'s): a positive number of windows, or "never" (0).
    static uint32_t m1ResetOf(const QString& value, const char* option = "--m1-reset") {
        if (value == "never") return 0;
        bool ok = false;
        const uint32_t every = value.toUInt(&ok);
        if (!ok || every < 1)
            throw InvalidArgument(std::string(option) + " must be a positive number of windows, or never (got '" +
                                  value.toStdString() + "')");
        return every;
    }
    // An int option's value; InvalidArgument, quoting the value given, for
    // one that is not an integer or does not fit an int.
    static int toInt(const QCommandLineParser& p, const QCommandLineOption& o) {
        const QString text = p.value(o);
        const std::string name = "--" + o.names().last().toStdString();
        bool ok = false;
        const qlonglong v = text.toLongLong(&ok);
        if (!ok) {
            // Digits that do not fit 64 bits are still a number, only too large.
            static const QRegularExpression digits("^\\s*[-+]?\\d+\\s*$");
            if (digits.match(text).hasMatch())
                throw InvalidArgument(name + " is out of range (got '" + text.toStdString() + "')");
            throw InvalidArgument(name + " expects an integer, got '" + text.toStdString() + "'");
        }
        if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
            throw InvalidArgument(name + " is out of range (got " + std::to_string(v) + ")");
        return int(v);
    }
};

// --threads's value (option `o`): a whole number of at least 1
// (InvalidArgument otherwise), clamped to the machine's cores. The first
// time it clamps, it says so on stderr ("note: --threads 64 is more than
// this machine's 2 cores; using 2"). The work itself bounds it further in
// core (usableThreads: no more threads than chunks, streams or windows).
inline int threadsOf(const QCommandLineParser& p, const QCommandLineOption& o) {
    const int requested = CodecOptions::toInt(p, o);
    if (requested < 1) throw InvalidArgument("--threads must be at least 1 (got " + std::to_string(requested) + ")");
    const int cores = hardwareThreads();
    if (requested <= cores) return requested;
    static bool said = false;
    if (!said) {
        said = true;
        std::fprintf(stderr, "note: --threads %d is more than this machine's %d core%s; using %d\n", requested, cores,
                     cores == 1 ? "" : "s", cores);
    }
    return cores;
}

// Parses `args` (command name first) or throws InvalidArgument with usage
// help. Returns false when --help was asked for: the help is printed on
// stdout and the command returns 0 without doing anything else.
[[nodiscard]] inline bool parseOptions(QCommandLineParser& p, const QStringList& args, const QString& usage) {
    p.setApplicationDescription(usage);
    p.addHelpOption();
    p.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    if (!p.parse(args)) throw InvalidArgument(p.errorText().toStdString() + "\nusage: " + usage.toStdString());
    if (p.isSet("help")) {
        std::fprintf(stdout, "%s", p.helpText().toStdString().c_str());
        return false;
    }
    return true;
}

// parseOptions(), then checks the number of file arguments: exactly
// `positionals`, or with positionals < 0 at least -positionals.
[[nodiscard]] inline bool parseOrThrow(QCommandLineParser& p, const QStringList& args, int positionals,
                                       const QString& usage) {
    if (!parseOptions(p, args, usage)) return false;
    const qsizetype n = p.positionalArguments().size();
    if (positionals >= 0 ? n != positionals : n < -positionals)
        throw InvalidArgument("expected " + std::string(positionals < 0 ? "at least " : "") +
                              std::to_string(std::abs(positionals)) +
                              " file argument(s)\nusage: " + usage.toStdString());
    return true;
}

// The value of a numeric option; InvalidArgument names the option otherwise.
inline double numberOf(const QCommandLineParser& p, const QCommandLineOption& o) {
    bool ok = false;
    const double v = p.value(o).toDouble(&ok);
    if (!ok) throw InvalidArgument("--" + o.names().first().toStdString() + " expects a number");
    return v;
}

// Data parallel runs (nn/process_group.h): how long a rank waits for the others.
struct DistributedCliOptions {
    QCommandLineOption timeout{"dist-timeout",
                               "Launched by torchrun or Slurm: seconds a rank waits for the others before it fails.",
                               "SECONDS", "300"};
    void add(QCommandLineParser& p) { p.addOption(timeout); }
    double timeoutSeconds(const QCommandLineParser& p) const {
        const double v = numberOf(p, timeout);
        if (!(v > 0) || v > 86400) throw InvalidArgument("--dist-timeout expects seconds above 0, at most 86400");
        return v;
    }
};

// Runs f, turning libtorch's and the trainers' exceptions into eqlab errors
// (eqlab errors pass unchanged).
template <class F>
auto guarded(F&& f) {
    try {
        return f();
    } catch (const Error&) {
        throw;
    } catch (const c10::Error& e) {
        throw Error(std::string("libtorch: ") + e.what_without_backtrace());
    } catch (const std::runtime_error& e) {
        throw Error(e.what());
    }
}

// The M2 lab's commands (m2_commands.cpp).
int cmdBuildDataset(const QStringList& args);
int cmdMergeDataset(const QStringList& args);
int cmdTrainM2(const QStringList& args);
int cmdReproduce(const QStringList& args);
int cmdBenchM2(const QStringList& args);

}  // namespace eqlab::cli
