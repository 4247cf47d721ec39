// Streaming compress/decompress (methods/container_stream.h): for every
// method, any frame size and any input, the file written is byte for byte
// writeContainer(encode(whole input)), and decoding it frame by frame gives
// the input back; damage is refused and a regular output never appears.
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "methods/container.h"
#include "methods/container_stream.h"
#include "methods/default_models.h"
#include "models/model_files.h"
#include "test_inputs.h"

using namespace eqlab;

Q_DECLARE_METATYPE(CodecParams)

namespace {

CodecParams paramsOf(const QString& label, uint32_t chunkBytes, int gzipLevel = -1) {
    CodecParams p = CodecParams::fromLabel(label.toStdString());
    p.chunkBytes = chunkBytes;
    p.gzipLevel = gzipLevel;
    return p;
}

std::shared_ptr<ByteModel> defaultM1() {
    return std::shared_ptr<ByteModel>(loadByteModel(defaultM1Path()));
}

// Text, then NULs, then random bytes: runs that code to almost nothing and
// bytes that code to more than 8 bits, across frame boundaries.
std::vector<uint8_t> mixedInput(size_t n) {
    std::vector<uint8_t> text = test::sampleText();
    std::vector<uint8_t> out;
    while (out.size() < n / 2) out.insert(out.end(), text.begin(), text.end());
    out.resize(n / 2);
    out.insert(out.end(), n / 4, 0);
    const std::vector<uint8_t> noise = test::randomBytes(n - out.size(), 7);
    out.insert(out.end(), noise.begin(), noise.end());
    return out;
}

}  // namespace

class TestContainerStream : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameBytesAsInMemory_data() {
        QTest::addColumn<CodecParams>("params");
        QTest::addColumn<int>("inputBytes");
        QTest::addColumn<int>("frameBytes");
        struct Row {
            const char* label;
            uint32_t chunk;
            int level;
            int bytes;
        };
        const Row rows[] = {
            {"bytes", kDefaultChunkBytes, -1, 30000},
            {"gzip[v=256]", kDefaultChunkBytes, -1, 30000},
            {"gzip[v=32]", kDefaultChunkBytes, 9, 30000},  // 5-bit tokens: not byte aligned
            {"gzip[v=4096]", kDefaultChunkBytes, 1, 30000},
            {"gzip[v=256]", kDefaultChunkBytes, 0, 30000},  // stored blocks
            {"static-ac[v=256]", 700, -1, 12000},
            {"static-ac[v=8192]", 700, -1, 12000},  // 13-bit tokens
            {"ac[v=256]", 500, -1, 5000},
            {"ac[v=32]", 500, -1, 5000},
            {"eqinfo-ac[b=16,v=256]", 400, -1, 4000},
            {"eqinfo-ac[b=24,v=4096]", 400, -1, 4000},
            {"eqinfo-ac[b=16,v=256,reset=2]", 400, -1, 4000},
            {"eqinfo-ac[b=16,v=256,reset=never]", 400, -1, 4000},
            {"eqinfo-ac[b=16,v=256,shortest]", 400, -1, 3000},  // in memory (container_stream.h)
            {"sentencepiece", kDefaultChunkBytes, -1, 8000},    // in memory
        };
        for (const Row& r : rows)
            for (int frame : {1, 1000, 4096, 1 << 20}) {
                const QString name =
                    QString("%1 chunk %2 level %3 / frame %4").arg(r.label).arg(r.chunk).arg(r.level).arg(frame);
                QTest::newRow(qPrintable(name)) << paramsOf(r.label, r.chunk, r.level) << r.bytes << frame;
            }
        // sentencepiece segments (sentencePieceSegmentEnd) across frames: text
        // cut after a newline, NULs cut at the longest segment, random bytes.
        for (int frame : {4096, 300000, 1 << 20})
            QTest::newRow(qPrintable(QString("sentencepiece 2.5 MB / frame %1").arg(frame)))
                << paramsOf("sentencepiece", kDefaultChunkBytes) << (5 << 19) << frame;
        // An input that is an exact number of frames, and an empty one.
        QTest::newRow("static-ac / whole frames") << paramsOf("static-ac", 700) << 2800 << 1400;
        QTest::newRow("gzip / whole frames") << paramsOf("gzip", 700) << 2800 << 1400;
        QTest::newRow("bytes / empty") << paramsOf("bytes", 700) << 0 << 100;
        QTest::newRow("eqinfo-ac / empty") << paramsOf("eqinfo-ac", 700) << 0 << 100;
    }
    void sameBytesAsInMemory() {
        QFETCH(CodecParams, params);
        QFETCH(int, inputBytes);
        QFETCH(int, frameBytes);
        const std::vector<uint8_t> data = mixedInput(size_t(inputBytes));
        const ModelSet models = loadModelsFor(params.method, "");
        EncodeOptions eo;
        eo.stats = false;
        const std::vector<uint8_t> expect =
            writeContainer(encode(data.data(), data.size(), params, models, eo), models);

        QTemporaryDir dir;
        const std::string in = dir.filePath("in").toStdString(), out = dir.filePath("out.eqlc").toStdString();
        const std::string back = dir.filePath("back").toStdString();
        writeFile(in, data);
        StreamOptions so;
        so.frameBytes = uint64_t(frameBytes);
        const StreamSummary s = compressStream(in, out, params, models, so);
        const std::vector<uint8_t> got = readFile(out);
        QCOMPARE(got.size(), expect.size());
        QVERIFY(got == expect);
        QCOMPARE(s.containerBytes, uint64_t(got.size()));
        QCOMPARE(s.inputBytes, uint64_t(data.size()));

        QCOMPARE(decompressStream(out, back, defaultM1, so), uint64_t(data.size()));
        QVERIFY(readFile(back) == data);
    }

    // A chunk longer than a frame is decoded into the output as it goes
    // (ac_codec.h decodeChunkTo), not into a buffer of its length.
    void chunksLongerThanAFrameDecode() {
        const std::vector<uint8_t> data = mixedInput(30000);
        const CodecParams params = paramsOf("static-ac", 20000);
        const ModelSet models = loadModelsFor(params.method, "");
        QTemporaryDir dir;
        const std::string in = dir.filePath("in").toStdString(), out = dir.filePath("out").toStdString();
        writeFile(in, data);
        StreamOptions so;
        so.frameBytes = 1000;
        compressStream(in, out, params, models, so);
        decompressStream(out, dir.filePath("back").toStdString(), defaultM1, so);
        QVERIFY(readFile(dir.filePath("back").toStdString()) == data);
    }

    // Every kind of damage is refused with a FormatError, frame by frame as
    // in memory, and a regular output is not created.
    void damageLeavesNoOutput_data() {
        QTest::addColumn<QString>("label");
        for (const char* l : {"bytes", "gzip", "static-ac[v=32]", "eqinfo-ac", "eqinfo-ac[b=16,v=256,reset=2]"})
            QTest::newRow(l) << QString(l);
    }
    void damageLeavesNoOutput() {
        QFETCH(QString, label);
        const std::vector<uint8_t> data = mixedInput(6000);
        const CodecParams params = paramsOf(label, 700);
        const ModelSet models = loadModelsFor(params.method, "");
        const std::vector<uint8_t> good = writeContainer(encode(data.data(), data.size(), params, models), models);
        QTemporaryDir dir;
        const std::string bad = dir.filePath("bad").toStdString(), out = dir.filePath("out").toStdString();
        StreamOptions so;
        so.frameBytes = 700;
        const size_t step = std::max<size_t>(1, good.size() / 60);
        for (size_t off = 0; off < good.size(); off += step) {
            std::vector<uint8_t> flipped = good;
            flipped[off] ^= uint8_t(1u << (off % 8));
            writeFile(bad, flipped);
            try {
                decompressStream(bad, out, defaultM1, so);
                QFAIL(qPrintable(QString("a flipped bit at byte %1 went unnoticed").arg(off)));
            } catch (const FormatError&) {
            } catch (const ModelMismatch&) {
            }
            QVERIFY2(!QFile::exists(QString::fromStdString(out)), "a damaged container left an output");
        }
        for (size_t len = 0; len < good.size(); len += step) {
            writeFile(bad, std::vector<uint8_t>(good.begin(), good.begin() + std::ptrdiff_t(len)));
            QVERIFY_THROWS_EXCEPTION(FormatError, decompressStream(bad, out, defaultM1, so));
            QVERIFY(!QFile::exists(QString::fromStdString(out)));
        }
        std::vector<uint8_t> longer = good;
        longer.push_back(0);
        writeFile(bad, longer);
        QVERIFY_THROWS_EXCEPTION(FormatError, decompressStream(bad, out, defaultM1, so));
    }

    // A header that claims more than its payload can hold is refused before
    // decoding: the stream decoder reads the head through readContainerHead.
    void forgedLengthIsRefusedFirst() {
        const std::vector<uint8_t> data = mixedInput(6000);
        const CodecParams params = paramsOf("gzip", 700);
        Encoded e = encode(data.data(), data.size(), params, {});
        e.inputBytes = uint64_t(1) << 24;
        QTemporaryDir dir;
        const std::string bad = dir.filePath("bomb").toStdString(), out = dir.filePath("out").toStdString();
        writeFile(bad, writeContainer(e, {}));
        try {
            decompressStream(bad, out, defaultM1);
            QFAIL("the forged length was decoded");
        } catch (const FormatError& err) {
            QVERIFY2(QString(err.what()).contains("can hold at most"), err.what());
        }
        QVERIFY(!QFile::exists(QString::fromStdString(out)));
    }
};

QTEST_MAIN(TestContainerStream)
#include "tst_container_stream.moc"
