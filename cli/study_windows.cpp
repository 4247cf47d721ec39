// eqlab-cli study windows: the table of every Equal-Info window and why it closed.
#include <QJsonArray>

#include "cli_common.h"
#include "studies/window_table.h"
#include "study_commands.h"
#include "study_window_params.h"

namespace eqlab::cli {

int studyWindows(const QStringList& args) {
    QCommandLineParser p;
    StudyCliOptions common;
    common.add(p);
    WindowParamOptions window;
    window.add(p);
    QCommandLineOption csv{"csv", "Print the table as CSV (a header row, fields quoted when needed)."};
    p.addOption(csv);
    if (!parseStudy(p, args,
                    "eqlab-cli study windows [-b B] [-k K] [--termination distinct|shortest] [options] "
                    "[--csv | --json] [IN]"))
        return 0;
    if (p.isSet(csv) && p.isSet(common.json)) throw InvalidArgument("--csv and --json exclude each other");
    const CodecParams params = window.params(p);
    const std::vector<uint8_t> data = studyInput(p);
    const WindowTable t = runWindowTable(data.data(), data.size(), params, common.options(p));
    noteScope(t.scope);

    if (p.isSet(csv)) {
        const std::string out = windowRowsCsv(t.rows);
        std::fwrite(out.data(), 1, out.size(), stdout);
        return 0;
    }
    if (p.isSet(common.json)) {
        QJsonObject out;
        out["scope"] = scopeJson(t.scope);
        out["method"] = QString::fromStdString(t.params.label());
        out["model"] = QString::fromStdString(t.modelName);
        out["rows"] = windowRowsJson(t.rows);
        printJson(QJsonDocument(out));
        return 0;
    }
    std::printf("windows: %s, %s, %s, %zu windows\n", t.params.label().c_str(), t.modelName.c_str(),
                t.scope.describe().c_str(), t.rows.size());
    std::printf("%7s %15s %5s %5s %4s %-24s %4s  %-44s %s\n", "index", "bytes", "n", "used", "pad", "tokens", "dec",
                "why it closed", "text");
    for (const WindowRow& r : t.rows) {
        QStringList tokens;
        for (uint32_t v : r.tokens) tokens << QString::number(v);
        const std::string span = std::to_string(r.byteBegin) + "-" + std::to_string(r.byteEnd);
        std::printf("%7llu %15s %5llu %5llu %4llu %-24s %4s  %-44s %s\n", (unsigned long long)r.index, span.c_str(),
                    (unsigned long long)(r.byteEnd - r.byteBegin), (unsigned long long)r.bitsUsed,
                    (unsigned long long)r.paddingBits, qPrintable(tokens.join(' ')),
                    r.tokenOnlyDecodable < 0 ? "-"
                    : r.tokenOnlyDecodable   ? "yes"
                                             : "no",
                    r.closeReason.c_str(), r.text.c_str());
    }
    return 0;
}

}  // namespace eqlab::cli
