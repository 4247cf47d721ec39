// The coder step-through (analysis/step_through.h) against the coder
// itself: its bits are the method's bitstream, each byte's bits are where
// the encoder's trace put them, its interval after every byte is the one an
// independent decoder reaches on encode()'s bits, and its windows close
// where the encoder closed them. Then `eqlab-cli step`.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "analysis/step_through.h"
#include "base/errors.h"
#include "cli_run.h"
#include "coding/range_coder.h"
#include "methods/codec.h"
#include "methods/default_models.h"
#include "test_inputs.h"

using namespace eqlab;

Q_DECLARE_METATYPE(CodecParams)

namespace {

std::vector<uint8_t> bytesOf(const char* s) {
    return std::vector<uint8_t>(s, s + std::strlen(s));
}

// The walk's inputs: a sentence, English text, and bytes the model finds
// improbable (long pending runs, windows of one byte).
std::vector<uint8_t> inputNamed(const QString& name) {
    if (name == "sentence") return bytesOf(kDefaultStepText);
    if (name == "random") return test::randomBytes(300, 7);
    std::vector<uint8_t> text = test::sampleText();
    text.resize(900);
    return text;
}

std::string bitsOf(const Encoded& e) {
    std::string s;
    const int k = e.params.tokenBits;
    for (uint32_t t : e.tokens)
        for (int i = k - 1; i >= 0; --i) s += char('0' + ((t >> i) & 1u));
    return s;
}

struct Run {
    Encoded encoded;
    StepThrough walk;
};

Run walkAndEncode(const std::vector<uint8_t>& text, const CodecParams& params, bool decode = false) {
    const ModelSet models = loadModelsFor(params.method, "");
    EncodeOptions eo;
    eo.trace = true;
    Run r;
    r.encoded = encode(text.data(), text.size(), params, models, eo);
    const std::unique_ptr<ByteModel> model = models.byteModel->clone();
    StepOptions so;
    so.decode = decode;
    r.walk = stepThrough(text.data(), text.size(), params, *model, so);
    return r;
}

CodecParams method(const char* label, uint32_t chunkBytes = kDefaultChunkBytes) {
    CodecParams p = CodecParams::fromLabel(label);
    p.chunkBytes = chunkBytes;
    return p;
}

}  // namespace

class TestStepThrough : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void walk_data() {
        QTest::addColumn<CodecParams>("params");
        QTest::addColumn<QString>("input");
        const std::pair<const char*, CodecParams> methods[] = {
            {"static-ac", method("static-ac")},
            {"ac", method("ac")},
            {"ac k=5", method("ac[v=32]")},
            {"ac chunks of 100", method("ac", 100)},
            {"eqinfo-ac b=16", method("eqinfo-ac[b=16,v=256]")},
            {"eqinfo-ac b=16 shortest", method("eqinfo-ac[b=16,v=256,shortest]")},
            {"eqinfo-ac b=32 k=16", method("eqinfo-ac[b=32,v=65536]")},
            {"eqinfo-ac b=24 k=8", method("eqinfo-ac[b=24,v=256]")},
            {"eqinfo-ac reset=2", method("eqinfo-ac[b=16,v=256,reset=2]")},
            {"eqinfo-ac reset=never", method("eqinfo-ac[b=16,v=256,reset=never]")},
            {"eqinfo-ac streams of 100", method("eqinfo-ac[b=16,v=256]", 100)},
        };
        for (const auto& [name, params] : methods)
            for (const char* input : {"sentence", "text", "random"})
                QTest::newRow(qPrintable(QString("%1 / %2").arg(name, input))) << params << QString(input);
    }

    // Every frame's bits, in order, are exactly the method's bitstream.
    void walk() {
        QFETCH(CodecParams, params);
        QFETCH(QString, input);
        const std::vector<uint8_t> text = inputNamed(input);
        const Run r = walkAndEncode(text, params);
        QCOMPARE(r.walk.bits, bitsOf(r.encoded));
        QVERIFY(r.walk.tokens() == r.encoded.tokens);
        QCOMPARE(r.walk.bytes, text);

        // Each byte's Code frame settles exactly the bits the encoder's trace says it emitted.
        const Trace& t = r.encoded.trace;
        size_t codes = 0;
        // (The trace gives a segment's termination to its last byte, up to the bits it used.)
        for (size_t i = 0; i < r.walk.frames.size(); ++i) {
            const StepFrame& f = r.walk.frames[i];
            if (f.kind != StepFrame::Kind::Code) continue;
            const StepFrame& next = r.walk.frames[i + 1];
            const StepSegment& segment = r.walk.segments[f.segment];
            const uint64_t end = next.kind == StepFrame::Kind::Close ? segment.bitBegin + segment.bitsUsed
                                                                     : f.bitBegin + f.emitted.size();
            QCOMPARE(f.byteIndex, uint64_t(codes));
            QCOMPARE(f.bitBegin, t.bitBegin[codes]);
            QCOMPARE(end, t.bitEnd[codes]);
            QCOMPARE(float(f.surprisalBits), t.surprisalBits[codes]);
            ++codes;
        }
        QCOMPARE(codes, text.size());

        // The windows (or chunks) close where the encoder closed them, for the same reason.
        QCOMPARE(r.walk.segments.size(), t.segments.size());
        for (size_t w = 0; w < t.segments.size(); ++w) {
            const StepSegment& s = r.walk.segments[w];
            const Segment& e = t.segments[w];
            QCOMPARE(s.byteBegin, e.byteBegin);
            QCOMPARE(s.byteEnd, e.byteEnd);
            QCOMPARE(s.bitBegin, e.bitBegin);
            QCOMPARE(s.bitsUsed, e.bitsUsed);
            QCOMPARE(s.bitsTotal, e.bitsTotal);
            const StepFrame& close = r.walk.frames[s.lastFrame];
            QCOMPARE(close.kind, StepFrame::Kind::Close);
            QCOMPARE(r.walk.frames[s.firstFrame].kind, StepFrame::Kind::Reset);
            QCOMPARE(close.padding.size(), size_t(e.bitsTotal - (close.bitBegin + close.emitted.size() - e.bitBegin)));
            if (params.method == Method::EqualInfoAc) {
                QCOMPARE(close.nextByte, int(e.nextByte));
                QCOMPARE(float(close.nextByteBits), e.nextByteBits);
                QCOMPARE(close.bitsWithNext, e.bitsWithNext);
                // It closed because the next byte did not fit.
                if (close.nextByte >= 0) QVERIFY(close.bitsWithNext == 0 || close.bitsWithNext > s.bitsTotal);
                QVERIFY(close.segmentBitsUsed <= close.segmentBits);
            }
        }
    }

    // The interval after each byte is the coder's: an independent decoder on
    // encode()'s bits reaches the same [low, high] and pending count.
    void intervalIsTheCoders_data() { walk_data(); }
    void intervalIsTheCoders() {
        QFETCH(CodecParams, params);
        QFETCH(QString, input);
        const std::vector<uint8_t> text = inputNamed(input);
        const Run r = walkAndEncode(text, params);
        const Run decoding = walkAndEncode(text, params, true);
        BitWriter bits;
        for (uint32_t tok : r.encoded.tokens) bits.putBits(tok, params.tokenBits);
        const std::unique_ptr<ByteModel> model = loadModelsFor(params.method, "").byteModel->clone();
        const int precision = params.effectivePrecision();
        for (const StepSegment& s : r.walk.segments) {
            if (r.walk.frames[s.firstFrame].modelReset) model->reset();
            RangeDecoder dec(bits.bytes().data(), s.bitBegin, s.bitBegin + s.bitsTotal);
            for (size_t i = s.firstFrame + 1; i < s.lastFrame; ++i) {
                const StepFrame& f = r.walk.frames[i];
                QCOMPARE(f.kind, StepFrame::Kind::Code);
                const Cdf& cdf = model->cdf(precision);
                QCOMPARE(f.cum, cdf.cum[text[f.byteIndex]]);
                QCOMPARE(f.freq, cdf.freq(text[f.byteIndex]));
                QCOMPARE(f.total, cdf.total());
                // The decoding walk read what this decoder reads.
                QCOMPARE(decoding.walk.frames[i].code, dec.code());
                QCOMPARE(decoding.walk.frames[i].bitsRead, dec.bitsRead());
                const int c = dec.decode(cdf);
                QCOMPARE(c, int(text[f.byteIndex]));
                QCOMPARE(f.low, dec.state().low);
                QCOMPARE(f.high, dec.state().high);
                QCOMPARE(f.pending, dec.state().pending);
                model->advance(uint8_t(c));
            }
        }
    }

    // Decoding walks the same bits back: the code register lies in the
    // interval, and the decoder reads forward.
    void decodeWalk() {
        for (const char* label : {"eqinfo-ac[b=16,v=256]", "eqinfo-ac[b=16,v=256,shortest]", "ac", "static-ac"}) {
            const std::vector<uint8_t> text = inputNamed("text");
            const Run enc = walkAndEncode(text, method(label));
            const Run dec = walkAndEncode(text, method(label), true);
            QVERIFY(dec.walk.decoding);
            QCOMPARE(dec.walk.bits, enc.walk.bits);
            QCOMPARE(dec.walk.frames.size(), enc.walk.frames.size());
            uint64_t lastRead = 0;
            for (size_t i = 0; i < dec.walk.frames.size(); ++i) {
                const StepFrame& f = dec.walk.frames[i];
                QCOMPARE(f.low, enc.walk.frames[i].low);
                if (f.kind == StepFrame::Kind::Reset) lastRead = 0;
                if (f.kind != StepFrame::Kind::Code) continue;
                QVERIFY2(f.code >= f.lowBefore && f.code <= f.highBefore, label);
                QVERIFY(f.bitsRead >= lastRead && f.bitsRead >= uint64_t(kStateBits));
                lastRead = f.bitsRead;
            }
        }
    }

    void candidates() {
        const std::vector<uint8_t> text = inputNamed("text");
        const Run r = walkAndEncode(text, method("ac"));
        for (const StepFrame& f : r.walk.frames) {
            if (f.kind != StepFrame::Kind::Code) continue;
            QVERIFY(f.candidates.size() == size_t(kDefaultStepCandidates) ||
                    f.candidates.size() == size_t(kDefaultStepCandidates + 1));
            for (size_t i = 1; i < size_t(kDefaultStepCandidates); ++i)
                QVERIFY(f.candidates[i - 1].probability >= f.candidates[i].probability);
            const auto chosen = std::find_if(f.candidates.begin(), f.candidates.end(),
                                             [&](const StepCandidate& c) { return c.byte == text[f.byteIndex]; });
            QVERIFY(chosen != f.candidates.end());
            QCOMPARE(chosen->cum, f.cum);
            QCOMPARE(chosen->freq, f.freq);
        }
    }

    void frameLookup() {
        const Run r = walkAndEncode(inputNamed("sentence"), method("eqinfo-ac[b=16,v=256]"));
        for (size_t w = 0; w < r.walk.segments.size(); ++w) {
            const size_t f = r.walk.frameOfSegment(w);
            QCOMPARE(r.walk.frames[f].kind, StepFrame::Kind::Reset);
            QCOMPARE(r.walk.frames[f].segment, uint64_t(w));
            QCOMPARE(r.walk.frames[r.walk.frameOfByte(r.walk.segments[w].byteBegin)].byteIndex,
                     r.walk.segments[w].byteBegin);
        }
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, r.walk.frameOfSegment(r.walk.segments.size()));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, r.walk.frameOfByte(r.walk.bytes.size()));
    }

    void limits() {
        const ModelSet models = loadModelsFor(Method::StaticAc, "");
        std::unique_ptr<ByteModel> model = models.byteModel->clone();
        const std::vector<uint8_t> big = test::randomBytes(kMaxStepBytes + 100, 3);
        const StepThrough walk = stepThrough(big.data(), big.size(), method("static-ac"), *model);
        QCOMPARE(walk.bytes.size(), kMaxStepBytes);
        QCOMPARE(walk.inputBytes, uint64_t(big.size()));
        QVERIFY(stepThrough(big.data(), 0, method("static-ac"), *model).frames.empty());
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, stepThrough(big.data(), 10, method("gzip"), *model));
        StepOptions cancel;
        cancel.progress = [](uint64_t done, uint64_t) { return done < 100; };
        QVERIFY_THROWS_EXCEPTION(Cancelled, stepThrough(big.data(), 1000, method("static-ac"), *model, cancel));
    }

    // eqlab-cli step prints one JSON document: one object per step.
    void cli() {
        const test::CliRun r =
            test::cli({"step", "-m", "eqinfo-ac", "-b", "16", "--json", "--text", "Arithmetic coding."});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        const QJsonArray steps = o["steps"].toArray();
        const std::vector<uint8_t> text = bytesOf("Arithmetic coding.");
        const Run walk = walkAndEncode(text, method("eqinfo-ac[b=16,v=256]"));
        QCOMPARE(size_t(steps.size()), walk.walk.frames.size());
        QCOMPARE(o["bits"].toString().toStdString(), bitsOf(walk.encoded));
        QString bits;
        for (const QJsonValue& v : steps) {
            const QJsonObject s = v.toObject();
            for (const char* key : {"byte_index", "byte", "low", "high", "freq", "cum", "total", "surprisal_bits",
                                    "emitted", "pending", "window", "window_bits_used", "event"})
                QVERIFY2(s.contains(key), key);
            bits += s["emitted"].toString() + s["padding"].toString();
        }
        QCOMPARE(bits, o["bits"].toString());
        QCOMPARE(steps[0]["event"].toString(), QString("reset"));
        QCOMPARE(steps[1]["byte"].toInt(), int('A'));
        QVERIFY(steps[1]["event"].isNull());
        QCOMPARE(steps.last()["event"].toString(), QString("window_closed"));
        QCOMPARE(o["windows"].toArray().size(), qsizetype(walk.walk.segments.size()));

        const test::CliRun d = test::cli({"step", "-m", "ac", "--decode", "--json", "--text", "Arithmetic coding."});
        QVERIFY2(d.code == 0, qPrintable(d.err));
        const QJsonObject od = QJsonDocument::fromJson(d.out).object();
        QVERIFY(od["decoding"].toBool());
        QVERIFY(od["steps"].toArray()[1].toObject().contains("code"));
        QCOMPARE(od["steps"].toArray().last()["event"].toString(), QString("chunk_closed"));

        const test::CliRun table = test::cli({"step", "-m", "static-ac"});
        QCOMPARE(table.code, 0);
        QVERIFY(table.out.contains("reset"));
        QCOMPARE(test::cli({"step", "-m", "gzip"}).code, 2);
        QCOMPARE(test::cli({"step", "--text", ""}).code, 2);
    }
};

QTEST_GUILESS_MAIN(TestStepThrough)
#include "tst_step_through.moc"
