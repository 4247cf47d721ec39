// Equal-Info windows: the decoder's candidate rules, checked against a
// brute-force re-encoding, and the side information that makes every input
// decode exactly.
#include <QTest>

#include "base/binary_io.h"
#include "base/errors.h"
#include "base/hashes.h"
#include "coding/bit_io.h"
#include "coding/tokens.h"
#include "methods/codec.h"
#include "methods/default_models.h"
#include "methods/equal_info.h"
#include "methods/gzip_codec.h"
#include "models/uniform_model.h"
#include "models/unigram_model.h"
#include "test_inputs.h"

using namespace eqlab;

namespace {

// Bits [begin, begin + n) of a packed buffer as a '0'/'1' string.
std::string bitsAt(const std::vector<uint8_t>& packed, uint64_t begin, uint64_t n) {
    std::string s;
    for (uint64_t i = 0; i < n; ++i) s += bitAt(packed, begin + i) ? '1' : '0';
    return s;
}

// The bits an encoder writes for exactly `bytes` in one stream, and in how
// many windows.
std::string windowBitsFor(const std::vector<uint8_t>& bytes, const CodecParams& p, const ModelSet& m,
                          uint64_t* windows) {
    CodecParams one = p;
    one.chunkBytes = kMaxChunkBytes;
    const Encoded e = encode(bytes.data(), bytes.size(), one, m);
    *windows = e.windows;
    return bitsAt(tokensToBits(e.tokens, p.tokenBits), 0, e.tokens.size() * uint64_t(p.tokenBits));
}

// A model whose context survives resets: it passes on only every `every`-th
// reset() (0: only the first). Encoding under it with M1 reset at every
// window is what an encoder with a persistent context does, written without
// CodecParams::m1Reset.
class ResetSkippingModel final : public ByteModel {
public:
    ResetSkippingModel(std::unique_ptr<ByteModel> inner, uint32_t every) : inner_(std::move(inner)), every_(every) {}
    ModelKind kind() const override { return inner_->kind(); }
    std::string name() const override { return inner_->name(); }
    std::string hash() const override { return inner_->hash(); }
    std::vector<uint8_t> serialize() const override { return {}; }
    void reset() override {
        if (resets_ == 0 || (every_ != 0 && resets_ % every_ == 0)) inner_->reset();
        ++resets_;
    }
    const Cdf& cdf(int precision) override { return inner_->cdf(precision); }
    void advance(uint8_t byte) override { inner_->advance(byte); }
    std::unique_ptr<ByteModel> clone() const override {
        return std::make_unique<ResetSkippingModel>(inner_->clone(), every_);
    }

private:
    std::unique_ptr<ByteModel> inner_;
    uint32_t every_;
    uint64_t resets_ = 0;
};

}  // namespace

class TestEqualInfo : public QObject {
    Q_OBJECT
private slots:
    // For every window, the candidate sets computed by scanWindow equal the
    // sets found by brute force, under the tokens alone and under the stream
    // length the container decoder knows. The facts come from re-encoding:
    // c1..cn' is canonical iff encoding it alone reproduces the window's bits
    // exactly, and the look-ahead d fits after it iff c1..cn' d still makes
    // one window. The rules of equal_info.h then combine them: n' is a
    // candidate iff canonical and (n' == the bytes left in the stream, or a
    // next window exists and d does not fit; tokens alone: or nothing follows).
    // Rows with NUL bytes reach the canonical rule's zero-ended branch (a
    // prefix whose interval starts at exactly 0), asserted below.
    void candidatesMatchBruteForce_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("b");
        QTest::addColumn<int>("k");
        QTest::addColumn<uint>("streamBytes");
        QTest::addColumn<QString>("model");  // "default" (static-ac's unigram), "fitted" (on the input), "uniform"
        QTest::addColumn<bool>("zeroEnds");  // the row must reach a zero-ended prefix before the last 1 bit
        const std::vector<uint8_t> sample = test::sampleText();
        const QByteArray text(reinterpret_cast<const char*>(sample.data()), 3000);
        // The sample with runs of 1 to 4 NULs every few bytes.
        QByteArray nuls;
        for (int i = 0; i < 900; ++i) {
            nuls += text[i];
            if (i % 5 == 2) nuls += QByteArray(1 + (i / 5) % 4, '\0');
        }
        const std::vector<uint8_t> random = test::randomBytes(1200, 7);
        QByteArray bin(reinterpret_cast<const char*>(random.data()), qsizetype(random.size()));
        for (qsizetype i = 0; i < bin.size(); i += 3) bin[i] = '\0';
        // Under the uniform model every byte is 8 aligned bits: a window
        // 0x00 0x80 is 8 zeros, then 1 and zeros, the case a 1 right after a
        // zero-ended prefix's bits must not be taken for its termination.
        QByteArray aligned;
        for (uint8_t r : test::randomBytes(600, 11)) aligned += char("\x00\x80\x40\x01"[r % 4]);
        const uint all = kMaxChunkBytes;
        const QString def = "default", fit = "fitted", uni = "uniform";
        QTest::newRow("text b=16") << text << 16 << 8 << all << def << false;
        QTest::newRow("text b=32") << text << 32 << 8 << all << def << false;
        QTest::newRow("text b=24 streams of 37 bytes") << text.left(1500) << 24 << 8 << 37u << def << false;
        QTest::newRow("text b=12 k=4") << text.left(800) << 12 << 4 << all << def << true;
        QTest::newRow("NULs b=16 NULs cheap") << nuls << 16 << 8 << all << fit << true;
        QTest::newRow("NULs b=32") << nuls << 32 << 8 << all << def << false;
        QTest::newRow("NULs b=48 NULs cheap") << nuls << 48 << 8 << all << fit << false;
        QTest::newRow("NULs b=64 streams of 23 bytes") << nuls << 64 << 8 << 23u << def << false;
        QTest::newRow("NULs b=32 NULs cheap streams of 11 bytes") << nuls << 32 << 8 << 11u << fit << false;
        QTest::newRow("binary b=24 NULs cheap") << bin << 24 << 8 << all << fit << false;
        QTest::newRow("binary b=40 streams of 5 bytes") << bin << 40 << 8 << 5u << def << false;
        QTest::newRow("aligned NULs b=16 uniform") << aligned << 16 << 8 << all << uni << true;
        QTest::newRow("aligned NULs b=32 uniform streams of 7 bytes") << aligned << 32 << 8 << 7u << uni << true;
        QTest::newRow("aligned NULs b=24 k=12 uniform") << aligned << 24 << 12 << all << uni << true;
    }
    void candidatesMatchBruteForce() {
        QFETCH(QByteArray, input);
        QFETCH(int, b);
        QFETCH(int, k);
        QFETCH(uint, streamBytes);
        QFETCH(QString, model);
        QFETCH(bool, zeroEnds);
        const std::vector<uint8_t> text(input.begin(), input.end());
        CodecParams p;
        p.windowBits = b;
        p.tokenBits = k;
        p.chunkBytes = streamBytes;
        p.termination = CodecParams::Termination::Shortest;
        ModelSet m = loadModelsFor(Method::StaticAc, "");
        if (model == "fitted")
            m.byteModel = std::make_shared<UnigramModel>(UnigramModel::fit(text.data(), text.size(), "fitted"));
        if (model == "uniform") m.byteModel = std::make_shared<UniformModel>();
        const int precision = p.effectivePrecision();
        EncodeOptions o;
        o.trace = true;
        o.stats = true;
        const Encoded e = encode(text.data(), text.size(), p, m, o);
        QVERIFY(decode(e, m) == text);
        const std::vector<uint8_t> bits = tokensToBits(e.tokens, p.tokenBits);
        const auto& wins = e.trace.segments;
        std::unique_ptr<ByteModel> coder = m.byteModel->clone();
        int ambiguous = 0, zeroEnded = 0;
        uint64_t sideWindows = 0, tokenOnly = 0;
        for (size_t w = 0; w < wins.size(); ++w) {
            const bool hasNext = w + 1 < wins.size();
            std::optional<uint8_t> d;
            if (hasNext) d = text[wins[w + 1].byteBegin];
            const uint64_t left = p.chunkEnd(wins[w].byteBegin, text.size()) - wins[w].byteBegin;
            const WindowScan scan = scanWindow(bits, wins[w].bitBegin, b, precision, *m.byteModel, d, 1 << 16);
            const uint64_t n = wins[w].byteEnd - wins[w].byteBegin;
            QVERIFY(scan.bytes.size() >= n);
            QVERIFY(std::equal(scan.bytes.begin(), scan.bytes.begin() + std::ptrdiff_t(n),
                               text.begin() + std::ptrdiff_t(wins[w].byteBegin)));
            // The facts, by re-encoding each prefix.
            const std::string actual = bitsAt(bits, wins[w].bitBegin, uint64_t(b));
            std::vector<bool> canonical, fits;
            for (uint64_t i = 1; i <= scan.bytes.size(); ++i) {
                std::vector<uint8_t> prefix(scan.bytes.begin(), scan.bytes.begin() + std::ptrdiff_t(i));
                uint64_t count = 0;
                canonical.push_back(windowBitsFor(prefix, p, m, &count) == actual && count == 1);
                bool dFits = false;
                if (d) {
                    prefix.push_back(*d);
                    windowBitsFor(prefix, p, m, &count);
                    dFits = count == 1;
                }
                fits.push_back(dFits);
            }
            // The rules.
            const auto expected = [&](std::optional<uint64_t> limit, bool next) {
                std::vector<uint64_t> out;
                for (uint64_t i = 1; i <= scan.bytes.size() && (!limit || i <= *limit); ++i) {
                    if (!canonical[i - 1]) continue;
                    if ((limit && i == *limit) || (next ? !fits[i - 1] : !limit)) out.push_back(i);
                }
                return out;
            };
            QCOMPARE(scan.candidates(std::nullopt, hasNext), expected(std::nullopt, hasNext));
            QCOMPARE(scan.candidates(std::nullopt, false), expected(std::nullopt, false));
            const std::vector<uint64_t> exact = expected(left, hasNext);
            QCOMPARE(scan.candidates(left, hasNext), exact);
            QVERIFY(std::find(exact.begin(), exact.end(), n) != exact.end());
            sideWindows += exact.size() > 1;
            const std::vector<uint64_t> alone = expected(std::nullopt, hasNext);
            ambiguous += alone.size() != 1;
            const bool decodable = alone.size() == 1 && alone[0] == n;
            tokenOnly += decodable;
            QCOMPARE(wins[w].tokenOnlyDecodable == 1, decodable);
            // Does a prefix end with its interval at exactly 0 and the window's last 1
            // bit right after its emitted bits? Not canonical (its termination
            // is zeros), and the one case where a 1 there could be taken for it.
            coder->reset();
            BitWriter sink;
            RangeEncoder enc(sink);
            for (uint64_t i = 0; i < scan.bytes.size(); ++i) {
                enc.encode(coder->cdf(precision), scan.bytes[i]);
                coder->advance(scan.bytes[i]);
                const CoderState& st = enc.state();
                zeroEnded += st.low == 0 && st.pending == 0 && st.emitted < uint64_t(b) &&
                             actual.find_last_of('1') == st.emitted;
            }
        }
        QCOMPARE(e.sideInfoWindows, sideWindows);
        QCOMPARE(e.tokenOnlyDecodable.value_or(-1), double(tokenOnly) / double(wins.size()));
        if (zeroEnds) QVERIFY2(zeroEnded > 0, "no prefix reached the zero-ended branch before a last 1 bit");
        qInfo("%d of %zu windows ambiguous from tokens alone, %d zero-ended prefixes before the last 1 bit", ambiguous,
              wins.size(), zeroEnded);
    }

    // Side information is what makes ambiguous windows decodable: drop it and
    // the decoder must refuse, not guess.
    void sideInformationIsRequired() {
        const std::vector<uint8_t> text = test::sampleText();
        const ModelSet m = loadModelsFor(Method::StaticAc, "");
        CodecParams p;
        p.termination = CodecParams::Termination::Shortest;
        Encoded e = encode(text.data(), text.size(), p, m);
        QVERIFY(e.sideInfoWindows > 0);
        QVERIFY(decode(e, m) == text);
        Encoded broken = e;
        broken.side.clear();
        QVERIFY_THROWS_EXCEPTION(FormatError, decode(broken, m));
        broken = e;
        broken.side[broken.side.size() / 2] ^= 0x55;
        QVERIFY_THROWS_EXCEPTION(FormatError, decode(broken, m));
    }

    // Decodability and compression across window sizes on text and on random
    // binary; random bytes under a text unigram still round-trip.
    void windowSizes_data() {
        QTest::addColumn<int>("b");
        QTest::addColumn<bool>("random");
        QTest::addColumn<bool>("distinct");
        for (int b : {8, 16, 32, 64, 128})
            for (bool r : {false, true})
                for (bool d : {true, false})
                    QTest::newRow(qPrintable(
                        QString("b=%1 %2 %3").arg(b).arg(r ? "random" : "text", d ? "distinct" : "shortest")))
                        << b << r << d;
    }
    void windowSizes() {
        QFETCH(int, b);
        QFETCH(bool, random);
        QFETCH(bool, distinct);
        const std::vector<uint8_t> data = random ? test::randomBytes(30000, uint32_t(b)) : test::sampleText();
        CodecParams p;
        p.windowBits = b;
        p.termination = distinct ? CodecParams::Termination::Distinct : CodecParams::Termination::Shortest;
        const ModelSet m = loadModelsFor(Method::StaticAc, "");
        const Encoded e = encode(data.data(), data.size(), p, m);
        QVERIFY(decode(e, m) == data);
        QCOMPARE(uint64_t(e.tokens.size()), e.windows * uint64_t(b / 8));
        QVERIFY(e.tokenOnlyDecodable.has_value());
        if (distinct) {
            QCOMPARE(*e.tokenOnlyDecodable, 1.0);  // the point of the rule
            QCOMPARE(e.sideInfoWindows, uint64_t(0));
        }
        qInfo("b=%d %s %s: %.3f bytes/token, token-only decodable %.1f%%, side info %zu bytes", b,
              random ? "random" : "text", distinct ? "distinct" : "shortest", e.bytesPerToken(),
              100 * *e.tokenOnlyDecodable, e.side.size());
    }

    // Distinct termination: every window decodes from its own bits alone,
    // even cut out of the stream with no look-ahead and no stream length.
    void distinctWindowsDecodeAlone() {
        std::vector<uint8_t> data = test::sampleText();
        const std::vector<uint8_t> noise = test::randomBytes(2000, 11);
        data.insert(data.end(), noise.begin(), noise.end());
        data.insert(data.end(), 3000, 0);  // NULs: the bytes that "code to zeros"
        const ModelSet m = loadModelsFor(Method::StaticAc, "");
        for (int b : {16, 64}) {
            CodecParams p;
            p.windowBits = b;
            EncodeOptions o;
            o.trace = true;
            const Encoded e = encode(data.data(), data.size(), p, m, o);
            const std::vector<uint8_t> bits = tokensToBits(e.tokens, p.tokenBits);
            for (const Segment& s : e.trace.segments) {
                // Decode this window as a one-window stream whose length we claim is huge.
                const uint64_t n = s.byteEnd - s.byteBegin;
                std::vector<uint32_t> own(e.tokens.begin() + std::ptrdiff_t(s.bitBegin / 8),
                                          e.tokens.begin() + std::ptrdiff_t((s.bitBegin + s.bitsTotal) / 8));
                Encoded one;
                one.params = p;
                one.params.chunkBytes = kMaxChunkBytes;
                one.vocab = e.vocab;
                one.tokens = own;
                one.inputBytes = n;
                one.side = e.side;  // empty list
                one.inputCrc = crc32Of(data.data() + s.byteBegin, size_t(n));
                QVERIFY(decode(one, m) == std::vector<uint8_t>(data.begin() + std::ptrdiff_t(s.byteBegin),
                                                               data.begin() + std::ptrdiff_t(s.byteEnd)));
            }
        }
    }

    // M1's context across windows (CodecParams::m1Reset) is exactly an
    // encoder whose model context survives the resets in between: the same
    // bits as reset-every-window under a model that skips those resets.
    void m1ContextAcrossWindowsIsAPersistentContext_data() {
        QTest::addColumn<uint32_t>("every");
        QTest::newRow("every 2nd") << 2u;
        QTest::newRow("every 3rd") << 3u;
        QTest::newRow("never") << 0u;
    }
    void m1ContextAcrossWindowsIsAPersistentContext() {
        QFETCH(uint32_t, every);
        const std::vector<uint8_t> full = test::sampleText();
        const std::vector<uint8_t> data(full.begin(), full.begin() + 3000);
        const ModelSet m1 = loadModelsFor(Method::EqualInfoAc, "");  // the tests' tiny M1
        QCOMPARE(m1.byteModel->kind(), ModelKind::M1);
        CodecParams p;
        p.chunkBytes = kMaxChunkBytes;  // one stream: the wrapper sees every reset of it
        EncodeOptions o;
        o.stats = false;
        const Encoded everyWindow = encode(data.data(), data.size(), p, m1, o);
        ModelSet skipping;
        skipping.byteModel = std::make_shared<ResetSkippingModel>(m1.byteModel->clone(), every);
        const Encoded reference = encode(data.data(), data.size(), p, skipping, o);
        p.m1Reset = every;
        for (int threads : {1, 3}) {
            o.threads = threads;
            const Encoded e = encode(data.data(), data.size(), p, m1, o);
            QCOMPARE(e.tokens, reference.tokens);
            QVERIFY(e.tokens != everyWindow.tokens);  // the context does change the coding
        }
    }

    // Every reset period round-trips every input, on one thread or several,
    // with streams of several windows; under a model without context (the
    // unigram) the tokens do not depend on it: the coder resets every window.
    void m1ContextRoundTrips_data() {
        QTest::addColumn<uint32_t>("every");
        QTest::newRow("every window") << 1u;
        QTest::newRow("every 2nd") << 2u;
        QTest::newRow("every 4th") << 4u;
        QTest::newRow("never") << 0u;
    }
    void m1ContextRoundTrips() {
        QFETCH(uint32_t, every);
        const ModelSet m1 = loadModelsFor(Method::EqualInfoAc, "");
        const ModelSet unigram = loadModelsFor(Method::StaticAc, "");
        for (const test::NamedInput& in : test::harnessInputs(3000)) {
            const std::vector<uint8_t> data(in.bytes.begin(),
                                            in.bytes.begin() + std::ptrdiff_t(std::min<size_t>(in.bytes.size(), 3000)));
            CodecParams p;
            p.chunkBytes = 1000;
            p.m1Reset = every;
            for (int threads : {1, 3}) {
                EncodeOptions o;
                o.threads = threads;
                o.stats = threads == 1;  // the encoder's own decoding check, once
                const Encoded e = encode(data.data(), data.size(), p, m1, o);
                QVERIFY2(decode(e, m1, {}, threads) == data, qPrintable(in.name));
                if (o.stats) QCOMPARE(e.tokenOnlyDecodable.value_or(0.0), 1.0);
            }
            CodecParams plain = p;
            plain.m1Reset = 1;
            QCOMPARE(encode(data.data(), data.size(), p, unigram).tokens,
                     encode(data.data(), data.size(), plain, unigram).tokens);
        }
    }

    // The per-stream window counts the decoder relies on are checked.
    void m1ContextSideInformationIsChecked() {
        const std::vector<uint8_t> full = test::sampleText();
        const std::vector<uint8_t> data(full.begin(), full.begin() + 9000);
        const ModelSet m = loadModelsFor(Method::StaticAc, "");
        CodecParams p;
        p.chunkBytes = 3000;
        p.m1Reset = 0;
        Encoded e = encode(data.data(), data.size(), p, m);
        QVERIFY(decode(e, m) == data);
        const std::vector<uint8_t> side = inflateBytes(e.side, 100);
        ByteSource in(side.data(), side.size(), "side");
        std::vector<uint64_t> counts;
        for (int s = 0; s < 3; ++s) counts.push_back(in.varint("count"));
        QCOMPARE(counts[0] + counts[1] + counts[2], e.windows);
        for (const std::vector<uint64_t>& wrong :
             std::vector<std::vector<uint64_t>>{{counts[0] + 1, counts[1] - 1, counts[2]},
                                                {counts[0], counts[1]},
                                                {0, counts[1], counts[2] + counts[0]}}) {
            ByteSink sink;
            for (uint64_t n : wrong) sink.varint(n);
            Encoded bad = e;
            bad.side = deflateBytes(sink.data());
            QVERIFY_THROWS_EXCEPTION(FormatError, decode(bad, m));
        }
        Encoded none = e;
        none.side = deflateBytes({});
        QVERIFY_THROWS_EXCEPTION(FormatError, decode(none, m));
    }

    // A traced window that closed before its stream ended says why: the next
    // byte (the next window's first), what it costs there, and the bits the
    // window would have needed with it, more than b. A stream's last says -1.
    void windowsSayWhyTheyClosed_data() {
        QTest::addColumn<bool>("distinct");
        QTest::newRow("distinct") << true;
        QTest::newRow("shortest") << false;
    }
    void windowsSayWhyTheyClosed() {
        QFETCH(bool, distinct);
        const std::vector<uint8_t> full = test::sampleText();
        const std::vector<uint8_t> data(full.begin(), full.begin() + 5000);
        const ModelSet m = loadModelsFor(Method::EqualInfoAc, "");
        CodecParams p;
        p.chunkBytes = 2000;
        p.termination = distinct ? CodecParams::Termination::Distinct : CodecParams::Termination::Shortest;
        EncodeOptions o;
        o.trace = true;
        const Encoded e = encode(data.data(), data.size(), p, m, o);
        uint64_t searched = 0;
        for (size_t w = 0; w < e.trace.segments.size(); ++w) {
            const Segment& s = e.trace.segments[w];
            if (s.byteEnd % p.chunkBytes == 0 || s.byteEnd == data.size()) {
                QCOMPARE(int(s.nextByte), -1);
                continue;
            }
            QCOMPARE(int(s.nextByte), int(data[s.byteEnd]));
            QCOMPARE(e.trace.segments[w + 1].byteBegin, s.byteEnd);
            QVERIFY(s.nextByteBits > 0);
            QVERIFY(s.bitsWithNext == 0 || s.bitsWithNext > uint64_t(p.windowBits));
            QVERIFY(s.bitsWithNext <= uint64_t(p.windowBits) + kWhyClosedSearchBits);
            searched += s.bitsWithNext > 0;
        }
        QVERIFY(searched > e.windows / 2);
    }
};

QTEST_GUILESS_MAIN(TestEqualInfo)
#include "tst_equal_info.moc"
