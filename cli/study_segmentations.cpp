// eqlab-cli study segmentations: the text cut five ways (Equal-Info windows,
// entropy patches global and monotonic, SentencePiece pieces, fixed chunks).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cli_common.h"
#include "studies/segmentations.h"
#include "study_commands.h"

namespace eqlab::cli {

namespace {

constexpr size_t kSparkLengths = 16;  // the table's histogram: lengths 1..15, then 16 and longer in one bar

// Segment lengths 1, 2, ..., kSparkLengths+ as a bar of block characters, each scaled to the commonest.
std::string sparkline(const std::vector<uint64_t>& histogram) {
    static const char* const kBars[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    std::vector<uint64_t> bins(kSparkLengths, 0);
    for (size_t n = 1; n < histogram.size(); ++n) bins[std::min(n, kSparkLengths) - 1] += histogram[n];
    const uint64_t top = *std::max_element(bins.begin(), bins.end());
    std::string out;
    for (uint64_t c : bins) out += kBars[c == 0 ? 0 : 1 + size_t(7 * c / std::max<uint64_t>(top, 1))];
    return out;
}

QJsonArray numbers(const std::vector<uint64_t>& v) {
    QJsonArray a;
    for (uint64_t s : v) a.append(double(s));
    return a;
}

}  // namespace

int studySegmentations(const QStringList& args) {
    QCommandLineParser p;
    StudyCliOptions common;
    common.add(p);
    const SegmentationsOptions defaults;
    QCommandLineOption window{
        {"b", "window-bits"}, "Equal-Info window size b in bits (k = 8).", "B", QString::number(defaults.windowBits)};
    QCommandLineOption threshold{"threshold",
                                 "Entropy patches: a patch starts where M1's next-byte entropy exceeds H bits (0..8).",
                                 "H", QString::number(defaults.entropyThreshold)};
    QCommandLineOption rise{"rise", "Monotonic entropy patches: where the entropy rises by more than R bits (-8..8).",
                            "R", QString::number(defaults.monotonicThreshold)};
    QCommandLineOption fixed{"fixed", "Fixed chunks of N bytes.", "N", QString::number(defaults.fixedBytes)};
    QCommandLineOption noStarts{"no-starts",
                                "With --json, leave out each row's segment starts and the per-byte entropy "
                                "(for big inputs: they hold a number per segment and per byte)."};
    for (auto* o : {&window, &threshold, &rise, &fixed, &noStarts}) p.addOption(*o);
    if (!parseStudy(p, args,
                    "eqlab-cli study segmentations [-b B] [--threshold H] [--rise R] [--fixed N] [--no-starts] "
                    "[options] [--json] [IN]\n"
                    "The text cut five ways: Equal-Info windows of b bits, entropy patches (global and "
                    "monotonic, on M1's next-byte entropy), SentencePiece pieces and fixed chunks of N bytes. "
                    "JSON length_histogram[n] counts the segments of n bytes."))
        return 0;
    SegmentationsOptions seg;
    seg.windowBits = CodecOptions::toInt(p, window);
    seg.entropyThreshold = numberOf(p, threshold);
    seg.monotonicThreshold = numberOf(p, rise);
    bool ok = false;
    seg.fixedBytes = p.value(fixed).toULongLong(&ok);
    if (!ok || seg.fixedBytes == 0)
        throw InvalidArgument("--fixed expects a positive byte count, got '" + p.value(fixed).toStdString() + "'");
    std::string inputName;
    const std::vector<uint8_t> data = studyInput(p, &inputName);
    const StudyOptions options = common.options(p);
    const Segmentations s = runSegmentations(data.data(), data.size(), seg, options);
    noteScope(s.scope);

    if (p.isSet(common.json)) {
        const bool withStarts = !p.isSet(noStarts);
        QJsonObject o;
        o["scope"] = scopeJson(s.scope);
        o["model"] = QString::fromStdString(s.modelName);
        QJsonArray rows;
        for (const SegmentationRow& r : s.rows) {
            QJsonObject row;
            row["name"] = QString::fromStdString(r.name);
            row["segments"] = double(r.starts.size());
            row["mean_bytes"] = r.meanBytes;
            row["length_histogram"] = numbers(r.lengthHistogram);
            if (withStarts) row["starts"] = numbers(r.starts);
            rows.append(row);
        }
        o["rows"] = rows;
        if (withStarts) {
            QJsonArray entropy;
            for (float h : s.entropy) entropy.append(std::round(double(h) * 1000) / 1000);
            o["entropy"] = entropy;
        }
        printJson(QJsonDocument(o));
        return 0;
    }
    double meanEntropy = 0;
    for (float h : s.entropy) meanEntropy += h;
    meanEntropy /= double(std::max<size_t>(s.entropy.size(), 1));
    std::printf("segmentations of %s (%s); next-byte entropy under %s: mean %.3f bits\n", inputName.c_str(),
                s.scope.describe().c_str(), s.modelName.c_str(), meanEntropy);
    std::printf("%-24s %9s %10s %8s  %s\n", "row", "segments", "mean bytes", "longest", "lengths 1..16+");
    for (const SegmentationRow& r : s.rows)
        std::printf("%-24s %9zu %10.3f %8zu  |%s|\n", r.name.c_str(), r.starts.size(), r.meanBytes,
                    size_t(r.longestBytes), sparkline(r.lengthHistogram).c_str());
    return 0;
}

}  // namespace eqlab::cli
