// eqlab-cli study window-sweep: Equal-Info Windows at every b and k of the paper.
#include <QJsonArray>

#include "analysis/paper_figures.h"
#include "cli_common.h"
#include "studies/window_sweep.h"
#include "study_commands.h"
#include "study_window_params.h"

namespace eqlab::cli {

namespace {

// "16,24,32" as integers; InvalidArgument naming the option otherwise.
std::vector<int> intList(const QCommandLineParser& p, const QCommandLineOption& o) {
    std::vector<int> out;
    for (const QString& item : p.value(o).split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        out.push_back(item.trimmed().toInt(&ok));
        if (!ok)
            throw InvalidArgument("--" + o.names().last().toStdString() +
                                  " expects a comma-separated list of integers, got '" + p.value(o).toStdString() +
                                  "'");
    }
    if (out.empty()) throw InvalidArgument("--" + o.names().last().toStdString() + " expects at least one value");
    return out;
}

QString joined(const std::vector<int>& v) {
    QStringList s;
    for (int x : v) s << QString::number(x);
    return s.join(',');
}

}  // namespace

int studyWindowSweep(const QStringList& args) {
    const WindowSweepOptions defaults;
    QCommandLineParser p;
    StudyCliOptions common;
    common.add(p);
    QCommandLineOption windows{
        {"b", "window-bits"}, "Window sizes b in bits, comma-separated.", "LIST", joined(defaults.windowBits)};
    QCommandLineOption tokens{
        {"k", "token-bits"}, "Token sizes k in bits (v = 2^k), comma-separated.", "LIST", joined(defaults.tokenBits)};
    QCommandLineOption termination{"termination", "Window termination: distinct (default) or shortest.", "RULE",
                                   "distinct"};
    for (auto* o : {&windows, &tokens, &termination}) p.addOption(*o);
    if (!parseStudy(p, args,
                    "eqlab-cli study window-sweep [-b LIST] [-k LIST] [--termination distinct|shortest] [options] "
                    "[--json] [IN]"))
        return 0;
    WindowSweepOptions sweep;
    sweep.windowBits = intList(p, windows);
    sweep.tokenBits = intList(p, tokens);
    sweep.termination = CodecOptions::terminationOf(p.value(termination));
    const std::vector<uint8_t> data = studyInput(p);
    const StudyOptions options = common.options(p);
    const WindowSweep s = runWindowSweep(data.data(), data.size(), sweep, options);
    noteScope(s.scope);

    if (p.isSet(common.json)) {
        QJsonArray rows;
        for (const WindowSweepRow& r : s.rows) {
            QJsonObject o;
            o["b"] = r.b;
            o["v"] = double(r.vocab);
            o["bytes_per_token"] = r.bytesPerToken;
            o["bits_per_byte"] = r.bitsPerByte;
            o["mean_window_bytes"] = r.meanWindowBytes;
            o["sd_window_bytes"] = r.sdWindowBytes;
            o["min_window_bytes"] = double(r.minWindowBytes);
            o["max_window_bytes"] = double(r.maxWindowBytes);
            o["windows"] = double(r.windows);
            o["padding_fraction"] = r.paddingFraction;
            o["token_only_decodable"] = r.tokenOnlyDecodable;
            o["paper_bytes_per_token"] =
                r.paperBytesPerToken > 0 ? QJsonValue(r.paperBytesPerToken) : QJsonValue(QJsonValue::Null);
            rows.append(o);
        }
        QJsonArray skipped;
        for (const std::string& why : s.skipped) skipped.append(QString::fromStdString(why));
        QJsonObject out;
        out["scope"] = scopeJson(s.scope);
        out["model"] = QString::fromStdString(s.modelName);
        out["rows"] = rows;
        out["skipped"] = skipped;
        out["paper_note"] = kPaperWindowSweepNote;
        printJson(QJsonDocument(out));
        return 0;
    }
    std::printf("window-sweep: %s, %s\n", s.modelName.c_str(), s.scope.describe().c_str());
    std::printf("%5s %6s %12s %10s %11s %8s %10s %8s %8s %11s %6s\n", "b", "v", "bytes/token", "bits/byte", "win bytes",
                "sd", "min-max", "windows", "padding", "token-only", "paper");
    for (const WindowSweepRow& r : s.rows) {
        const std::string range = std::to_string(r.minWindowBytes) + "-" + std::to_string(r.maxWindowBytes);
        const std::string paper =
            r.paperBytesPerToken > 0 ? QString::number(r.paperBytesPerToken, 'f', 2).toStdString() : std::string("-");
        std::printf("%5d %6llu %12.3f %10.3f %11.2f %8.2f %10s %8llu %7.1f%% %10.1f%% %6s\n", r.b,
                    (unsigned long long)r.vocab, r.bytesPerToken, r.bitsPerByte, r.meanWindowBytes, r.sdWindowBytes,
                    range.c_str(), (unsigned long long)r.windows, 100 * r.paddingFraction, 100 * r.tokenOnlyDecodable,
                    paper.c_str());
    }
    for (const std::string& why : s.skipped) err("skipped " + why);
    err(std::string("paper: ") + kPaperWindowSweepNote);
    return 0;
}

}  // namespace eqlab::cli
