// eqlab-cli study uniformity: KL divergence from uniform of each method's bit
// n-grams and tokens, beside random bits of the same length.
#include <QJsonArray>
#include <QJsonObject>
#include <algorithm>
#include <cstdio>

#include "analysis/paper_figures.h"
#include "cli_common.h"
#include "studies/uniformity.h"
#include "study_commands.h"

namespace eqlab::cli {

namespace {

QJsonObject estimateJson(const KlEstimate& e) {
    QJsonObject o;
    o["n"] = e.n;
    o["kl"] = e.kl;
    o["p5"] = e.p5;
    o["p95"] = e.p95;
    return o;
}

QJsonObject methodJson(const UniformityMethod& m) {
    QJsonArray ngrams;
    for (const KlEstimate& e : m.ngramKl) ngrams.append(estimateJson(e));
    QJsonObject o;
    o["method"] = QString::fromStdString(m.method);
    o["bits"] = double(m.bits);
    o["ngram_kl"] = ngrams;
    o["token_kl"] = estimateJson(m.tokenKl);
    return o;
}

}  // namespace

int studyUniformity(const QStringList& args) {
    const QString usage =
        "eqlab-cli study uniformity [--methods LIST] [--max-n N] [--partitions P] [--seed S] [options] [--json] "
        "[IN]\n"
        "KL divergence from uniform (bits, Miller-Madow corrected) of each method's overlapping bit n-grams, "
        "n = 1..N, and of its tokens, with the 5th-95th percentile band over P disjoint parts of the stream, "
        "beside random bits of the same length (the paper's figure 11).";
    QCommandLineParser p;
    StudyCliOptions common;
    common.add(p);
    QCommandLineOption methods{"methods",
                               "Comma-separated method labels, e.g. 'ac,eqinfo-ac[b=32]' (default: bytes, "
                               "sentencepiece, gzip, static-ac, ac, eqinfo-ac[b=16]).",
                               "LIST"};
    QCommandLineOption maxN{"max-n", "Longest bit n-gram, 1..16.", "N", "16"};
    QCommandLineOption partitions{"partitions", "Disjoint parts of each stream for the percentile band, 1..1000.", "P",
                                  "20"};
    QCommandLineOption seed{"seed", "Seed of the random reference.", "S", "1"};
    for (auto* o : {&methods, &maxN, &partitions, &seed}) p.addOption(*o);
    if (!parseStudy(p, args, usage)) return 0;

    UniformityOptions uo;
    if (p.isSet(methods)) uo.methods = parseMethodList(p.value(methods).toStdString());
    uo.maxN = CodecOptions::toInt(p, maxN);
    uo.partitions = CodecOptions::toInt(p, partitions);
    bool ok = false;
    uo.seed = p.value(seed).toULongLong(&ok);
    if (!ok) throw InvalidArgument("--seed expects a non-negative integer, got '" + p.value(seed).toStdString() + "'");
    uo.validate();  // before reading the input or loading a model

    const std::vector<uint8_t> data = studyInput(p);
    const Uniformity u = runUniformity(data.data(), data.size(), uo, common.options(p));
    noteScope(u.scope);

    if (p.isSet(common.json)) {
        QJsonArray all;
        for (const UniformityMethod& m : u.methods) all.append(methodJson(m));
        QJsonObject out;
        out["scope"] = scopeJson(u.scope);
        out["methods"] = all;
        out["random"] = methodJson(u.random);
        out["paper_note"] = QString(kPaperUniformityNote);
        printJson(QJsonDocument(out));
        return 0;
    }

    // The table: KL at n = 1, 2, 4, 8, 16 (those measured) and of the tokens.
    std::vector<int> shown;
    for (int n = 1; n <= uo.maxN; n *= 2) shown.push_back(n);
    if (shown.back() != uo.maxN) shown.push_back(uo.maxN);
    std::vector<const UniformityMethod*> rows;
    for (const UniformityMethod& m : u.methods) rows.push_back(&m);
    rows.push_back(&u.random);
    size_t width = std::string("method").size();
    for (const UniformityMethod* m : rows) width = std::max(width, m->method.size());
    std::printf("KL from uniform in bits (Miller-Madow corrected), %s analysed\n", u.scope.describe().c_str());
    std::printf("%-*s  %10s", int(width), "method", "bits");
    for (int n : shown) std::printf("  %8s", ("n=" + std::to_string(n)).c_str());
    std::printf("  %16s\n", "tokens (k bits)");
    for (const UniformityMethod* m : rows) {
        std::printf("%-*s  %10llu", int(width), m->method.c_str(), static_cast<unsigned long long>(m->bits));
        for (int n : shown) std::printf("  %8.4f", m->ngramKl[size_t(n - 1)].kl);
        std::printf("  %10.4f (%2d)\n", m->tokenKl.kl, m->tokenKl.n);
    }
    std::printf("\n5th-95th percentile bands over %d partitions: --json.\n%s\n", uo.partitions, kPaperUniformityNote);
    return 0;
}

}  // namespace eqlab::cli
