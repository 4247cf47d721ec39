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
#include "test_inputs.h"

using namespace eqlab;

namespace {

// The window bits an encoder writes for exactly `bytes` (one window, b bits).
std::vector<uint8_t> windowBitsFor(const std::vector<uint8_t>& bytes, const CodecParams& p, const ModelSet& m,
                                   uint64_t* windows) {
    CodecParams one = p;
    one.chunkBytes = kMaxChunkBytes;
    const Encoded e = encode(bytes.data(), bytes.size(), one, m);
    *windows = e.windows;
    return tokensToBits(e.tokens, p.tokenBits);
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
    // For every window of a text, the token-only candidate set computed by
    // scanWindow equals the set found by brute force: count n' is a candidate
    // iff encoding c1..cn' alone reproduces the window's bits exactly, and
    // (when a next window exists) c1..cn' plus its first byte would not fit.
    void candidatesMatchBruteForce_data() {
        QTest::addColumn<int>("b");
        for (int b : {16, 32}) QTest::newRow(qPrintable(QString("b=%1").arg(b))) << b;
    }
    void candidatesMatchBruteForce() {
        QFETCH(int, b);
        std::vector<uint8_t> text = test::sampleText();
        text.resize(3000);
        CodecParams p;
        p.windowBits = b;
        p.chunkBytes = kMaxChunkBytes;
        p.termination = CodecParams::Termination::Shortest;
        const ModelSet m = loadModelsFor(Method::StaticAc, "");
        EncodeOptions o;
        o.trace = true;
        const Encoded e = encode(text.data(), text.size(), p, m, o);
        const std::vector<uint8_t> bits = tokensToBits(e.tokens, p.tokenBits);
        const auto& wins = e.trace.segments;
        int ambiguous = 0;
        for (size_t w = 0; w < wins.size(); ++w) {
            const bool hasNext = w + 1 < wins.size();
            std::optional<uint8_t> d;
            if (hasNext) d = text[wins[w + 1].byteBegin];
            const WindowScan scan =
                scanWindow(bits, wins[w].bitBegin, b, p.effectivePrecision(), *m.byteModel, d, 1 << 16);
            const std::vector<uint64_t> fast = scan.candidates(std::nullopt, hasNext);
            std::vector<uint64_t> brute;
            const std::vector<uint8_t> actual(bits.begin() + std::ptrdiff_t(wins[w].bitBegin / 8),
                                              bits.begin() + std::ptrdiff_t(wins[w].bitBegin / 8 + uint64_t(b) / 8));
            for (uint64_t n = 1; n <= scan.bytes.size(); ++n) {
                std::vector<uint8_t> prefix(scan.bytes.begin(), scan.bytes.begin() + std::ptrdiff_t(n));
                uint64_t count = 0;
                if (windowBitsFor(prefix, p, m, &count) != actual || count != 1) continue;
                if (hasNext) {
                    prefix.push_back(*d);
                    windowBitsFor(prefix, p, m, &count);
                    if (count == 1) continue;  // d would have fitted: the greedy encoder would have taken it
                }
                brute.push_back(n);
            }
            QCOMPARE(fast, brute);
            ambiguous += fast.size() != 1;
            QCOMPARE(wins[w].tokenOnlyDecodable == 1,
                     fast.size() == 1 && fast[0] == wins[w].byteEnd - wins[w].byteBegin);
        }
        qInfo("b=%d: %d of %zu windows ambiguous from tokens alone", b, ambiguous, wins.size());
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
