// The two studies of token streams (core/studies/stability.h, uniformity.h):
// Levenshtein distance between tokenizations, and KL divergence from uniform
// of bit n-grams, each pinned on fixtures whose answer is known by hand, and
// their eqlab-cli subcommands run once each.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "cli_run.h"
#include "studies/stability.h"
#include "studies/uniformity.h"
#include "test_inputs.h"

using namespace eqlab;
using test::cli;
using Run = test::CliRun;

namespace {

std::vector<uint32_t> tokensOf(const std::string& s) {
    return {s.begin(), s.end()};
}

CodecParams method(Method m) {
    CodecParams p;
    p.method = m;
    return p;
}

// The message of the InvalidArgument f throws ("" when it throws none).
template <class F>
QString invalidArgumentOf(F&& f) {
    try {
        f();
    } catch (const InvalidArgument& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

}  // namespace

class TestStreamStudies : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // ---- stability --------------------------------------------------------

    void levenshteinOfKnownLists_data() {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("distance");
        QTest::newRow("kitten/sitting") << "kitten"
                                        << "sitting" << 3;
        QTest::newRow("empty/empty") << ""
                                     << "" << 0;
        QTest::newRow("empty/five") << ""
                                    << "abcde" << 5;
        QTest::newRow("identical") << "the same tokens"
                                   << "the same tokens" << 0;
        QTest::newRow("one substitution") << "abc"
                                          << "abd" << 1;
        QTest::newRow("prepended") << "sentence"
                                   << "a sentence" << 2;
        QTest::newRow("all different") << "abcd"
                                       << "wxyz" << 4;
        QTest::newRow("flaw/lawn") << "flaw"
                                   << "lawn" << 2;
    }
    void levenshteinOfKnownLists() {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, distance);
        const auto ta = tokensOf(a.toStdString()), tb = tokensOf(b.toStdString());
        QCOMPARE(levenshtein(ta, tb), uint64_t(distance));
        QCOMPARE(levenshtein(tb, ta), uint64_t(distance));  // symmetric
    }

    void parseWordList_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("words");
        QTest::newRow("one per line") << QByteArray("the\nhowever\nParis") << QStringList{"the", "however", "Paris"};
        QTest::newRow("empty lines") << QByteArray("\n\nthe\n\n\nyesterday\n\n") << QStringList{"the", "yesterday"};
        QTest::newRow("CRLF") << QByteArray("the\r\nhowever\r\n\r\nParis\r\n")
                              << QStringList{"the", "however", "Paris"};
        QTest::newRow("surrounding spaces") << QByteArray("  the \t\n\tNew York  \n") << QStringList{"the", "New York"};
        QTest::newRow("UTF-8") << QByteArray("caf\xC3\xA9\n\xE6\x97\xA5\xE6\x9C\xAC\n")
                               << QStringList{QString::fromUtf8("caf\xC3\xA9"),
                                              QString::fromUtf8("\xE6\x97\xA5\xE6\x9C\xAC")};
    }
    void parseWordList() {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, words);
        QStringList got;
        for (const std::string& w : eqlab::parseWordList(text.toStdString())) got << QString::fromStdString(w);
        QCOMPARE(got, words);
    }

    void parseWordListRejects_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("invalid UTF-8 names its line") << QByteArray("the\n\nbad \xFF word\nParis\n") << "line 3";
        QTest::newRow("invalid UTF-8 after CRLF") << QByteArray("a\r\nb\r\n\xC3(\r\n") << "line 3";
        QTest::newRow("a truncated sequence") << QByteArray("ok\n\xE6\x97") << "line 2";
        QTest::newRow("only blanks") << QByteArray("\n  \n\t\r\n") << "no words";
        QTest::newRow("empty") << QByteArray() << "no words";
    }
    void parseWordListRejects() {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        const QString m = invalidArgumentOf([&] { eqlab::parseWordList(text.toStdString()); });
        QVERIFY2(m.contains(message), qPrintable("got: '" + m + "'"));
    }

    void shippedDefaultsAreUsable() {
        const std::string& s = defaultStabilitySentence();
        size_t words = 1;
        for (char c : s) words += c == ' ';
        QVERIFY(words >= 15 && words <= 25);
        QVERIFY(defaultStabilityWords().size() >= 90 && defaultStabilityWords().size() <= 120);
        for (const std::string& w : defaultStabilityWords()) QVERIFY(!w.empty());
    }

    // Bytes are one token per byte: prepending a w-byte word and a space
    // inserts exactly w + 1 tokens and changes no other.
    void bytesDistanceIsTheInsertedBytes() {
        StabilityOptions so;
        so.methods = {method(Method::Bytes)};
        const Stability s = runStability(so, {});
        QCOMPARE(s.methods.size(), size_t(1));
        const StabilityMethod& m = s.methods[0];
        QCOMPARE(m.method, std::string("bytes"));
        QCOMPARE(m.sentenceTokens, uint64_t(so.sentence.size()));
        QCOMPARE(m.pairs.size(), so.words.size());
        double sum = 0;
        uint64_t counted = 0;
        for (size_t i = 0; i < so.words.size(); ++i) {
            const StabilityPair& pair = m.pairs[i];
            const uint64_t w = so.words[i].size();
            QCOMPARE(pair.word, so.words[i]);
            QCOMPARE(pair.distance, w + 1);
            QCOMPARE(pair.tokens, so.sentence.size() + w + 1);
            QCOMPARE(pair.normalised, double(w + 1) / double(pair.tokens));
            QVERIFY(m.histogram[size_t(w + 1)] >= 1);
            sum += double(w + 1);
        }
        for (uint64_t c : m.histogram) counted += c;
        QCOMPARE(counted, uint64_t(so.words.size()));
        QCOMPARE(m.histogram[0], uint64_t(0));
        QVERIFY(std::abs(m.meanDistance - sum / double(so.words.size())) < 1e-12);
    }

    // SentencePiece pieces are words: the sentence's pieces survive, the
    // word's are inserted (figure 8: stable). AC recodes everything after the
    // first byte: most tokens change.
    void sentencePieceIsStableAcIsNot() {
        StabilityOptions so;
        so.methods = {method(Method::SentencePiece), method(Method::Ac)};
        const Stability s = runStability(so, {});
        const StabilityMethod& sp = s.methods[0];
        const StabilityMethod& ac = s.methods[1];
        QCOMPARE(sp.method, std::string("sentencepiece"));
        QVERIFY2(sp.meanNormalised < 0.2, qPrintable(QString::number(sp.meanNormalised)));
        // The word's pieces are inserted and at most the sentence's first
        // piece changes ("The" becomes "\u2581The": no dummy prefix).
        for (const StabilityPair& pair : sp.pairs) QVERIFY2(pair.normalised < 0.35, pair.word.c_str());
        QVERIFY2(ac.meanNormalised > 4 * sp.meanNormalised,
                 qPrintable(QString("ac %1, sentencepiece %2").arg(ac.meanNormalised).arg(sp.meanNormalised)));
    }

    void stabilityRejectsBadInput() {
        StabilityOptions so;
        so.methods = {method(Method::Bytes)};
        so.sentence = "";
        QVERIFY(invalidArgumentOf([&] { runStability(so, {}); }).contains("sentence is empty"));
        so.sentence = "a \xFF sentence";
        QVERIFY(invalidArgumentOf([&] { runStability(so, {}); }).contains("not valid UTF-8"));
        so.sentence = "a sentence";
        so.words = {"fine", "\xC3"};
        QVERIFY(invalidArgumentOf([&] { runStability(so, {}); }).contains("word 2"));
        so.words = {};
        QVERIFY(invalidArgumentOf([&] { runStability(so, {}); }).contains("empty"));
        so.words = {"fine"};
        so.methods = {};
        QVERIFY(!invalidArgumentOf([&] { runStability(so, {}); }).isEmpty());
    }

    void stabilityCancels() {
        StabilityOptions so;
        so.methods = {method(Method::Bytes), method(Method::Gzip)};
        StudyOptions o;
        int calls = 0;
        bool ordered = true;
        o.progress = [&](uint64_t done, uint64_t total) {
            ordered = ordered && done <= total;
            return ++calls < 10;
        };
        QVERIFY_THROWS_EXCEPTION(Cancelled, runStability(so, o));
        QCOMPARE(calls, 10);
        QVERIFY(ordered);
    }

    void methodListKeepsBracketedCommas() {
        const std::vector<CodecParams> m = parseMethodList("ac, eqinfo-ac[b=32,k=16],bytes");
        QCOMPARE(m.size(), size_t(3));
        QCOMPARE(m[0].method, Method::Ac);
        QCOMPARE(m[1].windowBits, 32);
        QCOMPARE(m[1].tokenBits, 16);
        QCOMPARE(m[2].method, Method::Bytes);
        QVERIFY(!invalidArgumentOf([] { parseMethodList(""); }).isEmpty());
        QVERIFY(!invalidArgumentOf([] { parseMethodList("ac,,bytes"); }).isEmpty());
        QVERIFY(!invalidArgumentOf([] { parseMethodList("nonsense"); }).isEmpty());
    }

    // ---- uniformity -------------------------------------------------------

    void ngramCountsByHand() {
        const uint8_t bits0110[] = {0x60};  // 0110 then padding
        const std::vector<uint64_t> c = bitNgramCounts(bits0110, 4, 2);
        QCOMPARE(c, (std::vector<uint64_t>{0, 1, 1, 1}));  // 01, 11, 10
        QCOMPARE(bitNgramCounts(bits0110, 4, 1), (std::vector<uint64_t>{2, 2}));
        QCOMPARE(bitNgramCounts(bits0110, 4, 4)[6], uint64_t(1));
        QCOMPARE(bitNgramCounts(bits0110, 3, 4), std::vector<uint64_t>(16, 0));  // too short: no sample

        // Across a byte boundary: 11111111 00000000 in windows of 8.
        const uint8_t edge[] = {0xFF, 0x00};
        std::vector<uint64_t> expected(256, 0);
        for (uint32_t v : {0xFFu, 0xFEu, 0xFCu, 0xF8u, 0xF0u, 0xE0u, 0xC0u, 0x80u, 0x00u}) expected[v] = 1;
        QCOMPARE(bitNgramCounts(edge, 16, 8), expected);
        QVERIFY(!invalidArgumentOf([&] { bitNgramCounts(edge, 16, 0); }).isEmpty());
        QVERIFY(!invalidArgumentOf([&] { bitNgramCounts(edge, 16, 17); }).isEmpty());
    }

    // One value seen: plugin entropy 0 and m - 1 = 0, so KL is exactly n.
    void constantStreamIsNBitsFromUniform() {
        const std::vector<uint8_t> zeros(125, 0);
        for (int n = 1; n <= kMaxNgramBits; ++n)
            QCOMPARE(klFromUniform(bitNgramCounts(zeros.data(), 1000, n)), double(n));
    }

    void klFromUniformByHand() {
        // A perfectly uniform sample: plugin KL 0; Miller-Madow adds entropy,
        // which would put KL below 0: clamped to 0.
        QCOMPARE(klFromUniform(std::vector<uint64_t>(256, 7)), 0.0);
        // counts {3, 1}: H = 0.811..., MM = 1 / (2 * 4 ln 2).
        const double h = -(0.75 * std::log2(0.75) + 0.25 * std::log2(0.25));
        const double expected = 1.0 - (h + 1.0 / (8.0 * std::log(2.0)));
        QVERIFY(std::abs(klFromUniform({3, 1}) - expected) < 1e-12);
        QVERIFY(expected > 0.008 && expected < 0.009);
        // Half the values, evenly: 1 bit from uniform over 4, less the correction.
        QVERIFY(std::abs(klFromUniform({50, 0, 50, 0}) - (1.0 - 1.0 / (200.0 * std::log(2.0)))) < 1e-12);
        QCOMPARE(klFromUniform({0, 0, 0, 0}), 0.0);  // no samples
        QVERIFY(!invalidArgumentOf([] { klFromUniform({}); }).isEmpty());
    }

    // NUL bytes through the whole pipeline: the bytes method's stream is all
    // zero bits, so every n-gram, token and partition is n bits from uniform.
    void nulBytesThroughTheStudy() {
        const std::vector<uint8_t> nul(4096, 0);
        UniformityOptions uo;
        uo.methods = {method(Method::Bytes)};
        const Uniformity u = runUniformity(nul.data(), nul.size(), uo, {});
        QCOMPARE(u.methods.size(), size_t(1));
        const UniformityMethod& m = u.methods[0];
        QCOMPARE(m.method, std::string("bytes"));
        QCOMPARE(m.bits, uint64_t(8 * 4096));
        QCOMPARE(m.ngramKl.size(), size_t(16));
        for (const KlEstimate& e : m.ngramKl) {
            QCOMPARE(e.kl, double(e.n));
            QCOMPARE(e.p5, double(e.n));
            QCOMPARE(e.p95, double(e.n));
        }
        QCOMPARE(m.tokenKl.n, 8);
        QCOMPARE(m.tokenKl.kl, 8.0);
        QCOMPARE(u.random.bits, m.bits);
        QCOMPARE(u.random.method, std::string("random"));
        QCOMPARE(u.random.tokenKl.n, 8);
    }

    // SentencePiece's tokens are ids of its vocabulary: ceil(log2 v) bits each.
    void sentencePieceTokensTakeTheirStorageBits() {
        const std::vector<uint8_t> text = test::sampleText();
        UniformityOptions uo;
        uo.maxN = 4;
        uo.methods = {method(Method::SentencePiece)};
        const Uniformity u = runUniformity(text.data(), text.size(), uo, {});
        const int vocab = studyModels(Method::SentencePiece, {}).sentencePiece->vocabSize();
        const int bits = int(std::ceil(std::log2(double(vocab))));
        QCOMPARE(u.methods[0].tokenKl.n, bits);
        QCOMPARE(u.methods[0].bits % uint64_t(bits), uint64_t(0));
        QCOMPARE(u.random.tokenKl.n, bits);  // as wide as the longest stream's
        QVERIFY(u.methods[0].tokenKl.kl > u.random.tokenKl.kl);
    }

    // Random bytes are uniform: KL near 0, inside their own band.
    void randomBytesAreNearlyUniform() {
        const std::vector<uint8_t> data = test::randomBytes(100 * 1000, 7);
        UniformityOptions uo;
        uo.methods = {method(Method::Bytes)};
        StudyOptions o;
        o.maxBytes = 0;
        const Uniformity u = runUniformity(data.data(), data.size(), uo, o);
        for (const UniformityMethod* m : {&u.methods[0], &u.random}) {
            QVERIFY2(m->ngramKl[0].kl < 0.01, qPrintable(QString::number(m->ngramKl[0].kl)));
            QVERIFY2(m->ngramKl[7].kl < 0.01, qPrintable(QString::number(m->ngramKl[7].kl)));
            QVERIFY(m->tokenKl.kl < 0.01);
            for (const KlEstimate& e : m->ngramKl) {
                const QString at =
                    m->method.c_str() + QString(" n=%1: kl %2 [%3, %4]").arg(e.n).arg(e.kl).arg(e.p5).arg(e.p95);
                QVERIFY2(e.p5 <= e.p95, qPrintable(at));
                QVERIFY2(e.kl <= e.p95 + 1e-9, qPrintable(at));  // a part has fewer samples: more bias
                QVERIFY2(e.p95 < 0.05 * e.n + 0.05, qPrintable(at));
            }
        }
    }

    // Text is far from uniform where random bytes are not; the random
    // reference takes the longest stream's length.
    void textIsLessUniformThanRandom() {
        const std::vector<uint8_t> text = test::sampleText();
        UniformityOptions uo;
        uo.maxN = 8;
        uo.methods = {method(Method::Bytes), method(Method::Gzip)};
        const Uniformity u = runUniformity(text.data(), text.size(), uo, {});
        const UniformityMethod& bytes = u.methods[0];
        const UniformityMethod& gzip = u.methods[1];
        QCOMPARE(u.random.bits, std::max(bytes.bits, gzip.bits));
        QCOMPARE(bytes.bits, uint64_t(8 * text.size()));
        QVERIFY(bytes.tokenKl.kl > 2.0);  // text bytes: far from uniform (8 bits less their ~4.5 of entropy)
        QVERIFY(gzip.tokenKl.kl < 0.1 * bytes.tokenKl.kl);  // compressed: close
        for (int n : {1, 4, 8}) {
            const QString at = QString("n=%1").arg(n);
            QVERIFY2(gzip.ngramKl[size_t(n - 1)].kl < bytes.ngramKl[size_t(n - 1)].kl, qPrintable(at));
        }
        QVERIFY(u.random.ngramKl[7].kl < gzip.ngramKl[7].kl);  // gzip's headers and codes show at n = 8
    }

    void uniformityValidates_data() {
        QTest::addColumn<int>("maxN");
        QTest::addColumn<int>("partitions");
        QTest::addColumn<int>("bytes");
        QTest::addColumn<QString>("message");
        QTest::newRow("max-n 0") << 0 << 20 << 1000 << "1..16";
        QTest::newRow("max-n 17") << 17 << 20 << 1000 << "1..16";
        QTest::newRow("partitions 0") << 16 << 0 << 1000 << "1..1000";
        QTest::newRow("partitions 1001") << 16 << 1001 << 1000 << "1..1000";
        QTest::newRow("one byte") << 16 << 20 << 1 << "too short";
        QTest::newRow("more partitions than n-grams") << 16 << 63 << 125 << "too short";  // 1000 bits < 63 x 16
        QTest::newRow("empty") << 16 << 20 << 0 << "empty";
    }
    void uniformityValidates() {
        QFETCH(int, maxN);
        QFETCH(int, partitions);
        QFETCH(int, bytes);
        QFETCH(QString, message);
        const std::vector<uint8_t> data(size_t(bytes), 'a');
        UniformityOptions uo;
        uo.maxN = maxN;
        uo.partitions = partitions;
        uo.methods = {method(Method::Bytes)};
        const QString m = invalidArgumentOf([&] { runUniformity(data.data(), data.size(), uo, {}); });
        QVERIFY2(m.contains(message), qPrintable("got: '" + m + "'"));
    }
    void uniformityAtTheLimits() {
        const std::vector<uint8_t> data(125, 'a');  // 1000 bits = 62 x 16 + 8
        UniformityOptions uo;
        uo.partitions = 62;
        uo.methods = {method(Method::Bytes)};
        QCOMPARE(runUniformity(data.data(), data.size(), uo, {}).methods[0].ngramKl.size(), size_t(16));
        uo.partitions = 1;
        uo.maxN = 1;
        const Uniformity u = runUniformity(data.data(), data.size(), uo, {});
        QCOMPARE(u.methods[0].ngramKl.size(), size_t(1));
        QCOMPARE(u.methods[0].ngramKl[0].p5, u.methods[0].ngramKl[0].p95);  // one partition
    }

    void uniformityCancels() {
        const std::vector<uint8_t> text = test::sampleText();
        UniformityOptions uo;
        uo.methods = {method(Method::Bytes), method(Method::Gzip)};
        StudyOptions o;
        o.progress = [](uint64_t, uint64_t) { return false; };
        QVERIFY_THROWS_EXCEPTION(Cancelled, runUniformity(text.data(), text.size(), uo, o));
    }

    // Progress reaches its total only when the random reference is measured
    // too, never goes back, and a cancel during the measurements is heard.
    void uniformityProgressCoversTheMeasurements() {
        const std::vector<uint8_t> text = test::sampleText();
        UniformityOptions uo;
        uo.methods = {method(Method::Bytes), method(Method::Gzip)};
        StudyOptions o;
        std::vector<std::pair<uint64_t, uint64_t>> seen;
        o.progress = [&](uint64_t done, uint64_t total) { return seen.emplace_back(done, total), true; };
        runUniformity(text.data(), text.size(), uo, o);
        QVERIFY(!seen.empty());
        for (size_t i = 0; i < seen.size(); ++i) {
            QVERIFY(seen[i].first <= seen[i].second);
            if (i) QVERIFY(seen[i].first >= seen[i - 1].first);
            if (seen[i].first == seen[i].second) QVERIFY(i + 1 >= seen.size() - 1);  // the last reports only
        }
        QCOMPARE(seen.back().first, seen.back().second);
        // Cancel once both streams are encoded: inside the measurements.
        const uint64_t total = seen.back().second;
        o.progress = [&](uint64_t done, uint64_t) { return done < total * 9 / 10; };
        QVERIFY_THROWS_EXCEPTION(Cancelled, runUniformity(text.data(), text.size(), uo, o));
    }

    // ---- eqlab-cli study stability | uniformity ---------------------------

    void cliStabilityJson() {
        QTemporaryDir dir;
        const QString words = dir.filePath("words.txt");
        writeFile(words.toStdString(), std::vector<uint8_t>{'t', 'h', 'e', '\n', '\n', 'P', 'a', 'r', 'i', 's', '\n'});
        const Run r = cli({"study", "stability", "--methods", "bytes,eqinfo-ac[b=16]", "--words", words, "--sentence",
                           "A short sentence.", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(r.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(o["sentence"].toString(), QString("A short sentence."));
        QCOMPARE(o["words"].toInt(), 2);
        QVERIFY(!o["paper_note"].toString().isEmpty());
        const QJsonArray methods = o["methods"].toArray();
        QCOMPARE(methods.size(), 2);
        const QJsonObject bytes = methods[0].toObject();
        QCOMPARE(bytes["method"].toString(), QString("bytes"));
        QCOMPARE(bytes["sentence_tokens"].toInt(), 17);
        QCOMPARE(bytes["mean_distance"].toDouble(), 5.0);  // (3 + 1 + 5 + 1) / 2
        QCOMPARE(bytes["histogram"].toArray()[4].toInt(), 1);
        QCOMPARE(bytes["histogram"].toArray()[6].toInt(), 1);
        QCOMPARE(bytes["pairs"].toArray()[1].toObject()["word"].toString(), QString("Paris"));
        QCOMPARE(methods[1].toObject()["method"].toString(), QString("eqinfo-ac[b=16,v=256]"));
    }

    void cliStabilityRejects() {
        QTemporaryDir dir;
        const QString words = dir.filePath("words.txt");
        writeFile(words.toStdString(), std::vector<uint8_t>{'o', 'k', '\n', 0xFF, '\n'});
        Run r = cli({"study", "stability", "--methods", "bytes", "--words", words, "--json"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("line 2"), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        r = cli({"study", "stability", "--methods", "bytes", "some-file.txt"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("no input file"), qPrintable(r.err));
    }

    void cliUniformityJson() {
        QTemporaryDir dir;
        const QString in = dir.filePath("in.txt");
        std::vector<uint8_t> text = test::sampleText();
        text.resize(4000);
        writeFile(in.toStdString(), text);
        const Run r = cli({"study", "uniformity", "--methods", "bytes,ac,eqinfo-ac[b=16]", "--max-n", "8",
                           "--partitions", "10", "--seed", "3", "--json", in});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(r.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(o["scope"].toObject()["analysed_bytes"].toInt(), 4000);
        const QJsonArray methods = o["methods"].toArray();
        QCOMPARE(methods.size(), 3);
        const QJsonObject bytes = methods[0].toObject();
        QCOMPARE(bytes["bits"].toInt(), 32000);
        QCOMPARE(bytes["ngram_kl"].toArray().size(), 8);
        QCOMPARE(bytes["ngram_kl"].toArray()[7].toObject()["n"].toInt(), 8);
        QCOMPARE(bytes["token_kl"].toObject()["n"].toInt(), 8);
        const QJsonObject random = o["random"].toObject();
        QCOMPARE(random["method"].toString(), QString("random"));
        QCOMPARE(random["bits"].toInt(), 32000);  // the longest stream: bytes
        for (const QJsonValue& v : random["ngram_kl"].toArray()) {
            const QJsonObject e = v.toObject();
            QVERIFY(e["p5"].toDouble() <= e["p95"].toDouble());
        }
        QVERIFY(!o["paper_note"].toString().isEmpty());
    }

    void cliUniformityRejectsMaxN() {
        const Run r = cli({"study", "uniformity", "--max-n", "17", "--json"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("maximum n-gram length"), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestStreamStudies)
#include "tst_stream_studies.moc"
