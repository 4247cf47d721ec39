// eqlab-cli study reset: M1's context reset every window, every N-th, or never.
#include <QJsonArray>

#include "analysis/paper_figures.h"
#include "cli_common.h"
#include "studies/reset_study.h"
#include "study_commands.h"
#include "study_window_params.h"

namespace eqlab::cli {

namespace {

QJsonValue everyJson(uint32_t every) {
    return every == 0 ? QJsonValue("never") : QJsonValue(double(every));
}

std::string everyText(uint32_t every) {
    return every == 0 ? "never" : every == 1 ? "every window" : "every " + std::to_string(every) + " windows";
}

}  // namespace

int studyReset(const QStringList& args) {
    QCommandLineParser p;
    StudyCliOptions common;
    common.add(p);
    WindowParamOptions window;  // -b and -k only: the study varies the reset itself
    QCommandLineOption every{"every", "Reset periods in windows, comma-separated ('never': only at a stream's start).",
                             "LIST", "1,2,4,never"};
    QCommandLineOption noCheck{"no-check", "Do not decode each variant back (faster)."};
    for (auto* o : {&window.window, &window.token, &every, &noCheck}) p.addOption(*o);
    if (!parseStudy(p, args, "eqlab-cli study reset [-b BITS] [-k TOKEN_BITS] [--every LIST] [options] [--json] [IN]"))
        return 0;
    ResetStudyOptions reset;
    reset.windowBits = CodecOptions::toInt(p, window.window);
    reset.tokenBits = CodecOptions::toInt(p, window.token);
    reset.every.clear();
    for (const QString& item : p.value(every).split(',', Qt::SkipEmptyParts))
        reset.every.push_back(CodecOptions::m1ResetOf(item.trimmed(), "--every"));
    reset.checkRoundTrip = !p.isSet(noCheck);
    const std::vector<uint8_t> data = studyInput(p);
    const StudyOptions options = common.options(p);
    const ResetStudy s = runResetStudy(data.data(), data.size(), reset, options);
    noteScope(s.scope);

    if (p.isSet(common.json)) {
        QJsonArray rows;
        for (const ResetRow& r : s.rows) {
            QJsonObject o;
            o["every"] = everyJson(r.every);
            o["method"] = QString::fromStdString(r.label);
            o["windows"] = double(r.windows);
            o["bytes_per_token"] = r.bytesPerToken;
            o["bits_per_byte"] = r.bitsPerByte;
            o["mean_window_bytes"] = r.meanWindowBytes;
            o["paper_bytes_per_token"] =
                r.paperBytesPerToken > 0 ? QJsonValue(r.paperBytesPerToken) : QJsonValue(QJsonValue::Null);
            o["paper_learnable"] = r.paperLearnable ? QJsonValue(*r.paperLearnable) : QJsonValue(QJsonValue::Null);
            o["round_trip"] = r.roundTripChecked ? QJsonValue(r.roundTripOk) : QJsonValue(QJsonValue::Null);
            rows.append(o);
        }
        QJsonObject out;
        out["scope"] = scopeJson(s.scope);
        out["model"] = QString::fromStdString(s.modelName);
        out["rows"] = rows;
        out["paper_note"] = kPaperResetNote;
        printJson(QJsonDocument(out));
        return 0;
    }
    std::printf("reset: %s, %s\n", s.modelName.c_str(), s.scope.describe().c_str());
    std::printf("%-16s %-36s %8s %12s %10s %10s %6s %10s\n", "M1 reset", "method", "windows", "bytes/token",
                "bits/byte", "win bytes", "paper", "round trip");
    for (const ResetRow& r : s.rows) {
        const std::string paper =
            r.paperBytesPerToken > 0 ? QString::number(r.paperBytesPerToken, 'f', 2).toStdString() : std::string("-");
        std::printf("%-16s %-36s %8llu %12.3f %10.3f %10.2f %6s %10s\n", everyText(r.every).c_str(), r.label.c_str(),
                    (unsigned long long)r.windows, r.bytesPerToken, r.bitsPerByte, r.meanWindowBytes, paper.c_str(),
                    !r.roundTripChecked ? "-"
                    : r.roundTripOk     ? "ok"
                                        : "FAILED");
    }
    err(std::string("paper: ") + kPaperResetNote);
    for (const ResetRow& r : s.rows)
        if (r.roundTripChecked && !r.roundTripOk) return 1;
    return 0;
}

}  // namespace eqlab::cli
