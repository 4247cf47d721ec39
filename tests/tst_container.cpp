// Containers: write/read round trips, and every kind of damage gives a clear
// FormatError before any expensive work; containers of earlier format
// versions (tests/data) still decode.
#include <QDir>
#include <QTest>

#include "base/errors.h"
#include "base/file_io.h"
#include "methods/container.h"
#include "methods/default_models.h"
#include "models/m1_byte_model.h"
#include "models/model_files.h"
#include "models/uniform_model.h"
#include "test_inputs.h"

using namespace eqlab;

namespace {

std::vector<uint8_t> makeContainer(Method method, const std::vector<uint8_t>& data) {
    CodecParams p;
    p.method = method;
    const ModelSet m = loadModelsFor(method, "");
    return writeContainer(encode(data.data(), data.size(), p, m), m);
}

std::vector<uint8_t> decodeContainer(const std::vector<uint8_t>& bytes) {
    const Container c = readContainer(bytes.data(), bytes.size());
    return decode(c.encoded, c.models([] { return std::shared_ptr<ByteModel>(loadByteModel(defaultM1Path())); }));
}

}  // namespace

class TestContainer : public QObject {
    Q_OBJECT
private slots:
    void roundTripEveryMethod() {
        std::vector<uint8_t> text = test::sampleText();
        for (Method m : allMethods()) {
            const std::vector<uint8_t> bytes = makeContainer(m, text);
            QVERIFY2(decodeContainer(bytes) == text, methodName(m).c_str());
        }
    }

    // M1's reset period travels in the container and decodes back exactly;
    // the default period writes no field (the stored v2 containers, below).
    void m1ResetRoundTrips() {
        const std::vector<uint8_t> full = test::sampleText();
        const std::vector<uint8_t> text(full.begin(), full.begin() + 4000);
        const ModelSet m = loadModelsFor(Method::EqualInfoAc, "");
        for (uint32_t every : {2u, 0u}) {
            CodecParams p;
            p.chunkBytes = 1500;
            p.m1Reset = every;
            const Encoded e = encode(text.data(), text.size(), p, m);
            const std::vector<uint8_t> bytes = writeContainer(e, m);
            const Container c = readContainer(bytes.data(), bytes.size());
            QCOMPARE(c.encoded.params.m1Reset, every);
            QCOMPARE(c.encoded.params.label(), p.label());
            QVERIFY(decode(c.encoded, c.models([&] { return m.byteModel; })) == text);
            // The flags byte (after magic, version, body length, method, k, b, P and gzip level).
            QCOMPARE(int(bytes[16]), 3);  // distinct | M1 reset period follows
            CodecParams plain = p;
            plain.m1Reset = 1;
            QCOMPARE(int(writeContainer(encode(text.data(), text.size(), plain, m), m)[16]), 1);
        }
    }

    // M1's numerics version is part of the model's identity (its hash). A
    // model re-stamped for other numerics (eqlab-cli stamp-m1) codes under
    // them, and still decodes what it coded before: the container names the
    // other hash, and the decoder takes the same weights under that version
    // (ByteModel::withHash). Both ways: version 1 to 2 and 2 to 1.
    void reStampedModelDecodesItsEarlierContainers() {
        const QDir dir(EQLAB_TEST_DATA);
        const m1::M1Weights tiny = m1::M1Weights::load(dir.filePath("tiny-m1.eqm1").toStdString());
        QCOMPARE(tiny.provenance.numericsVersion, 1);
        m1::M1Weights stamped2 = tiny;
        stamped2.provenance.numericsVersion = 2;
        const auto v1 = std::make_shared<M1Model>(std::make_shared<const m1::M1Weights>(tiny));
        const auto v2 = std::make_shared<M1Model>(std::make_shared<const m1::M1Weights>(stamped2));
        QVERIFY(v1->hash() != v2->hash());
        const std::vector<uint8_t> full = test::sampleText();
        const std::vector<uint8_t> text(full.begin(), full.begin() + 1500);
        CodecParams p;
        p.method = Method::Ac;
        for (const auto& [coder, other] : {std::pair{v1, v2}, std::pair{v2, v1}}) {
            ModelSet m;
            m.byteModel = coder;
            const std::vector<uint8_t> bytes = writeContainer(encode(text.data(), text.size(), p, m), m);
            const Container c = readContainer(bytes.data(), bytes.size());
            QCOMPARE(c.modelHash, coder->hash());
            const ModelSet back = c.models([&] { return std::shared_ptr<ByteModel>(other); });
            QCOMPARE(back.byteModel->hash(), coder->hash());
            QVERIFY(decode(c.encoded, back) == text);
            // Not merely close: the model found codes the container's very bits.
            QVERIFY(writeContainer(encode(text.data(), text.size(), p, back), back) == bytes);
        }
        // Weights that differ are still refused, whatever their numerics.
        m1::M1Weights changed = stamped2;
        changed.tensors.at("head.bias").data[0] += 1.0f;
        ModelSet m;
        m.byteModel = v1;
        const std::vector<uint8_t> bytes = writeContainer(encode(text.data(), text.size(), p, m), m);
        const Container c = readContainer(bytes.data(), bytes.size());
        QVERIFY_THROWS_EXCEPTION(ModelMismatch, c.models([&] {
            return std::shared_ptr<ByteModel>(new M1Model(std::make_shared<const m1::M1Weights>(changed)));
        }));
    }

    // A header whose claims the payload cannot back is refused before any
    // allocation follows them: 2^40 bytes in streams of one byte each would
    // need 2^40 windows (and stream counts), the payload has a few hundred.
    void m1ResetClaimsAreBoundedByTheData() {
        const std::vector<uint8_t> full = test::sampleText();
        const std::vector<uint8_t> text(full.begin(), full.begin() + 2000);
        const ModelSet m = loadModelsFor(Method::StaticAc, "");
        CodecParams p;
        p.chunkBytes = 500;
        p.m1Reset = 2;
        const Encoded e = encode(text.data(), text.size(), p, m);
        for (const auto& [inputBytes, chunkBytes] :
             std::vector<std::pair<uint64_t, uint32_t>>{{uint64_t(1) << 40, 1}, {uint64_t(1) << 40, 1u << 30}}) {
            Encoded bomb = e;
            bomb.inputBytes = inputBytes;
            bomb.params.chunkBytes = chunkBytes;
            const std::vector<uint8_t> bytes = writeContainer(bomb, m);
            // The chunk table no longer fits the length: refused as the header is read.
            QVERIFY_THROWS_EXCEPTION(FormatError, readContainer(bytes.data(), bytes.size()));
        }
    }

    // Decompression bombs (issue 15): a header whose original length is more
    // than its payload can produce is refused as it is read, naming the claim
    // and the bound, before anything is allocated or decoded. 2^24 is above
    // every row's bound yet allocatable, so that without the bound the row
    // fails its assertion instead of running out of memory; 2^40 is the
    // issue's case.
    void bombsAreRefusedAsTheHeaderIsRead_data() {
        QTest::addColumn<QString>("label");
        QTest::addColumn<int>("inputBytes");
        QTest::addColumn<qulonglong>("claim");
        for (const qulonglong claim : {qulonglong(1) << 24, qulonglong(1) << 40}) {
            const QString c = QString::number(claim);
            QTest::newRow(qPrintable("gzip 6 KB claims " + c)) << "gzip" << 6000 << claim;
            QTest::newRow(qPrintable("gzip 16-bit tokens claims " + c)) << "gzip[v=65536]" << 6000 << claim;
            QTest::newRow(qPrintable("eqinfo-ac claims " + c)) << "eqinfo-ac" << 1500 << claim;
            QTest::newRow(qPrintable("eqinfo-ac b=64 claims " + c)) << "eqinfo-ac[b=64,v=256]" << 1500 << claim;
            QTest::newRow(qPrintable("bytes claims " + c)) << "bytes" << 1500 << claim;
            QTest::newRow(qPrintable("static-ac claims " + c)) << "static-ac" << 2260 << claim;
        }
        QTest::newRow("sentencepiece claims 2^40") << "sentencepiece" << 1500 << (qulonglong(1) << 40);
    }
    void bombsAreRefusedAsTheHeaderIsRead() {
        QFETCH(QString, label);
        QFETCH(int, inputBytes);
        QFETCH(qulonglong, claim);
        const CodecParams p = CodecParams::fromLabel(label.toStdString());
        const ModelSet m = loadModelsFor(p.method, "");
        std::vector<uint8_t> text = test::sampleText();
        text.resize(size_t(inputBytes));
        Encoded bomb = encode(text.data(), text.size(), p, m);
        bomb.inputBytes = claim;
        const std::vector<uint8_t> bytes = writeContainer(bomb, m);  // every CRC right
        try {
            readContainer(bytes.data(), bytes.size());
            QFAIL("the forged length was accepted");
        } catch (const FormatError& e) {
            const QString what = e.what();
            QVERIFY2(what.contains(QString::number(claim)), e.what());
            QVERIFY2(what.contains("can hold at most") || what.contains("chunk table") || what.contains("token count"),
                     e.what());
        }
    }

    // The bounds are honest: what eqlab writes is within them, for inputs
    // that compress best (long runs, one byte repeated) and at every P.
    void ownContainersAreWithinTheBounds_data() {
        QTest::addColumn<QString>("label");
        QTest::addColumn<int>("precision");
        for (const char* l : {"bytes", "gzip", "gzip[v=65536]", "static-ac", "ac", "sentencepiece"})
            QTest::newRow(l) << QString(l) << 0;
        for (const char* l : {"eqinfo-ac[b=16,v=256]", "eqinfo-ac[b=64,v=256]", "eqinfo-ac[b=16,v=256,shortest]",
                              "eqinfo-ac[b=32,v=65536,reset=never]"})
            for (int precision : {0, 8, 14})
                QTest::newRow(qPrintable(QString("%1 P=%2").arg(l).arg(precision))) << QString(l) << precision;
        QTest::newRow("eqinfo-ac[b=256,v=256] P=24") << "eqinfo-ac[b=256,v=256]" << 24;
    }
    void ownContainersAreWithinTheBounds() {
        QFETCH(QString, label);
        QFETCH(int, precision);
        CodecParams p = CodecParams::fromLabel(label.toStdString());
        p.precision = precision;
        p.chunkBytes = 4096;
        const ModelSet m = loadModelsFor(p.method, "");
        std::vector<uint8_t> runs(3000, 0);
        std::vector<uint8_t> high(3000, 0);
        high[0] = 0x80;  // then zeros: under any model a handful of bits per chunk
        std::vector<uint8_t> letters(3000, 'e');
        std::vector<uint8_t> text = test::sampleText();
        text.resize(3000);
        for (const std::vector<uint8_t>& data : {runs, high, letters, text}) {
            const std::vector<uint8_t> bytes = writeContainer(encode(data.data(), data.size(), p, m), m);
            const Container c = readContainer(bytes.data(), bytes.size());
            QVERIFY(decode(c.encoded, c.models([] {
                        return std::shared_ptr<ByteModel>(loadByteModel(defaultM1Path()));
                    })) == data);
        }
    }

    // Why ac's bits bound nothing: a chunk of one 0x80 and NULs codes to a
    // handful of bits under any model (the coder interval keeps its low end),
    // so a header claiming a long chunk may be genuine; the chunk table and
    // memory that follows what is decoded (container_stream.h) are the bounds.
    void acChunksCanBeFarLongerThanTheirBits() {
        std::vector<uint8_t> data(1 << 20, 0);
        data[0] = 0x80;
        CodecParams p = CodecParams::fromLabel("static-ac");
        p.chunkBytes = uint32_t(data.size());
        const ModelSet m = loadModelsFor(p.method, "");
        const Encoded e = encode(data.data(), data.size(), p, m);
        QVERIFY2(e.tokens.size() < 8, qPrintable(QString::number(e.tokens.size())));
        const std::vector<uint8_t> bytes = writeContainer(e, m);
        QVERIFY(decodeContainer(bytes) == data);
    }

    // Flip one bit at many offsets, and truncate at many lengths: every
    // damaged container is refused with a FormatError, never decoded wrongly.
    void damageIsDetected_data() {
        QTest::addColumn<int>("method");
        for (Method m : allMethods()) QTest::newRow(methodName(m).c_str()) << int(m);
    }
    void damageIsDetected() {
        QFETCH(int, method);
        std::vector<uint8_t> text = test::sampleText();
        text.resize(2000);
        const std::vector<uint8_t> good = makeContainer(Method(method), text);
        const size_t step = std::max<size_t>(1, good.size() / 300);
        for (size_t off = 0; off < good.size(); off += step) {
            std::vector<uint8_t> bad = good;
            bad[off] ^= uint8_t(1u << (off % 8));
            try {
                decodeContainer(bad);
                QFAIL(qPrintable(QString("a flipped bit at byte %1 went unnoticed").arg(off)));
            } catch (const FormatError&) {
            } catch (const ModelMismatch&) {
            }
        }
        for (size_t len = 0; len < good.size(); len += step) {
            std::vector<uint8_t> bad(good.begin(), good.begin() + std::ptrdiff_t(len));
            QVERIFY_THROWS_EXCEPTION(FormatError, decodeContainer(bad));
        }
    }

    void errorsNameTheProblem_data() {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("message");
        QTest::newRow("not a container") << "magic"
                                         << "bad magic";
        QTest::newRow("future version") << "version"
                                        << "unsupported format version";
        QTest::newRow("header bit flip") << "header"
                                         << "header checksum";
        QTest::newRow("payload bit flip") << "payload"
                                          << "payload checksum";
        QTest::newRow("truncated payload") << "truncate"
                                           << "truncated";
        QTest::newRow("trailing garbage") << "append"
                                          << "unexpected bytes";
        QTest::newRow("huge header length") << "length"
                                            << "out of range";
    }
    void errorsNameTheProblem() {
        QFETCH(QString, damage);
        QFETCH(QString, message);
        std::vector<uint8_t> b = makeContainer(Method::StaticAc, test::sampleText());
        if (damage == "magic") b[1] = 'X';
        if (damage == "version") b[4] = 7;
        if (damage == "header") b[20] ^= 1;
        if (damage == "payload") b[b.size() - 10] ^= 1;
        if (damage == "truncate") b.resize(b.size() - 100);
        if (damage == "append") b.push_back(0);
        if (damage == "length") b[9] = 0x7F;
        try {
            decodeContainer(b);
            QFAIL("damage went unnoticed");
        } catch (const FormatError& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    // A container whose payload and checksums are intact but whose model is
    // another one is refused by hash, before decoding.
    void wrongModelIsRefused() {
        const std::vector<uint8_t> text = test::sampleText();
        const std::vector<uint8_t> bytes = makeContainer(Method::Ac, text);
        Container c = readContainer(bytes.data(), bytes.size());
        c.modelKind = ContainerModel::M1;  // as if it needed M1 weights
        QVERIFY_THROWS_EXCEPTION(ModelMismatch, c.models());
        QVERIFY_THROWS_EXCEPTION(ModelMismatch, c.models([] { return std::make_shared<UniformModel>(); }));
    }

    // Containers written by earlier format versions must keep decoding.
    void earlierVersionsStillDecode() {
        QDir dir(EQLAB_TEST_DATA);
        const QStringList files = dir.entryList({"*.eqlc"}, QDir::Files);
        QVERIFY2(files.size() >= 6, "tests/data holds the version-1 containers");
        for (const QString& f : files) {
            const std::vector<uint8_t> bytes = readFile(dir.filePath(f).toStdString());
            const QString original = f.section('.', 0, 0) + ".orig";
            const std::vector<uint8_t> expect = readFile(dir.filePath(original).toStdString());
            QVERIFY2(decodeContainer(bytes) == expect, qPrintable(f));
        }
    }

    // Encoding each stored version-2 container's original again, with the
    // parameters and model it records, writes exactly its bytes, on one
    // thread or three: every encoder path still writes the bits it wrote.
    void encodersStillWriteTheStoredBits_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("threads");
        const QStringList files = QDir(EQLAB_TEST_DATA).entryList({"v2-*.eqlc"}, QDir::Files);
        for (const QString& f : files)
            for (int threads : {1, 3})
                QTest::newRow(qPrintable(QString("%1 / %2 threads").arg(f).arg(threads))) << f << threads;
    }
    void encodersStillWriteTheStoredBits() {
        QFETCH(QString, file);
        QFETCH(int, threads);
        const QDir dir(EQLAB_TEST_DATA);
        const std::vector<uint8_t> stored = readFile(dir.filePath(file).toStdString());
        const std::vector<uint8_t> text = readFile(dir.filePath(file.section('.', 0, 0) + ".orig").toStdString());
        const Container c = readContainer(stored.data(), stored.size());
        const std::string tiny = dir.filePath("tiny-m1.eqm1").toStdString();
        const ModelSet models = c.models([&] {
            auto m = std::shared_ptr<ByteModel>(loadByteModel(tiny));
            return m->hash() == c.modelHash ? m : std::shared_ptr<ByteModel>(loadByteModel(defaultM1Path()));
        });
        EncodeOptions o;
        o.threads = threads;
        const Encoded e = encode(text.data(), text.size(), c.encoded.params, models, o);
        QVERIFY(writeContainer(e, models) == stored);
    }
};

QTEST_GUILESS_MAIN(TestContainer)
#include "tst_container.moc"
