// Studies "segmentations" and "position-accuracy": the byte models' full
// next-byte distribution (ByteModel::probabilities) and its entropy, patch
// starts on hand-made entropy vectors, every row of the five cuts, M2's
// accuracy by position from a hand-written log, and both CLI subcommands.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <limits>
#include <numeric>

#include "analysis/paper_figures.h"
#include "base/errors.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "cli_run.h"
#include "m2/m2_trainer.h"
#include "m2/run_record.h"
#include "methods/default_models.h"
#include "models/model_files.h"
#include "models/uniform_model.h"
#include "models/unigram_model.h"
#include "studies/position_accuracy.h"
#include "studies/segmentations.h"
#include "test_inputs.h"

using namespace eqlab;
using test::cli;
using Run = test::CliRun;

namespace {

using Starts = std::vector<uint64_t>;

std::vector<uint8_t> sampleBytes(size_t n) {
    std::vector<uint8_t> t = test::sampleText();
    t.resize(std::min(n, t.size()));
    return t;
}

// The entropy of w / sum(w), written out the textbook way.
double entropyByHand(const std::vector<float>& w) {
    double sum = 0;
    for (float p : w) sum += p;
    double h = 0;
    for (float p : w)
        if (p > 0) h -= (p / sum) * std::log2(p / sum);
    return h;
}

// A byte model with only a CDF: what ByteModel::probabilities' default reads.
class CdfOnlyModel final : public ByteModel {
public:
    explicit CdfOnlyModel(UnigramModel m) : inner_(std::move(m)) {}
    ModelKind kind() const override { return ModelKind::Unigram; }
    std::string name() const override { return "cdf only"; }
    std::string hash() const override { return inner_.hash(); }
    std::vector<uint8_t> serialize() const override { return {}; }
    void reset() override {}
    const Cdf& cdf(int precision) override { return inner_.cdf(precision); }
    void advance(uint8_t) override {}
    std::unique_ptr<ByteModel> clone() const override { return std::make_unique<CdfOnlyModel>(*this); }

private:
    UnigramModel inner_;
};

m2::EvalPoint evalPoint(int64_t step, std::vector<double> byPosition) {
    m2::EvalPoint p;
    p.step = step;
    p.tokensSeen = uint64_t(step) * 100;
    p.bytesSeen = uint64_t(step) * 250;
    p.validBitsPerToken = 7.5;
    p.accuracyByPosition = std::move(byPosition);
    return p;
}

// A run folder as the trainer leaves it: log.csv in m2's format (its own
// writer) and, with a method, run.json.
void writeRun(const QString& dir, const std::vector<m2::EvalPoint>& points, int positions, const std::string& method) {
    QDir().mkpath(dir);
    std::string csv = m2::logHeader(positions);
    for (const m2::EvalPoint& p : points) csv += m2::logRow(p);
    writeFile((dir + "/log.csv").toStdString(), reinterpret_cast<const uint8_t*>(csv.data()), csv.size());
    if (method.empty()) return;
    m2::RunRecord r;
    r.name = "hand-made";
    r.method = method;
    r.status = "finished";
    m2::writeRunRecord(dir.toStdString(), r);
}

// Accuracy by position (4 positions) at steps 10, 20, 30. Half of each final value is first reached:
// position 0 (final .4, half .2) at 10, 1 (.3 -> .15) at 30, 2 (.3 -> .15) at 20, 3 (.2 -> .1) at 10.
// Learned order: 0 and 3 (tie at step 10, by position), 2, 1.
const std::vector<m2::EvalPoint> kHandLog = {
    evalPoint(10, {0.2, 0.0, 0.05, 0.1}),
    evalPoint(20, {0.4, 0.1, 0.2, 0.1}),
    evalPoint(30, {0.4, 0.3, 0.3, 0.2}),
};

}  // namespace

class TestSegmentations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // ---- the full next-byte distribution -------------------------------

    void uniformEntropyIsEightBits() {
        UniformModel u;
        const std::vector<uint8_t> text = sampleBytes(500);
        const std::vector<float> h = nextByteEntropy(text.data(), text.size(), u, {});
        QCOMPARE(h.size(), text.size());
        for (float x : h) QCOMPARE(x, 8.0f);  // exactly: 256 x 1/256 x log2 256
    }

    void unigramEntropyIsItsDistributions() {
        const std::vector<uint8_t> text = sampleBytes(3000);
        UnigramModel m = UnigramModel::fit(text.data(), text.size(), "sample");
        const double expected = entropyByHand(m.probabilities());
        QVERIFY(expected > 3 && expected < 6);  // English text: about 4.5 bits
        const std::vector<float> h = nextByteEntropy(text.data(), text.size(), m, {});
        QCOMPARE(h.size(), text.size());
        for (float x : h) QVERIFY2(std::abs(double(x) - expected) < 1e-5, qPrintable(QString::number(x)));
    }

    // The hook is the coder's own distribution: quantising the floats gives exactly the Cdf it codes with.
    void probabilitiesAreWhatTheCdfQuantises() {
        const std::vector<uint8_t> text = sampleBytes(200);
        std::vector<std::unique_ptr<ByteModel>> models;
        models.push_back(std::make_unique<UniformModel>());
        models.push_back(std::make_unique<UnigramModel>(UnigramModel::fit(text.data(), text.size(), "sample")));
        models.push_back(loadByteModel(defaultM1Path()));  // the tiny M1 (EQLAB_DEFAULT_M1)
        for (auto& m : models) {
            m->reset();
            m->setLookahead(text.data(), text.size());
            float p[kAlphabet];
            for (size_t i = 0; i < 80; ++i) {
                m->probabilities(p);
                double sum = 0;
                for (float x : p) {
                    QVERIFY(x >= 0);
                    sum += x;
                }
                QVERIFY2(std::abs(sum - 1) < 1e-4, m->name().c_str());
                for (int precision : {kMinPrecision, 14, kDefaultPrecision, kMaxPrecision}) {
                    Cdf q;
                    quantizeProbabilities(p, precision, q);
                    QVERIFY2(q.cum == m->cdf(precision).cum, m->name().c_str());
                }
                m->advance(text[i]);
            }
        }
    }

    void defaultProbabilitiesReadTheFinestCdf() {
        const std::vector<uint8_t> text = sampleBytes(2000);
        CdfOnlyModel m(UnigramModel::fit(text.data(), text.size(), "sample"));
        float p[kAlphabet];
        m.probabilities(p);
        const Cdf& c = m.cdf(kMaxPrecision);
        double sum = 0;
        for (int s = 0; s < kAlphabet; ++s) {
            QCOMPARE(double(p[s]), double(c.freq(s)) / double(1 << kMaxPrecision));
            sum += p[s];
        }
        QCOMPARE(sum, 1.0);
    }

    void m1EntropyIsADistributionsEntropy() {
        const std::vector<uint8_t> text = sampleBytes(600);
        auto m1 = loadByteModel(defaultM1Path());
        const std::vector<float> h = nextByteEntropy(text.data(), text.size(), *m1, {});
        QCOMPARE(h.size(), text.size());
        for (float x : h) QVERIFY(x >= 0 && x <= 8);
        // Not the uniform model's: the context matters somewhere.
        QVERIFY(*std::min_element(h.begin(), h.end()) < *std::max_element(h.begin(), h.end()));
        // One context over the whole text: the first byte's entropy is the empty context's, the same after reset().
        float p[kAlphabet], q[kAlphabet];
        m1->reset();
        m1->probabilities(p);
        std::vector<float> w(p, p + kAlphabet);
        QVERIFY(std::abs(entropyByHand(w) - h[0]) < 1e-5);
        // And byte 10's is the context of bytes 0..9, fed one at a time without a lookahead.
        m1->reset();
        for (size_t i = 0; i < 10; ++i) m1->advance(text[i]);
        m1->probabilities(q);
        QVERIFY(std::abs(entropyByHand(std::vector<float>(q, q + kAlphabet)) - h[10]) < 1e-5);
    }

    void entropyPassReportsAndCancels() {
        const std::vector<uint8_t> text = sampleBytes(5000);
        UniformModel u;
        uint64_t last = 0;
        nextByteEntropy(text.data(), text.size(), u, [&](uint64_t done, uint64_t total) {
            last = done;
            return total == text.size();
        });
        QCOMPARE(last, uint64_t(text.size()));
        QVERIFY_THROWS_EXCEPTION(
            Cancelled, nextByteEntropy(text.data(), text.size(), u, [](uint64_t, uint64_t) { return false; }));
    }

    // ---- cutting -------------------------------------------------------

    void patchStarts_data() {
        QTest::addColumn<double>("threshold");
        QTest::addColumn<bool>("monotonic");
        QTest::addColumn<Starts>("expected");
        // entropy {1, 5, 1, 1, 6, 2}
        QTest::newRow("global 2") << 2.0 << false << Starts{0, 1, 4};
        QTest::newRow("global 0: every byte") << 0.0 << false << Starts{0, 1, 2, 3, 4, 5};
        QTest::newRow("global 5: strictly above") << 5.0 << false << Starts{0, 4};
        QTest::newRow("global 8: only 0") << 8.0 << false << Starts{0};
        QTest::newRow("rise 3") << 3.0 << true << Starts{0, 1, 4};  // rises +4, -4, 0, +5, -4
        QTest::newRow("rise 0: any rise") << 0.0 << true << Starts{0, 1, 4};
        QTest::newRow("rise -1: also level") << -1.0 << true << Starts{0, 1, 3, 4};
        QTest::newRow("rise -8: every byte") << -8.0 << true << Starts{0, 1, 2, 3, 4, 5};
        QTest::newRow("rise 4: strictly above") << 4.0 << true << Starts{0, 4};
    }
    void patchStarts() {
        QFETCH(double, threshold);
        QFETCH(bool, monotonic);
        QFETCH(Starts, expected);
        const std::vector<float> entropy = {1, 5, 1, 1, 6, 2};
        QCOMPARE(entropyPatchStarts(entropy, threshold, monotonic), expected);
        const SegmentationRow row = entropyRow(entropy, threshold, monotonic);
        QCOMPARE(row.starts, expected);
        QCOMPARE(row.meanBytes, 6.0 / double(expected.size()));
    }

    void rowNames() {
        const std::vector<float> e = {1, 2};
        QCOMPARE(QString::fromStdString(entropyRow(e, 2, false).name), QString("entropy > 2.0"));
        QCOMPARE(QString::fromStdString(entropyRow(e, 0.5, true).name), QString("entropy rise > 0.5"));
        QCOMPARE(QString::fromStdString(entropyRow(e, 1.25, false).name), QString("entropy > 1.25"));
    }

    void thresholdsOutOfRangeThrow_data() {
        QTest::addColumn<double>("threshold");
        QTest::addColumn<bool>("monotonic");
        QTest::newRow("global -0.1") << -0.1 << false;
        QTest::newRow("global 8.01") << 8.01 << false;
        QTest::newRow("global 9") << 9.0 << false;
        QTest::newRow("global NaN") << std::numeric_limits<double>::quiet_NaN() << false;
        QTest::newRow("rise -8.5") << -8.5 << true;
        QTest::newRow("rise 9") << 9.0 << true;
        QTest::newRow("rise inf") << std::numeric_limits<double>::infinity() << true;
    }
    void thresholdsOutOfRangeThrow() {
        QFETCH(double, threshold);
        QFETCH(bool, monotonic);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, entropyPatchStarts({1, 2, 3}, threshold, monotonic));
        // The study checks before it codes anything (the model path would fail otherwise).
        SegmentationsOptions seg;
        (monotonic ? seg.monotonicThreshold : seg.entropyThreshold) = threshold;
        StudyOptions o;
        o.m1Path = "/nonexistent/m1.eqm1";
        const std::vector<uint8_t> text = sampleBytes(100);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, runSegmentations(text.data(), text.size(), seg, o));
    }

    void otherBadOptionsThrow() {
        const std::vector<uint8_t> text = sampleBytes(100);
        StudyOptions o;
        o.m1Path = "/nonexistent/m1.eqm1";
        SegmentationsOptions seg;
        seg.fixedBytes = 0;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, runSegmentations(text.data(), text.size(), seg, o));
        seg = {};
        seg.windowBits = 12;  // not a multiple of k = 8
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, runSegmentations(text.data(), text.size(), seg, o));
        seg = {};
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, runSegmentations(text.data(), 0, seg, o));  // empty text
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, entropyPatchStarts({}, 2, false));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, fixedChunkStarts(10, 0));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, fixedChunkStarts(0, 4));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument,
                                 segmentationRow(SegmentationKind::Fixed, "x", {1, 3}, 10));  // not from 0
        QVERIFY_THROWS_EXCEPTION(InvalidArgument,
                                 segmentationRow(SegmentationKind::Fixed, "x", {0, 3, 3}, 10));  // not ascending
        QVERIFY_THROWS_EXCEPTION(InvalidArgument,
                                 segmentationRow(SegmentationKind::Fixed, "x", {0, 10}, 10));  // past the end
    }

    void fixedChunksAndTheirHistogram() {
        QCOMPARE(fixedChunkStarts(10, 4), (Starts{0, 4, 8}));
        QCOMPARE(fixedChunkStarts(8, 4), (Starts{0, 4}));
        QCOMPARE(fixedChunkStarts(3, 4), (Starts{0}));
        const SegmentationRow r = segmentationRow(SegmentationKind::Fixed, "fixed 4", fixedChunkStarts(10, 4), 10);
        QCOMPARE(r.lengthHistogram, (std::vector<uint64_t>{0, 0, 1, 0, 2}));  // two of 4 bytes, one of 2
        QCOMPARE(r.meanBytes, 10.0 / 3);
        QCOMPARE(r.shortestBytes, uint64_t(2));
        QCOMPARE(r.longestBytes, uint64_t(4));
        // One segment of 20 MB: the histogram stays bounded, its last entry counts the long ones.
        const SegmentationRow one = segmentationRow(SegmentationKind::Fixed, "one", {0, 3}, 20'000'000);
        QCOMPARE(one.lengthHistogram.size(), size_t(kMaxSegmentLengthBucket + 1));
        QCOMPARE(one.lengthHistogram[3], uint64_t(1));
        QCOMPARE(one.lengthHistogram.back(), uint64_t(1));
        QCOMPARE(one.longestBytes, uint64_t(20'000'000 - 3));
    }

    // ---- the study -----------------------------------------------------

    void equalInfoRowIsTheTracesWindows() {
        const std::vector<uint8_t> text = sampleBytes(1500);
        const ModelSet m = studyModels(Method::EqualInfoAc, {});
        CodecParams p;
        p.windowBits = 24;
        EncodeOptions eo;
        eo.trace = true;
        const Encoded e = encode(text.data(), text.size(), p, m, eo);
        Starts windows;
        for (const Segment& s : e.trace.segments) windows.push_back(s.byteBegin);
        QCOMPARE(e.trace.segmentKind, std::string("window"));
        QVERIFY(windows.size() > 100);
        const SegmentationRow r = equalInfoRow(text.data(), text.size(), 24, m, /*threads=*/2, {});
        QCOMPARE(r.starts, windows);
        QCOMPARE(QString::fromStdString(r.name), QString("eqinfo-ac[b=24,v=256]"));
        QCOMPARE(r.meanBytes, double(text.size()) / double(e.windows));
    }

    void studyCutsTheTextFiveWays() {
        const std::vector<uint8_t> text = sampleBytes(4000);
        StudyOptions o;
        o.maxBytes = 2000;
        SegmentationsOptions seg;
        seg.fixedBytes = 7;
        const Segmentations s = runSegmentations(text.data(), text.size(), seg, o);
        QCOMPARE(s.scope.analysedBytes, uint64_t(2000));
        QVERIFY(s.scope.truncated());
        QCOMPARE(s.entropy.size(), size_t(2000));
        QVERIFY(!s.modelName.empty());
        QCOMPARE(s.rows.size(), size_t(5));
        const QStringList names = {"eqinfo-ac[b=16,v=256]", "entropy > 2.0", "entropy rise > 1.0", "sentencepiece",
                                   "fixed 7"};
        const SegmentationKind kinds[] = {SegmentationKind::EqualInfo, SegmentationKind::Entropy,
                                          SegmentationKind::EntropyRise, SegmentationKind::SentencePiece,
                                          SegmentationKind::Fixed};
        for (size_t i = 0; i < s.rows.size(); ++i) {
            const SegmentationRow& r = s.rows[i];
            QCOMPARE(QString::fromStdString(r.name), names[int(i)]);
            QCOMPARE(r.kind, kinds[i]);
            // Every row covers the analysed text: from 0, ascending, lengths summing to it.
            QCOMPARE(r.starts.front(), uint64_t(0));
            QVERIFY(std::is_sorted(r.starts.begin(), r.starts.end()));
            QVERIFY(r.starts.back() < 2000);
            uint64_t covered = 0, segments = 0;
            for (size_t n = 1; n < r.lengthHistogram.size(); ++n) {
                covered += n * r.lengthHistogram[n];
                segments += r.lengthHistogram[n];
            }
            QCOMPARE(covered, uint64_t(2000));
            QCOMPARE(segments, uint64_t(r.starts.size()));
        }
        // The entropy rows are the entropy's patches; the study's own vector redraws them.
        QCOMPARE(s.rows[1].starts, entropyPatchStarts(s.entropy, 2.0, false));
        QCOMPARE(s.rows[2].starts, entropyPatchStarts(s.entropy, 1.0, true));
        QCOMPARE(s.rows[4].starts, fixedChunkStarts(2000, 7));
    }

    void sentencePieceRowCoversTheText() {
        // Text with bytes SentencePiece escapes (NUL, invalid UTF-8) and splits into byte pieces.
        std::vector<uint8_t> text = sampleBytes(1200);
        const std::vector<uint8_t> junk = test::randomBytes(200, 7);
        text.insert(text.begin() + 300, junk.begin(), junk.end());
        text.insert(text.begin() + 10, 3, 0);
        StudyOptions o;
        const Segmentations s = runSegmentations(text.data(), text.size(), {}, o);
        const SegmentationRow& sp = s.rows[3];
        QCOMPARE(QString::fromStdString(sp.name), QString("sentencepiece"));
        // Its starts are where the pieces begin, each once.
        const ModelSet m = studyModels(Method::SentencePiece, o);
        CodecParams p;
        p.method = Method::SentencePiece;
        EncodeOptions eo;
        eo.trace = true;
        const Encoded e = encode(text.data(), text.size(), p, m, eo);
        Starts begins;
        for (const TokenSpan& t : e.trace.tokens)
            if (begins.empty() || t.byteBegin > begins.back()) begins.push_back(t.byteBegin);
        QCOMPARE(sp.starts, begins);
        QVERIFY(sp.starts.size() < e.tokens.size());  // the escaped bytes' pieces share their byte
        QVERIFY(sp.meanBytes > 1.5);
    }

    // ---- position accuracy ---------------------------------------------

    void positionAccuracyFromAHandWrittenLog() {
        QTemporaryDir dir;
        const QString run = dir.filePath("run");
        writeRun(run, kHandLog, 4, "eqinfo-ac[b=32,v=256]");
        const PositionAccuracy a = readPositionAccuracy(run.toStdString());
        QCOMPARE(a.runDir, run.toStdString());
        QCOMPARE(QString::fromStdString(a.method), QString("eqinfo-ac[b=32,v=256]"));
        QCOMPARE(a.points.size(), size_t(3));
        QCOMPARE(a.points[1].step, int64_t(20));
        QCOMPARE(a.points[1].accuracyByPosition, (std::vector<double>{0.4, 0.1, 0.2, 0.1}));
        QCOMPARE(a.learnedOrder, (std::vector<int>{0, 3, 2, 1}));
        QCOMPARE(a.paperNote, std::string(kPaperPositionAccuracyNote));
    }

    void positionAccuracyPointsInStepOrder() {
        QTemporaryDir dir;
        writeRun(dir.path(), {kHandLog[2], kHandLog[0], kHandLog[1]}, 4, "");
        const PositionAccuracy a = readPositionAccuracy(dir.path().toStdString());
        QCOMPARE(a.method, std::string());  // no run.json yet
        QCOMPARE(a.points.front().step, int64_t(10));
        QCOMPARE(a.points.back().step, int64_t(30));
        QCOMPARE(a.learnedOrder, (std::vector<int>{0, 3, 2, 1}));
    }

    // A position M2 got nothing right at by the end was not learned, and is not in the order.
    void positionAccuracyLeavesUnlearnedPositionsOut() {
        const std::vector<PositionAccuracyPoint> points = {{10, {0.0, 0.1, 0.0}}, {20, {0.2, 0.1, 0.0}}};
        QCOMPARE(learnedOrder(points), (std::vector<int>{1, 0}));
        QCOMPARE(learnedOrder({{10, {0.0, 0.0}}}), std::vector<int>());
    }

    void positionAccuracyErrorsNameThePath() {
        QTemporaryDir dir;
        const std::string missing = dir.filePath("nothing-here").toStdString();
        try {
            readPositionAccuracy(missing);
            QFAIL("no error for a missing folder");
        } catch (const IoError& e) {
            QVERIFY(std::string(e.what()).find(missing) != std::string::npos);
        }
        const QString empty = dir.filePath("empty");
        QDir().mkpath(empty);
        try {
            readPositionAccuracy(empty.toStdString());
            QFAIL("no error for a folder without a log");
        } catch (const IoError& e) {
            QVERIFY(std::string(e.what()).find("log.csv") != std::string::npos);
        }
        // A bytes run: a log without per-position accuracy.
        const QString bytes = dir.filePath("bytes");
        writeRun(bytes, {evalPoint(10, {}), evalPoint(20, {})}, 0, "bytes");
        try {
            readPositionAccuracy(bytes.toStdString());
            QFAIL("no error for a bytes run");
        } catch (const FormatError& e) {
            QVERIFY2(std::string(e.what()).find("not an eqinfo-ac run: no accuracy by position") != std::string::npos,
                     e.what());
            QVERIFY(std::string(e.what()).find(bytes.toStdString()) != std::string::npos);
        }
        // A log with no evaluation yet, and a damaged one.
        const QString fresh = dir.filePath("fresh");
        writeRun(fresh, {}, 4, "");
        QVERIFY_THROWS_EXCEPTION(FormatError, readPositionAccuracy(fresh.toStdString()));
        const QString damaged = dir.filePath("damaged");
        QDir().mkpath(damaged);
        const std::string bad = m2::logHeader(2) + "10,x,0,0,0,0,0,0,0,0.1,0.2\n";
        writeFile((damaged + "/log.csv").toStdString(), reinterpret_cast<const uint8_t*>(bad.data()), bad.size());
        QVERIFY_THROWS_EXCEPTION(FormatError, readPositionAccuracy(damaged.toStdString()));
        const QString notALog = dir.filePath("not-a-log");
        QDir().mkpath(notALog);
        const std::string text = "hello\n";
        writeFile((notALog + "/log.csv").toStdString(), reinterpret_cast<const uint8_t*>(text.data()), text.size());
        QVERIFY_THROWS_EXCEPTION(FormatError, readPositionAccuracy(notALog.toStdString()));
    }

    // ---- the CLI -------------------------------------------------------

    void cliSegmentations() {
        QTemporaryDir dir;
        const QString in = dir.filePath("in.txt");
        writeFile(in.toStdString(), sampleBytes(1500));
        Run r = cli(
            {"study", "segmentations", "-b", "24", "--threshold", "3", "--rise", "0.5", "--fixed", "5", "--json", in});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["scope"].toObject()["analysed_bytes"].toDouble(), 1500.0);
        QVERIFY(!o["model"].toString().isEmpty());
        const QJsonArray rows = o["rows"].toArray();
        QCOMPARE(rows.size(), 5);
        QCOMPARE(rows[0].toObject()["name"].toString(), QString("eqinfo-ac[b=24,v=256]"));
        QCOMPARE(rows[1].toObject()["name"].toString(), QString("entropy > 3.0"));
        QCOMPARE(rows[2].toObject()["name"].toString(), QString("entropy rise > 0.5"));
        QCOMPARE(rows[4].toObject()["name"].toString(), QString("fixed 5"));
        QCOMPARE(rows[4].toObject()["segments"].toDouble(), 300.0);
        QCOMPARE(rows[4].toObject()["mean_bytes"].toDouble(), 5.0);
        QCOMPARE(rows[4].toObject()["length_histogram"].toArray().size(), 6);
        QCOMPARE(rows[4].toObject()["length_histogram"].toArray()[5].toDouble(), 300.0);
        QCOMPARE(rows[4].toObject()["starts"].toArray()[1].toDouble(), 5.0);
        QCOMPARE(rows[1].toObject()["starts"].toArray().size(), int(rows[1].toObject()["segments"].toDouble()));
        const QJsonArray entropy = o["entropy"].toArray();
        QCOMPARE(entropy.size(), 1500);
        for (const QJsonValue& h : entropy) QVERIFY(h.toDouble() >= 0 && h.toDouble() <= 8);

        r = cli({"study", "segmentations", "--no-starts", "--json", in});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject lean = QJsonDocument::fromJson(r.out).object();
        QVERIFY(!lean.contains("entropy"));
        QVERIFY(!lean["rows"].toArray()[0].toObject().contains("starts"));
        QVERIFY(lean["rows"].toArray()[0].toObject().contains("length_histogram"));

        r = cli({"study", "segmentations", in});  // the table
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("sentencepiece"));

        r = cli({"study", "segmentations", "--threshold", "9", in});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("threshold"), qPrintable(r.err));
        r = cli({"study", "segmentations", "--fixed", "0", in});
        QCOMPARE(r.code, 2);
    }

    void cliPositionAccuracy() {
        QTemporaryDir dir;
        const QString run = dir.filePath("run");
        writeRun(run, kHandLog, 4, "eqinfo-ac[b=32,v=256]");
        Run r = cli({"study", "position-accuracy", "--json", run});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["run"].toString(), run);
        QCOMPARE(o["method"].toString(), QString("eqinfo-ac[b=32,v=256]"));
        const QJsonArray points = o["points"].toArray();
        QCOMPARE(points.size(), 3);
        QCOMPARE(points[2].toObject()["step"].toDouble(), 30.0);
        QCOMPARE(points[2].toObject()["accuracy_by_position"].toArray()[1].toDouble(), 0.3);
        QList<int> order;
        for (const QJsonValue& v : o["learned_order"].toArray()) order << v.toInt();
        QCOMPARE(order, (QList<int>{0, 3, 2, 1}));
        QCOMPARE(o["paper_note"].toString(), QString(kPaperPositionAccuracyNote));

        r = cli({"study", "position-accuracy", run});  // the table
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("tokens 1, 4, 3, 2"));

        const QString empty = dir.filePath("empty");
        QDir().mkpath(empty);
        r = cli({"study", "position-accuracy", "--json", empty});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("log.csv"), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        r = cli({"study", "position-accuracy"});
        QCOMPARE(r.code, 2);
    }
};

QTEST_GUILESS_MAIN(TestSegmentations)
#include "tst_segmentations.moc"
