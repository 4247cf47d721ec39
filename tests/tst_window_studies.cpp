// The studies of Equal-Info windows themselves (core/studies/): window-sweep,
// windows (the table of every window) and token-meaning, each pinned on a
// fixture whose answer is known by hand, and their eqlab-cli subcommands.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <map>

#include "analysis/paper_figures.h"
#include "base/errors.h"
#include "base/file_io.h"
#include "base/text.h"
#include "cli_run.h"
#include "methods/default_models.h"
#include "studies/token_meaning.h"
#include "studies/window_sweep.h"
#include "studies/window_table.h"
#include "test_inputs.h"

using namespace eqlab;
using test::cli;
using Run = test::CliRun;

namespace {

std::vector<uint8_t> bytesOf(const std::string& s) {
    return {s.begin(), s.end()};
}

// escapeText() undone: \n \r \t \\ and \xHH back to their bytes.
std::vector<uint8_t> unescape(const std::string& s) {
    std::vector<uint8_t> out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
            out.push_back(uint8_t(s[i]));
            continue;
        }
        const char c = s.at(++i);
        if (c == 'n') out.push_back('\n');
        if (c == 'r') out.push_back('\r');
        if (c == 't') out.push_back('\t');
        if (c == '\\') out.push_back('\\');
        if (c == 'x') {
            out.push_back(uint8_t(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
            i += 2;
        }
    }
    return out;
}

// Study options on the bundled unigram: a model without context, so a
// window's cost is the sum of its bytes' fixed costs.
StudyOptions unigramOptions() {
    StudyOptions o;
    o.m1Path = resourcePath(kDefaultUnigramFile);
    o.maxBytes = 0;
    return o;
}

// The first n bytes of the sample text with a few UTF-8 and control bytes mixed in.
std::vector<uint8_t> fixtureText(size_t n) {
    std::vector<uint8_t> t = test::sampleText();
    t.resize(n);
    const std::string odd = "caf\xC3\xA9, \"quoted\"\t\\x\x01\xFF\n";
    t.insert(t.begin() + std::ptrdiff_t(n / 2), odd.begin(), odd.end());
    return t;
}

// One CSV line's fields (RFC 4180 quoting, no line breaks inside fields).
QStringList csvFields(const QByteArray& line) {
    QStringList out;
    QByteArray field;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            out << QString::fromUtf8(field);
            field.clear();
        } else {
            field += c;
        }
    }
    out << QString::fromUtf8(field);
    return out;
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const std::vector<uint8_t>& bytes) {
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(f.fileName()));
    f.write(reinterpret_cast<const char*>(bytes.data()), qint64(bytes.size()));
    return f.fileName();
}

}  // namespace

class TestWindowStudies : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // ---- window-sweep ------------------------------------------------------

    void sweepGrowsWithWindowSizeUnderTheUnigram() {
        const std::vector<uint8_t> text = test::sampleText();
        const WindowSweep s = runWindowSweep(text.data(), text.size(), WindowSweepOptions{}, unigramOptions());
        QCOMPARE(s.scope.analysedBytes, uint64_t(text.size()));
        // 7 b at k = 8, 6 at k = 16: b = 24 is no multiple of 16.
        QCOMPARE(s.rows.size(), size_t(13));
        QCOMPARE(s.skipped.size(), size_t(1));
        QCOMPARE(QString::fromStdString(s.skipped[0]), QString("b=24, k=16: b must be a multiple of k"));
        QVERIFY(QString::fromStdString(s.modelName).startsWith("unigram"));
        for (size_t i = 0; i < s.rows.size(); ++i) {
            const WindowSweepRow& r = s.rows[i];
            QVERIFY(r.b % r.k == 0);
            QCOMPARE(r.vocab, uint64_t(1) << r.k);
            if (i > 0 && s.rows[i - 1].k == r.k) {
                QVERIFY2(r.b > s.rows[i - 1].b, "b ascending within a k");
                QVERIFY2(r.bytesPerToken >= s.rows[i - 1].bytesPerToken,
                         qPrintable(
                             QString("b=%1: %2 < %3").arg(r.b).arg(r.bytesPerToken).arg(s.rows[i - 1].bytesPerToken)));
            }
            // The windows tile the text: mean x count is every byte.
            QVERIFY(std::abs(r.meanWindowBytes * double(r.windows) - double(text.size())) < 1e-6);
            QVERIFY(r.minWindowBytes >= 1 && double(r.minWindowBytes) <= r.meanWindowBytes &&
                    r.meanWindowBytes <= double(r.maxWindowBytes));
            QVERIFY(r.sdWindowBytes >= 0 && r.sdWindowBytes <= double(r.maxWindowBytes - r.minWindowBytes));
            QVERIFY(r.paddingFraction > 0 && r.paddingFraction < 1);
            QVERIFY(std::abs(r.bitsPerByte - double(r.k) / r.bytesPerToken) < 1e-9);
            QCOMPARE(r.tokenOnlyDecodable, 1.0);  // distinct termination
        }
        QCOMPARE(s.rows.front().k, 8);
        QCOMPARE(s.rows.back().k, 16);
        // The paper's figures where it has them (b = 16, v = 256: 2.66), none at b = 24.
        QCOMPARE(s.rows[0].paperBytesPerToken, paperFigure(Method::EqualInfoAc, 16)->bytesPerToken256);
        QCOMPARE(s.rows[1].b, 24);
        QCOMPARE(s.rows[1].paperBytesPerToken, 0.0);
    }

    // A row is what a direct encoding at its (b, k) measures, k = 16 included
    // (the sweep encodes once per b).
    void sweepRowsMatchADirectEncoding() {
        const std::vector<uint8_t> text = fixtureText(3000);
        WindowSweepOptions sweep;
        sweep.windowBits = {32};
        sweep.tokenBits = {16, 8};
        const StudyOptions options = unigramOptions();
        const WindowSweep s = runWindowSweep(text.data(), text.size(), sweep, options);
        QCOMPARE(s.rows.size(), size_t(2));
        QCOMPARE(s.rows[0].k, 8);
        const ModelSet models = studyModels(Method::EqualInfoAc, options);
        for (const WindowSweepRow& r : s.rows) {
            CodecParams p;
            p.windowBits = r.b;
            p.tokenBits = r.k;
            EncodeOptions eo;
            eo.trace = true;
            const Encoded e = encode(text.data(), text.size(), p, models, eo);
            QCOMPARE(r.windows, e.windows);
            QCOMPARE(r.bytesPerToken, e.bytesPerToken());
            QCOMPARE(r.bitsPerByte, e.bitsPerByte());
            uint64_t padding = 0;
            for (const Segment& w : e.trace.segments) padding += uint64_t(r.b) - w.bitsUsed;
            QCOMPARE(r.paddingFraction, double(padding) / double(e.windows * uint64_t(r.b)));
        }
    }

    void sweepRefusesBadParameters_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<std::vector<int>>("bs");
        QTest::addColumn<std::vector<int>>("ks");
        QTest::newRow("empty text") << QByteArray() << std::vector<int>{16} << std::vector<int>{8};
        QTest::newRow("b below 8") << QByteArray("abc") << std::vector<int>{4, 16} << std::vector<int>{8};
        QTest::newRow("b above 4096") << QByteArray("abc") << std::vector<int>{8192} << std::vector<int>{8};
        QTest::newRow("k = 0") << QByteArray("abc") << std::vector<int>{16} << std::vector<int>{0};
        QTest::newRow("k = 17") << QByteArray("abc") << std::vector<int>{16} << std::vector<int>{17};
        QTest::newRow("no b") << QByteArray("abc") << std::vector<int>{} << std::vector<int>{8};
        QTest::newRow("no valid combination") << QByteArray("abc") << std::vector<int>{24} << std::vector<int>{16};
    }
    void sweepRefusesBadParameters() {
        QFETCH(QByteArray, text);
        QFETCH(std::vector<int>, bs);
        QFETCH(std::vector<int>, ks);
        WindowSweepOptions sweep;
        sweep.windowBits = bs;
        sweep.tokenBits = ks;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, runWindowSweep(reinterpret_cast<const uint8_t*>(text.constData()),
                                                                 size_t(text.size()), sweep, unigramOptions()));
    }

    void sweepReportsProgressAndCancels() {
        const std::vector<uint8_t> text = fixtureText(2000);
        WindowSweepOptions sweep;
        sweep.windowBits = {16, 32};
        StudyOptions o = unigramOptions();
        uint64_t last = 0, total = 0;
        o.progress = [&](uint64_t done, uint64_t all) { return last = done, total = all, true; };
        runWindowSweep(text.data(), text.size(), sweep, o);
        QVERIFY(total > 0);
        QCOMPARE(last, total);
        o.progress = [](uint64_t, uint64_t) { return false; };
        QVERIFY_THROWS_EXCEPTION(Cancelled, runWindowSweep(text.data(), text.size(), sweep, o));
    }

    void sweepAnalysesAtMostMaxBytes() {
        const std::vector<uint8_t> text = fixtureText(3000);
        WindowSweepOptions sweep;
        sweep.windowBits = {16};
        sweep.tokenBits = {8};
        StudyOptions o = unigramOptions();
        o.maxBytes = 1000;
        const WindowSweep s = runWindowSweep(text.data(), text.size(), sweep, o);
        QVERIFY(s.scope.truncated());
        QCOMPARE(s.scope.analysedBytes, uint64_t(1000));
        QVERIFY(std::abs(s.rows[0].meanWindowBytes * double(s.rows[0].windows) - 1000) < 1e-6);
    }

    // ---- windows -----------------------------------------------------------

    void windowsTileTheInput_data() {
        QTest::addColumn<int>("b");
        QTest::addColumn<int>("k");
        QTest::addColumn<bool>("shortest");
        QTest::addColumn<int>("streamBytes");
        QTest::newRow("b=16 k=8") << 16 << 8 << false << int(kDefaultChunkBytes);
        QTest::newRow("b=32 k=16 shortest") << 32 << 16 << true << int(kDefaultChunkBytes);
        QTest::newRow("b=24 k=8 streams of 300") << 24 << 8 << false << 300;
        QTest::newRow("b=64 k=16 streams of 100") << 64 << 16 << false << 100;
    }
    void windowsTileTheInput() {
        QFETCH(int, b);
        QFETCH(int, k);
        QFETCH(bool, shortest);
        QFETCH(int, streamBytes);
        const std::vector<uint8_t> text = fixtureText(1500);
        CodecParams p;
        p.windowBits = b;
        p.tokenBits = k;
        p.chunkBytes = uint32_t(streamBytes);
        if (shortest) p.termination = CodecParams::Termination::Shortest;
        StudyOptions o;  // the tests' tiny M1
        EncodeOptions eo;
        eo.trace = true;
        const Encoded e = encode(text.data(), text.size(), p, studyModels(Method::EqualInfoAc, o), eo);
        const std::vector<WindowRow> rows = windowRows(e, text.data());
        QCOMPARE(rows.size(), size_t(e.windows));

        std::vector<uint8_t> joined;
        std::vector<uint32_t> tokens;
        uint64_t expect = 0, streamEnds = 0;
        for (size_t i = 0; i < rows.size(); ++i) {
            const WindowRow& r = rows[i];
            QCOMPARE(r.index, uint64_t(i));
            QCOMPARE(r.byteBegin, expect);
            QVERIFY(r.byteEnd > r.byteBegin);
            expect = r.byteEnd;
            const std::vector<uint8_t> bytes = unescape(r.text);
            QCOMPARE(bytes.size(), size_t(r.byteEnd - r.byteBegin));
            joined.insert(joined.end(), bytes.begin(), bytes.end());
            QCOMPARE(r.tokens.size(), size_t(b / k));
            tokens.insert(tokens.end(), r.tokens.begin(), r.tokens.end());
            QCOMPARE(r.paddingBits, uint64_t(b) - r.bitsUsed);
            QVERIFY(r.bitsUsed >= 1 && r.bitsUsed <= uint64_t(b));
            QCOMPARE(int(r.tokenOnlyDecodable), shortest ? int(e.trace.segments[i].tokenOnlyDecodable) : 1);
            const QString why = QString::fromStdString(r.closeReason);
            if (r.byteEnd % uint64_t(streamBytes) == 0 || r.byteEnd == text.size()) {
                ++streamEnds;
                QCOMPARE(r.nextByte, -1);
                QCOMPARE(why, QString("stream ended"));
            } else {
                QCOMPARE(r.nextByte, int(text[r.byteEnd]));
                const uint8_t next = text[r.byteEnd];
                QVERIFY2(why.startsWith(QString::fromStdString("next byte '" + escapeText(&next, 1) + "'")),
                         qPrintable(why));
                // Once the encoder records it: the window with the next byte needs more than b bits.
                if (r.bitsWithNext > 0) QVERIFY(r.bitsWithNext > uint64_t(b));
            }
        }
        QCOMPARE(expect, uint64_t(text.size()));
        QVERIFY(joined == text);
        QCOMPARE(streamEnds, p.chunkCount(text.size()));
        QCOMPARE(tokens.size(), e.tokens.size());
        QVERIFY(tokens == e.tokens);

        // The study encodes the same way.
        o.maxBytes = 0;
        const WindowTable t = runWindowTable(text.data(), text.size(), p, o);
        QCOMPARE(t.rows.size(), rows.size());
        QCOMPARE(t.rows.back().text, rows.back().text);
        QCOMPARE(QString::fromStdString(t.params.label()), QString::fromStdString(p.label()));
    }

    void windowsNeedAnEqualInfoTrace() {
        const std::vector<uint8_t> text = bytesOf("hello, windows");
        CodecParams p;
        const ModelSet models = studyModels(Method::EqualInfoAc, StudyOptions{});
        const Encoded untraced = encode(text.data(), text.size(), p, models);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, windowRows(untraced, text.data()));
        CodecParams bytes;
        bytes.method = Method::Bytes;
        EncodeOptions eo;
        eo.trace = true;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument,
                                 windowRows(encode(text.data(), text.size(), bytes, {}, eo), text.data()));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, runWindowTable(text.data(), 0, p, StudyOptions{}));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, runWindowTable(text.data(), text.size(), bytes, StudyOptions{}));
        p.windowBits = 20;  // not a multiple of k = 8
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, runWindowTable(text.data(), text.size(), p, StudyOptions{}));
    }

    // One byte: one window, which the stream's end closed.
    void windowsOfOneByte() {
        const std::vector<uint8_t> text = {0xFF};
        const WindowTable t = runWindowTable(text.data(), 1, CodecParams{}, StudyOptions{});
        QCOMPARE(t.rows.size(), size_t(1));
        QCOMPARE(QString::fromStdString(t.rows[0].text), QString("\\xFF"));
        QCOMPARE(QString::fromStdString(t.rows[0].closeReason), QString("stream ended"));
    }

    void windowsCsvQuotesWhatNeedsIt() {
        WindowRow a;
        a.byteEnd = 3;
        a.text = "a,\"b\"";
        a.bitsUsed = 12;
        a.paddingBits = 4;
        a.tokens = {7, 9};
        a.tokenOnlyDecodable = 1;
        a.closeReason = "stream ended";
        const std::string csv = windowRowsCsv({a});
        const QStringList lines = QString::fromStdString(csv).split('\n');
        QCOMPARE(lines.size(), 3);  // header, the row, and the final newline's empty rest
        QVERIFY(lines[0].startsWith("index,byte_begin,byte_end,bytes,bits_used,padding_bits,tokens,"));
        QCOMPARE(lines[1], QString("0,0,3,3,12,4,7 9,1,-1,0.000,0,stream ended,\"a,\"\"b\"\"\""));
        QVERIFY(lines[2].isEmpty());
    }

    // ---- token-meaning -----------------------------------------------------

    // Four windows of b = 16 bits, k = 8: first tokens 5, 5, 7, 7 (two values
    // equally often: 1 bit), second tokens 1, 2, 3, 3 (1.5 bits).
    void tokenMeaningOfAHandMadeEncoding() {
        const std::vector<uint8_t> text = bytesOf("abcabdxyxyz");
        Encoded e;
        e.params.windowBits = 16;
        e.params.tokenBits = 8;
        e.inputBytes = text.size();
        e.tokens = {5, 1, 5, 2, 7, 3, 7, 3};
        e.windows = 4;
        Trace& t = e.trace;
        t.startCoderTrace(text.size(), "window");
        // Per window: each byte's last emitted bit, relative to the window's first bit.
        const std::vector<std::vector<uint64_t>> ends = {{3, 8, 14}, {3, 8, 12}, {9, 10}, {4, 8, 16}};
        size_t i = 0;
        for (uint32_t w = 0; w < 4; ++w) {
            const uint64_t begin = 16 * w;
            uint64_t prev = begin;
            for (uint64_t end : ends[w]) {
                t.recordByte(i++, 1.0, w, prev, begin + end);
                prev = begin + end;
            }
            t.segments.push_back({i - ends[w].size(), i, begin, ends[w].back(), 16, 1});
        }
        t.validate(text.size());

        const TokenMeaning m = tokenMeaningOf(e, text.data());
        QCOMPARE(m.windows, uint64_t(4));
        QCOMPARE(m.positions.size(), size_t(2));
        const TokenPositionStats& first = m.positions[0];
        QCOMPARE(first.windows, uint64_t(4));
        QCOMPARE(first.distinct, uint64_t(2));
        QCOMPARE(first.entropyBits, 1.0);
        QCOMPARE(first.top10Share, 1.0);
        QCOMPARE(first.recurrence, (std::vector<uint64_t>{0, 2}));  // no value once, two values 2-3 times
        QCOMPARE(first.top.size(), size_t(2));
        QCOMPARE(first.top[0], std::make_pair(uint32_t(5), uint64_t(2)));
        QCOMPARE(first.top[1], std::make_pair(uint32_t(7), uint64_t(2)));
        const TokenPositionStats& second = m.positions[1];
        QCOMPARE(second.position, 1);
        QCOMPARE(second.distinct, uint64_t(3));
        QCOMPARE(second.entropyBits, 1.5);
        QCOMPARE(second.recurrence, (std::vector<uint64_t>{2, 1}));
        QCOMPARE(second.top[0], std::make_pair(uint32_t(3), uint64_t(2)));

        QCOMPARE(m.dictionary.size(), size_t(2));
        const TokenDictionaryEntry& d5 = m.dictionary[0];
        QCOMPARE(d5.value, uint32_t(5));
        QCOMPARE(d5.count, uint64_t(2));
        QCOMPARE(QString::fromStdString(d5.commonPrefix), QString("ab"));
        QCOMPARE(d5.prefixes.size(), size_t(1));  // both windows: 'b' emits the first token's last bit
        QCOMPARE(QString::fromStdString(d5.prefixes[0].first), QString("ab"));
        QCOMPARE(d5.prefixes[0].second, uint64_t(2));
        QCOMPARE(d5.examples, (std::vector<std::string>{"abc", "abd"}));
        const TokenDictionaryEntry& d7 = m.dictionary[1];
        QCOMPARE(QString::fromStdString(d7.commonPrefix), QString("xy"));
        QCOMPARE(d7.prefixes.size(), size_t(2));  // 'x' reaches bit 9 in one window, bit 4 in the other
        QCOMPARE(QString::fromStdString(d7.prefixes[0].first), QString("x"));
        QCOMPARE(QString::fromStdString(d7.prefixes[1].first), QString("xy"));

        QCOMPARE(tokenMeaningOf(e, text.data(), /*dictionarySize=*/1).dictionary.size(), size_t(1));
        QVERIFY(tokenMeaningOf(e, text.data(), /*dictionarySize=*/0).dictionary.empty());
        e.trace = Trace{};
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, tokenMeaningOf(e, text.data()));
    }

    // "abab...": under a model without context every window that starts on
    // 'a' is the same, and so is every one on 'b': at most two first tokens.
    void repeatedTextRepeatsItsFirstTokens() {
        std::string s;
        while (s.size() < 2000) s += "ab";
        const std::vector<uint8_t> text = bytesOf(s);
        CodecParams p;
        p.windowBits = 32;
        p.tokenBits = 8;
        const TokenMeaning m = runTokenMeaning(text.data(), text.size(), p, unigramOptions());
        QVERIFY(m.windows > 50);
        QCOMPARE(m.positions.size(), size_t(4));
        QVERIFY(m.positions[0].distinct >= 1 && m.positions[0].distinct <= 2);
        QVERIFY(m.positions[0].entropyBits <= 1.0);
        QCOMPARE(m.positions[0].top10Share, 1.0);
        uint64_t windows = 0;
        for (const TokenDictionaryEntry& d : m.dictionary) {
            windows += d.count;
            QVERIFY(d.commonPrefix.size() >= 2);
            QVERIFY(d.commonPrefix.substr(0, 2) == "ab" || d.commonPrefix.substr(0, 2) == "ba");
        }
        QCOMPARE(windows, m.windows);
    }

    // Under the tiny M1 (context reset every window): a window's first token
    // is a function of the bytes it covers when they are fewer than the
    // window's, so every window that starts with those bytes has that token.
    void firstTokenIsAFunctionOfWhatItCovers() {
        const std::vector<uint8_t> text = fixtureText(4000);
        CodecParams p;
        p.windowBits = 32;
        p.tokenBits = 8;
        EncodeOptions eo;
        eo.trace = true;
        const Encoded e = encode(text.data(), text.size(), p, studyModels(Method::EqualInfoAc, StudyOptions{}), eo);
        const std::vector<Segment>& windows = e.trace.segments;
        auto firstToken = [&](const Segment& w) { return e.tokens[w.bitBegin / 8]; };
        std::map<std::string, uint32_t> tokenOf;  // covered bytes -> the first token of windows with them
        std::map<std::string, uint64_t> coveredCount;
        for (const Segment& w : windows) {
            size_t m = 0;
            while (w.byteBegin + m < w.byteEnd && e.trace.bitEnd[w.byteBegin + m] < w.bitBegin + 8) ++m;
            const size_t n = size_t(w.byteEnd - w.byteBegin);
            m = std::min(n, m + 1);
            const std::string covered(text.begin() + std::ptrdiff_t(w.byteBegin),
                                      text.begin() + std::ptrdiff_t(w.byteBegin + m));
            ++coveredCount[escapeText(text.data() + w.byteBegin, m)];
            if (m < n) tokenOf[covered] = firstToken(w);
        }
        QVERIFY(tokenOf.size() > 10);
        uint64_t checked = 0;
        for (const Segment& w : windows) {
            const std::string bytes(text.begin() + std::ptrdiff_t(w.byteBegin),
                                    text.begin() + std::ptrdiff_t(w.byteEnd));
            for (const auto& [covered, token] : tokenOf)
                if (bytes.compare(0, covered.size(), covered) == 0) {
                    QCOMPARE(firstToken(w), token);
                    ++checked;
                }
        }
        QVERIFY(checked >= windows.size() / 2);

        // The dictionary lists the same covered bytes, with the same counts.
        const TokenMeaning m = tokenMeaningOf(e, text.data(), /*dictionarySize=*/100000);
        uint64_t windowsListed = 0;
        for (const TokenDictionaryEntry& d : m.dictionary) {
            windowsListed += d.count;
            QCOMPARE(d.examples.size(), std::min<size_t>(5, size_t(d.count)));
            for (const auto& [covered, count] : d.prefixes) {
                const auto it = coveredCount.find(covered);
                QVERIFY2(it != coveredCount.end(), covered.c_str());
                QVERIFY(count <= it->second);
            }
            if (d.prefixes.size() == 1 && d.count > 1) QCOMPARE(d.prefixes[0].second, d.count);
        }
        QCOMPARE(windowsListed, uint64_t(windows.size()));
    }

    // ---- eqlab-cli study ... -----------------------------------------------

    void cliStudiesPrintJson_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("count");
        QTest::newRow("window-sweep") << QStringList{"window-sweep", "-b", "16,24,32", "-k", "8,16"} << "rows" << 5;
        QTest::newRow("windows") << QStringList{"windows", "-b", "32", "-k", "16"} << "rows" << -1;
        QTest::newRow("token-meaning") << QStringList{"token-meaning", "-b", "32", "-k", "8"} << "positions" << 4;
    }
    void cliStudiesPrintJson() {
        QFETCH(QStringList, args);
        QFETCH(QString, key);
        QFETCH(int, count);
        QTemporaryDir dir;
        const QString in = writeFile(dir, "in.txt", fixtureText(1200));
        const Run r = cli(QStringList{"study"} + args + QStringList{"--json", in});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(r.out, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(o["scope"].toObject()["analysed_bytes"].toDouble(), double(fixtureText(1200).size()));
        const QJsonArray rows = o[key].toArray();
        if (count >= 0) QCOMPARE(rows.size(), count);
        QVERIFY(!rows.isEmpty());
        if (args[0] == "window-sweep") {
            QCOMPARE(o["skipped"].toArray().size(), 1);
            QCOMPARE(rows[0].toObject()["b"].toInt(), 16);
            QCOMPARE(rows[0].toObject()["paper_bytes_per_token"].toDouble(), 2.66);
            QVERIFY(rows[1].toObject()["paper_bytes_per_token"].isNull());  // b = 24
        }
        if (args[0] == "windows") {
            QCOMPARE(rows[0].toObject()["byte_begin"].toInt(), 0);
            QCOMPARE(rows[0].toObject()["tokens"].toArray().size(), 2);
            QCOMPARE(o["method"].toString(), QString("eqinfo-ac[b=32,v=65536]"));
        }
        if (args[0] == "token-meaning") QVERIFY(!o["dictionary"].toArray().isEmpty());
    }

    // Every line splits into the header's fields, and the text fields give back the input
    // (its commas and quotes included).
    void cliWindowsPrintsCsv() {
        QTemporaryDir dir;
        const std::vector<uint8_t> text = fixtureText(800);
        const Run r = cli({"study", "windows", "--csv", writeFile(dir, "in.txt", text)});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QList<QByteArray> lines = r.out.split('\n');
        QVERIFY(lines.takeLast().isEmpty());
        const QStringList header = csvFields(lines.takeFirst());
        QCOMPARE(header.first(), QString("index"));
        QCOMPARE(header.last(), QString("text"));
        std::vector<uint8_t> joined;
        for (const QByteArray& line : lines) {
            const QStringList f = csvFields(line);
            QCOMPARE(f.size(), header.size());
            const std::vector<uint8_t> bytes = unescape(f.last().toStdString());
            joined.insert(joined.end(), bytes.begin(), bytes.end());
        }
        QVERIFY(joined == text);
    }

    void cliStudiesRefuseBadInput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<bool>("emptyInput");
        QTest::addColumn<QString>("message");
        for (const QString study : {"window-sweep", "windows", "token-meaning"}) {
            QTest::addRow("%s: empty file", qPrintable(study)) << QStringList{study} << true << "the text is empty";
            QTest::addRow("%s: b out of range", qPrintable(study))
                << QStringList{study, "-b", "4"} << false
                << (study == "window-sweep" ? "out of range" : "window bits b");
        }
        QTest::newRow("window-sweep: not a list") << QStringList{"window-sweep", "-b", "16,x"} << false << "list";
        QTest::newRow("windows: bad termination")
            << QStringList{"windows", "--termination", "longest"} << false << "--termination";
        QTest::newRow("token-meaning: k out of range")
            << QStringList{"token-meaning", "-b", "34", "-k", "17"} << false << "token bits k";
        QTest::newRow("token-meaning: M1 context across windows")
            << QStringList{"token-meaning", "--m1-reset", "never"} << false << "M1 reset at every window";
        QTest::newRow("windows: M1 context across shortest windows")
            << QStringList{"windows", "--m1-reset", "2", "--termination", "shortest"} << false
            << "distinct termination";
    }
    // Without IN a study reads the bundled sample (with the bundled, here the tests', M1).
    void cliStudiesDefaultToTheBundledSample() {
        const Run r = cli({"study", "window-sweep", "-b", "16", "-k", "8", "--max-bytes", "1000", "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject scope = QJsonDocument::fromJson(r.out).object()["scope"].toObject();
        QCOMPARE(qint64(scope["input_bytes"].toDouble()), qint64(test::sampleText().size()));
        QCOMPARE(scope["analysed_bytes"].toInt(), 1000);
        QVERIFY(scope["truncated"].toBool());
    }

    void cliStudiesRefuseBadInput() {
        QFETCH(QStringList, args);
        QFETCH(bool, emptyInput);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString in = writeFile(dir, "in.txt", emptyInput ? std::vector<uint8_t>{} : fixtureText(200));
        const Run r = cli(QStringList{"study"} + args + QStringList{"--json", in});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestWindowStudies)
#include "tst_window_studies.moc"
