// eqlab-cli study token-meaning: what an Equal-Info token stands for, by position in its window.
#include <QJsonArray>

#include "cli_common.h"
#include "studies/token_meaning.h"
#include "study_commands.h"
#include "study_window_params.h"

namespace eqlab::cli {

namespace {

constexpr size_t kDefaultDictionary = 32;  // first-token values listed by default

QJsonObject positionJson(const TokenPositionStats& s) {
    QJsonArray recurrence, top;
    for (uint64_t n : s.recurrence) recurrence.append(double(n));
    for (const auto& [value, count] : s.top)
        top.append(QJsonObject{{"value", double(value)}, {"count", double(count)}});
    QJsonObject o;
    o["position"] = s.position;
    o["windows"] = double(s.windows);
    o["distinct"] = double(s.distinct);
    o["entropy_bits"] = s.entropyBits;
    o["top10_share"] = s.top10Share;
    o["recurrence"] = recurrence;
    o["top"] = top;
    return o;
}

QJsonObject entryJson(const TokenDictionaryEntry& d) {
    QJsonArray prefixes, examples;
    for (const auto& [text, count] : d.prefixes)
        prefixes.append(QJsonObject{{"text", QString::fromStdString(text)}, {"count", double(count)}});
    for (const std::string& e : d.examples) examples.append(QString::fromStdString(e));
    QJsonObject o;
    o["value"] = double(d.value);
    o["count"] = double(d.count);
    o["common_prefix"] = QString::fromStdString(d.commonPrefix);
    o["prefixes"] = prefixes;
    o["examples"] = examples;
    return o;
}

}  // namespace

int studyTokenMeaning(const QStringList& args) {
    QCommandLineParser p;
    StudyCliOptions common;
    common.add(p);
    WindowParamOptions window;
    window.add(p);
    QCommandLineOption dictionary{"dictionary", "First-token values to list in the dictionary.", "N",
                                  QString::number(kDefaultDictionary)};
    p.addOption(dictionary);
    if (!parseStudy(p, args,
                    "eqlab-cli study token-meaning [-b B] [-k K] [--termination distinct|shortest] [--dictionary N] "
                    "[options] [--json] [IN]"))
        return 0;
    const CodecParams params = window.params(p);
    const int entries = CodecOptions::toInt(p, dictionary);
    if (entries < 0 || size_t(entries) > kMaxDictionarySize)
        throw InvalidArgument("--dictionary must be between 0 and " + std::to_string(kMaxDictionarySize));
    const std::vector<uint8_t> data = studyInput(p);
    const TokenMeaning m = runTokenMeaning(data.data(), data.size(), params, common.options(p), size_t(entries));
    noteScope(m.scope);

    if (p.isSet(common.json)) {
        QJsonArray positions, dict;
        for (const TokenPositionStats& s : m.positions) positions.append(positionJson(s));
        for (const TokenDictionaryEntry& d : m.dictionary) dict.append(entryJson(d));
        QJsonObject out;
        out["scope"] = scopeJson(m.scope);
        out["method"] = QString::fromStdString(m.params.label());
        out["model"] = QString::fromStdString(m.modelName);
        out["windows"] = double(m.windows);
        out["positions"] = positions;
        out["dictionary"] = dict;
        printJson(QJsonDocument(out));
        return 0;
    }
    std::printf("token-meaning: %s, %s, %s, %llu windows\n", m.params.label().c_str(), m.modelName.c_str(),
                m.scope.describe().c_str(), (unsigned long long)m.windows);
    std::printf("%8s %9s %9s %12s %10s  %s\n", "position", "windows", "distinct", "entropy bits", "top-10",
                "recurrence "
                "(values seen 1, 2-3, 4-7, ... times)");
    for (const TokenPositionStats& s : m.positions) {
        QStringList rec;
        for (uint64_t n : s.recurrence) rec << QString::number(n);
        std::printf("%8d %9llu %9llu %12.3f %9.1f%%  %s\n", s.position, (unsigned long long)s.windows,
                    (unsigned long long)s.distinct, s.entropyBits, 100 * s.top10Share, qPrintable(rec.join(' ')));
    }
    if (m.dictionary.empty()) return 0;
    std::printf("\n%7s %7s  %-20s %-24s %s\n", "token", "windows", "common prefix", "first token covers", "example");
    for (const TokenDictionaryEntry& d : m.dictionary) {
        const std::string covers =
            d.prefixes.empty() ? ""
                               : "'" + d.prefixes.front().first + "' x" + std::to_string(d.prefixes.front().second);
        std::printf("%7u %7llu  %-20s %-24s %s\n", d.value, (unsigned long long)d.count,
                    ("'" + d.commonPrefix + "'").c_str(), covers.c_str(),
                    d.examples.empty() ? "" : d.examples.front().c_str());
    }
    return 0;
}

}  // namespace eqlab::cli
