// The round-trip harness: every method and parameter set over every harness
// input decodes exactly, leaves a consistent trace, and codes within a stated
// bound of the model's surprisal.
#include <QTest>

#include "base/errors.h"
#include "base/file_io.h"
#include "methods/codec.h"
#include "methods/default_models.h"
#include "models/model_files.h"
#include "models/uniform_model.h"
#include "test_inputs.h"

using namespace eqlab;

Q_DECLARE_METATYPE(eqlab::CodecParams)

namespace {

CodecParams make(Method m, int b = 16, int k = 8, int precision = 0, uint32_t chunk = kDefaultChunkBytes,
                 int level = -1) {
    CodecParams p;
    p.method = m;
    p.windowBits = b;
    p.tokenBits = k;
    p.precision = precision;
    p.chunkBytes = chunk;
    p.gzipLevel = level;
    return p;
}

CodecParams shortest(CodecParams p) {
    p.termination = CodecParams::Termination::Shortest;
    return p;
}

// Which byte model a row codes with. The coding core is tested under the
// static unigram (fast, so the 1 MB input stays cheap); M1 rows use the tiny
// test M1 (EQLAB_DEFAULT_M1), and tst_m1 covers M1 in depth.
enum class RowModel { Default, Uniform, Unigram };

struct ParamRow {
    const char* name;
    CodecParams params;
    RowModel model = RowModel::Unigram;
};

std::vector<ParamRow> paramRows() {
    return {
        {"bytes", make(Method::Bytes)},
        {"gzip k=8", make(Method::Gzip)},
        {"gzip k=16 level 9", make(Method::Gzip, 16, 16, 0, kDefaultChunkBytes, 9)},
        {"gzip k=3 level 0", make(Method::Gzip, 16, 3, 0, kDefaultChunkBytes, 0)},
        {"static-ac k=8", make(Method::StaticAc)},
        {"static-ac k=16 P=24", make(Method::StaticAc, 16, 16, 24)},
        {"static-ac k=1 chunk 1000", make(Method::StaticAc, 16, 1, 0, 1000)},
        {"ac k=8 (M1)", make(Method::Ac), RowModel::Default},
        {"ac k=16", make(Method::Ac, 16, 16)},
        {"eqinfo b=8", make(Method::EqualInfoAc, 8)},
        {"eqinfo b=16", make(Method::EqualInfoAc, 16)},
        {"eqinfo b=16 k=16", make(Method::EqualInfoAc, 16, 16)},
        {"eqinfo b=32", make(Method::EqualInfoAc, 32)},
        {"eqinfo b=64 k=16", make(Method::EqualInfoAc, 64, 16)},
        {"eqinfo b=128", make(Method::EqualInfoAc, 128)},
        {"eqinfo b=24 k=3", make(Method::EqualInfoAc, 24, 3)},
        {"eqinfo b=16 P=8", make(Method::EqualInfoAc, 16, 8, 8)},
        {"eqinfo b=16 stream 100", make(Method::EqualInfoAc, 16, 8, 0, 100)},
        {"eqinfo b=16 uniform model", make(Method::EqualInfoAc, 16), RowModel::Uniform},
        {"eqinfo b=16 (M1)", make(Method::EqualInfoAc, 16), RowModel::Default},
        {"eqinfo b=16 shortest", shortest(make(Method::EqualInfoAc, 16))},
        {"eqinfo b=8 shortest", shortest(make(Method::EqualInfoAc, 8))},
        {"eqinfo b=128 k=16 shortest", shortest(make(Method::EqualInfoAc, 128, 16))},
        {"eqinfo b=16 stream 100 shortest", shortest(make(Method::EqualInfoAc, 16, 8, 0, 100))},
        {"sentencepiece", make(Method::SentencePiece)},
    };
}

}  // namespace

class TestCodec : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data() {
        QTest::addColumn<CodecParams>("params");
        QTest::addColumn<int>("model");
        QTest::addColumn<QByteArray>("input");
        // The sanitizer build (tests/sanitize.sh) runs the same harness on a
        // shorter text: EQLAB_HARNESS_TEXT_BYTES, else 1 MiB.
        bool set = false;
        const int textBytes = qEnvironmentVariableIntValue("EQLAB_HARNESS_TEXT_BYTES", &set);
        const auto inputs = test::harnessInputs(set && textBytes > 0 ? size_t(textBytes) : size_t(1) << 20);
        for (const ParamRow& row : paramRows())
            for (const auto& in : inputs)
                QTest::newRow(qPrintable(QString("%1 / %2").arg(row.name, in.name)))
                    << row.params << int(row.model)
                    << QByteArray(reinterpret_cast<const char*>(in.bytes.data()), qsizetype(in.bytes.size()));
    }
    void roundTrip() {
        QFETCH(CodecParams, params);
        QFETCH(int, model);
        QFETCH(QByteArray, input);
        ModelSet models = loadModelsFor(params.method, "");
        if (RowModel(model) == RowModel::Uniform) models.byteModel = std::make_shared<UniformModel>();
        if (RowModel(model) == RowModel::Unigram && usesRangeCoder(params.method))
            models.byteModel = std::shared_ptr<ByteModel>(loadByteModel(resourcePath(kDefaultUnigramFile)));
        EncodeOptions o;
        o.trace = true;
        const auto* data = reinterpret_cast<const uint8_t*>(input.constData());
        const size_t size = size_t(input.size());
        const Encoded e = encode(data, size, params, models, o);
        const std::vector<uint8_t> back = decode(e, models);
        QVERIFY(back == std::vector<uint8_t>(data, data + size));

        // The trace is consistent and every token and byte is accounted for.
        e.trace.validate(size);
        QCOMPARE(e.trace.tokens.size(), e.tokens.size());
        for (size_t i = 0; i < e.tokens.size(); ++i) QCOMPARE(e.trace.tokens[i].value, e.tokens[i]);
        if (e.trace.alignment != Alignment::DeflateBlock) {
            std::vector<bool> covered(size, false);
            for (const TokenSpan& t : e.trace.tokens)
                for (uint64_t j = t.byteBegin; j < t.byteEnd; ++j) covered[j] = true;
            // Except bytes of a chunk that coded to zero bits (e.g. one NUL, the
            // lowest symbol): no token carries them, the zero padding does.
            for (const Segment& s : e.trace.segments)
                if (s.bitsTotal == 0)
                    for (uint64_t j = s.byteBegin; j < s.byteEnd; ++j) covered[j] = true;
            QVERIFY2(std::find(covered.begin(), covered.end(), false) == covered.end(), "a byte no token covers");
        }
        QVERIFY(e.bits() >= 0.0);
        if (params.method == Method::Bytes) QCOMPARE(e.tokens.size(), size);

        // Coded length bound: each chunk or window uses at most its bytes'
        // surprisal + 1 bit (the termination), plus <= 1e-3 bits per byte of
        // finite-precision loss; padding fills it up to whole tokens/windows.
        // (No lower bound: the shortest termination of a lucky interval can
        // be far shorter than its surprisal.)
        if (usesRangeCoder(params.method)) {
            QVERIFY(e.surprisalBits.has_value());
            uint64_t used = 0, total = 0;
            for (const Segment& s : e.trace.segments) {
                used += s.bitsUsed;
                total += s.bitsTotal;
            }
            QCOMPARE(total, uint64_t(e.tokens.size()) * uint64_t(params.tokenBits));
            const double bound = *e.surprisalBits + double(e.trace.segments.size()) + 1e-3 * double(size);
            QVERIFY2(double(used) <= bound, qPrintable(QString("used %1 bits, bound %2").arg(used).arg(bound)));
            if (params.method == Method::EqualInfoAc) {
                QCOMPARE(e.trace.segments.size(), e.windows);
                for (const Segment& s : e.trace.segments) {
                    QCOMPARE(s.bitsTotal, uint64_t(params.windowBits));
                    QVERIFY(s.byteEnd > s.byteBegin);  // every window holds at least one byte
                }
                QVERIFY(e.tokenOnlyDecodable.has_value());
                QVERIFY(*e.tokenOnlyDecodable >= 0.0 && *e.tokenOnlyDecodable <= 1.0);
            }
        }
    }

    // Equal-Info windows are greedy: the next byte never fits into a window.
    void windowsAreGreedy() {
        const std::vector<uint8_t> text = test::sampleText();
        ModelSet models = loadModelsFor(Method::StaticAc, "");  // the unigram
        for (int b : {16, 32, 64}) {
            CodecParams p = make(Method::EqualInfoAc, b);
            p.chunkBytes = 1 << 20;
            EncodeOptions o;
            o.trace = true;
            const Encoded e = encode(text.data(), text.size(), p, models, o);
            // Re-encode each window plus its next byte alone: it must not fit.
            for (size_t w = 0; w + 1 < e.trace.segments.size(); ++w) {
                const Segment& s = e.trace.segments[w];
                CodecParams one = p;
                const Encoded longer =
                    encode(text.data() + s.byteBegin, size_t(s.byteEnd - s.byteBegin + 1), one, models);
                QVERIFY2(longer.windows == 2, "a window could have held one more byte");
            }
        }
    }

    // Distinct Equal-Info windows encoded on several threads (stream groups)
    // give exactly the single-thread tokens, side information and trace.
    void threadedEqualInfoEqualsSerial() {
        const auto inputs = test::harnessInputs(200000);
        const std::vector<uint8_t>& text = inputs.back().bytes;
        const ModelSet models = loadModelsFor(Method::StaticAc, "");  // the unigram
        CodecParams p = make(Method::EqualInfoAc, 32);
        p.chunkBytes = 7000;
        EncodeOptions o;
        o.trace = true;
        const Encoded one = encode(text.data(), text.size(), p, models, o);
        for (int threads : {2, 3, 64}) {
            o.threads = threads;
            const Encoded many = encode(text.data(), text.size(), p, models, o);
            QVERIFY(many.tokens == one.tokens);
            QVERIFY(many.side == one.side);
            QCOMPARE(many.windows, one.windows);
            QCOMPARE(*many.tokenOnlyDecodable, *one.tokenOnlyDecodable);
            QVERIFY(many.trace.bitBegin == one.trace.bitBegin);
            QVERIFY(many.trace.bitEnd == one.trace.bitEnd);
            QVERIFY(many.trace.segmentOfByte == one.trace.segmentOfByte);
            QCOMPARE(many.trace.segments.size(), one.trace.segments.size());
            for (size_t i = 0; i < one.trace.segments.size(); ++i) {
                QCOMPARE(many.trace.segments[i].byteBegin, one.trace.segments[i].byteBegin);
                QCOMPARE(many.trace.segments[i].bitBegin, one.trace.segments[i].bitBegin);
                QCOMPARE(many.trace.segments[i].bitsUsed, one.trace.segments[i].bitsUsed);
            }
        }
    }

    void b8MeansOneBytePerWindow() {
        const std::vector<uint8_t> text = test::sampleText();
        const Encoded e =
            encode(text.data(), text.size(), make(Method::EqualInfoAc, 8), loadModelsFor(Method::StaticAc, ""));
        QCOMPARE(e.windows, uint64_t(text.size()));
        QCOMPARE(e.tokens, std::vector<uint32_t>(text.begin(), text.end()));
    }

    void invalidParameters_data() {
        QTest::addColumn<CodecParams>("params");
        QTest::addColumn<QString>("message");
        QTest::newRow("k=0") << make(Method::Ac, 16, 0) << "token bits";
        QTest::newRow("k=17") << make(Method::Gzip, 16, 17) << "token bits";
        QTest::newRow("b not a multiple of k") << make(Method::EqualInfoAc, 20, 8) << "multiple";
        QTest::newRow("b too small") << make(Method::EqualInfoAc, 4, 2) << "window bits";
        QTest::newRow("P too fine for b") << make(Method::EqualInfoAc, 16, 8, 16) << "too fine";
        QTest::newRow("P too small") << make(Method::StaticAc, 16, 8, 7) << "precision";
        QTest::newRow("chunk 0") << make(Method::Ac, 16, 8, 0, 0) << "chunk";
        QTest::newRow("gzip level 10") << make(Method::Gzip, 16, 8, 0, 100, 10) << "level";
    }
    void invalidParameters() {
        QFETCH(CodecParams, params);
        QFETCH(QString, message);
        try {
            params.validate();
            QFAIL("invalid parameters accepted");
        } catch (const InvalidArgument& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    void cancelStopsEncoding() {
        const auto inputs = test::harnessInputs();
        const std::vector<uint8_t>& text = inputs.back().bytes;
        EncodeOptions o;
        int calls = 0;
        o.progress = [&](uint64_t, uint64_t) { return ++calls < 3; };
        QVERIFY_THROWS_EXCEPTION(Cancelled, encode(text.data(), text.size(), make(Method::EqualInfoAc),
                                                   loadModelsFor(Method::EqualInfoAc, ""), o));
    }
};

QTEST_GUILESS_MAIN(TestCodec)
#include "tst_codec.moc"
