// eqlab-cli study stability: Levenshtein distance between the tokenizations
// of a sentence and of the same sentence with one word prepended, per method.
#include <QJsonArray>
#include <QJsonObject>
#include <algorithm>
#include <cstdio>

#include "analysis/paper_figures.h"
#include "base/file_io.h"
#include "base/text.h"
#include "cli_common.h"
#include "studies/stability.h"
#include "study_commands.h"

namespace eqlab::cli {

namespace {

constexpr size_t kHistogramCells = 10;  // nonzero histogram entries the table shows per method

// "d:count" for the first nonzero entries of a histogram.
std::string compactHistogram(const std::vector<uint64_t>& histogram) {
    std::string out;
    size_t shown = 0, nonzero = 0;
    for (size_t d = 0; d < histogram.size(); ++d) {
        if (histogram[d] == 0) continue;
        ++nonzero;
        if (shown == kHistogramCells) continue;
        if (!out.empty()) out += ' ';
        out += std::to_string(d) + ":" + std::to_string(histogram[d]);
        ++shown;
    }
    if (nonzero > shown) out += " ... (" + std::to_string(nonzero - shown) + " more)";
    return out;
}

QJsonObject stabilityJson(const Stability& s, size_t words) {
    QJsonArray methods;
    for (const StabilityMethod& m : s.methods) {
        QJsonArray histogram, pairs;
        for (uint64_t c : m.histogram) histogram.append(double(c));
        for (const StabilityPair& pair : m.pairs) {
            QJsonObject o;
            o["word"] = QString::fromStdString(pair.word);
            o["tokens"] = double(pair.tokens);
            o["distance"] = double(pair.distance);
            o["normalised"] = pair.normalised;
            pairs.append(o);
        }
        QJsonObject o;
        o["method"] = QString::fromStdString(m.method);
        o["sentence_tokens"] = double(m.sentenceTokens);
        o["mean_distance"] = m.meanDistance;
        o["mean_normalised"] = m.meanNormalised;
        o["histogram"] = histogram;
        o["pairs"] = pairs;
        methods.append(o);
    }
    QJsonObject out;
    out["sentence"] = QString::fromStdString(s.sentence);
    out["words"] = double(words);
    out["methods"] = methods;
    out["paper_note"] = QString(kPaperStabilityNote);
    return out;
}

}  // namespace

int studyStability(const QStringList& args) {
    const QString usage =
        "eqlab-cli study stability [--sentence TEXT] [--words FILE] [--methods LIST] [options] [--json]\n"
        "Tokenizes a sentence, and the sentence with each word of a list prepended (word + ' ' + sentence), "
        "with every method, and reports the Levenshtein distance between the two tokenizations (the paper's "
        "figure 8). Reads no input file; --max-bytes does not apply.";
    QCommandLineParser p;
    StudyCliOptions common;
    common.add(p);
    QCommandLineOption sentence{
        "sentence", "The sentence (default: a shipped one). Read as UTF-8: invalid bytes arrive as U+FFFD.", "TEXT"};
    QCommandLineOption words{"words", "Words to prepend, one per line (default: a shipped list of ~100).", "FILE"};
    QCommandLineOption methods{"methods",
                               "Comma-separated method labels, e.g. 'ac,eqinfo-ac[b=32]' (default: bytes, "
                               "sentencepiece, gzip, static-ac, ac, eqinfo-ac[b=16]).",
                               "LIST"};
    for (auto* o : {&sentence, &words, &methods}) p.addOption(*o);
    if (!parseStudy(p, args, usage)) return 0;
    if (!p.positionalArguments().isEmpty())
        throw InvalidArgument("study stability reads no input file (got '" + p.positionalArguments()[0].toStdString() +
                              "'): give the sentence with --sentence and the words with --words");

    StabilityOptions so;
    if (p.isSet(sentence)) so.sentence = p.value(sentence).toStdString();
    if (p.isSet(words)) {
        const std::vector<uint8_t> text = readFile(p.value(words).toStdString());
        so.words = parseWordList(std::string(text.begin(), text.end()));
    }
    if (p.isSet(methods)) so.methods = parseMethodList(p.value(methods).toStdString());
    const Stability s = runStability(so, common.options(p));

    if (p.isSet(common.json)) {
        printJson(QJsonDocument(stabilityJson(s, so.words.size())));
        return 0;
    }
    std::printf("sentence: %s\n%zu words prepended\n\n",
                escapeText(reinterpret_cast<const uint8_t*>(s.sentence.data()), s.sentence.size()).c_str(),
                so.words.size());
    size_t width = std::string("method").size();
    for (const StabilityMethod& m : s.methods) width = std::max(width, m.method.size());
    std::printf("%-*s  %8s  %13s  %15s  %s\n", int(width), "method", "tokens", "mean distance", "mean normalised",
                "histogram (distance:words)");
    for (const StabilityMethod& m : s.methods)
        std::printf("%-*s  %8llu  %13.2f  %15.3f  %s\n", int(width), m.method.c_str(),
                    static_cast<unsigned long long>(m.sentenceTokens), m.meanDistance, m.meanNormalised,
                    compactHistogram(m.histogram).c_str());
    std::printf("\n%s\n", kPaperStabilityNote);
    return 0;
}

}  // namespace eqlab::cli
