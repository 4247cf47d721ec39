// run.json (m2/run_record.h): what is written reads back field for field,
// runs written before dataset_dir was recorded still read, and files that
// are not runs, or are of a newer version, are refused with FormatError.
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "m2/run_record.h"

using namespace eqlab;
using namespace eqlab::m2;

namespace {

void writeText(const QString& path, const QByteArray& text) {
    writeFile(path.toStdString(), reinterpret_cast<const uint8_t*>(text.constData()), size_t(text.size()));
}

EvalPoint point(int64_t step, double bitsPerToken) {
    EvalPoint p;
    p.step = step;
    p.tokensSeen = uint64_t(step) * 1000;
    p.bytesSeen = uint64_t(step) * 2700;
    p.seconds = 1.5 * double(step);
    p.validBitsPerToken = bitsPerToken;
    p.validBitsPerByte = bitsPerToken / 2.7;
    p.validAccuracy = 0.25;
    p.trainBitsPerToken = bitsPerToken + 0.1;
    return p;
}

}  // namespace

class TestRunRecord : public QObject {
    Q_OBJECT
private slots:
    void writtenRecordReadsBack() {
        QTemporaryDir dir;
        RunRecord r;
        r.name = "eqinfo-ac[b=16,v=256]";
        r.method = "eqinfo-ac[b=16,v=256]";
        r.datasetKey = "0123abcd";
        r.datasetDir = "/data/m2-datasets/eqinfo-ac_b=16,v=256_-0123abcd";
        r.corpus = "sotu-train.txt";
        r.started = "2025-12-01T14:03:27";
        r.vocab = 256;
        r.seqTokens = 128;
        r.tokensPerWindow = 2;
        r.bytesPerToken = 2.71;
        r.config = {64, 2, 1, 256};
        r.batch = 16;
        r.lr = 1e-3;
        r.seed = 7;
        r.budgetSeconds = 120;
        r.base = {8.0, 2.95, 7.97, 2.94};
        r.best = point(300, 7.5);
        r.last = point(400, 7.6);
        r.learned = true;
        r.status = "finished";
        writeRunRecord(dir.path().toStdString(), r);
        const RunRecord b = readRunRecord(dir.path().toStdString());
        QCOMPARE(b.name, r.name);
        QCOMPARE(b.method, r.method);
        QCOMPARE(b.datasetKey, r.datasetKey);
        QCOMPARE(b.datasetDir, r.datasetDir);
        QCOMPARE(b.corpus, r.corpus);
        QCOMPARE(b.started, r.started);
        QCOMPARE(b.vocab, r.vocab);
        QCOMPARE(b.seqTokens, r.seqTokens);
        QCOMPARE(b.tokensPerWindow, r.tokensPerWindow);
        QCOMPARE(b.bytesPerToken, r.bytesPerToken);
        QCOMPARE(b.config.dModel, 64);
        QCOMPARE(b.config.heads, 2);
        QCOMPARE(b.config.layers, 1);
        QCOMPARE(b.config.mlp, 256);
        QCOMPARE(b.batch, r.batch);
        QCOMPARE(b.lr, r.lr);
        QCOMPARE(b.seed, r.seed);
        QCOMPARE(b.budgetSeconds, r.budgetSeconds);
        QCOMPARE(b.base.uniformBitsPerToken, r.base.uniformBitsPerToken);
        QCOMPARE(b.base.uniformBitsPerByte, r.base.uniformBitsPerByte);
        QCOMPARE(b.base.unigramBitsPerToken, r.base.unigramBitsPerToken);
        QCOMPARE(b.base.unigramBitsPerByte, r.base.unigramBitsPerByte);
        for (auto [got, want] : {std::pair<EvalPoint, EvalPoint>{b.best, r.best}, {b.last, r.last}}) {
            QCOMPARE(got.step, want.step);
            QCOMPARE(got.tokensSeen, want.tokensSeen);
            QCOMPARE(got.bytesSeen, want.bytesSeen);
            QCOMPARE(got.seconds, want.seconds);
            QCOMPARE(got.validBitsPerToken, want.validBitsPerToken);
            QCOMPARE(got.validBitsPerByte, want.validBitsPerByte);
            QCOMPARE(got.validAccuracy, want.validAccuracy);
            QCOMPARE(got.trainBitsPerToken, want.trainBitsPerToken);
        }
        QCOMPARE(b.learned, r.learned);
        QCOMPARE(b.status, r.status);
    }

    // A run.json as eqlab wrote it before dataset_dir (the Learnability view's
    // runs then kept the dataset's folder in dataset_dir.txt).
    void runWithoutDatasetDirReads() {
        QTemporaryDir dir;
        writeText(dir.filePath("run.json"),
                  R"({"format": "eqlab-m2-run", "version": 1, "name": "gzip", "method": "gzip[v=256]",
            "config": "d=128 heads=4 layers=2 mlp=512", "tokens_per_window": 0, "learned": false,
            "uniform_bits_per_token": 8, "best": {"step": 50, "valid_bits_per_token": 7.9}})");
        const RunRecord r = readRunRecord(dir.path().toStdString());
        QCOMPARE(r.name, std::string("gzip"));
        QCOMPARE(r.datasetDir, std::string());
        QCOMPARE(r.started, std::string());  // nor when it began: its folder's name says (run_label.h)
        QCOMPARE(r.config.mlp, 512);
        QCOMPARE(r.base.uniformBitsPerToken, 8.0);
        QCOMPARE(r.best.step, int64_t(50));
    }

    void notARunIsRefused_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("not JSON") << QByteArray("step,tokens_seen\n") << "not JSON (";
        QTest::newRow("another format") << QByteArray(R"({"format": "eqlab-m2-dataset", "version": 1})")
                                        << "not an eqlab M2 run";
        QTest::newRow("no format") << QByteArray(R"({"name": "x"})") << "not an eqlab M2 run";
        QTest::newRow("a newer version") << QByteArray(R"({"format": "eqlab-m2-run", "version": 2})")
                                         << "version 2 is newer";
        // The regression: "not JSON (no error occurred)".
        QTest::newRow("an array") << QByteArray("[1, 2]") << "JSON, but not an object";
        // The regression: a run with a blank name was listed.
        QTest::newRow("a blank name") << QByteArray(R"({"format": "eqlab-m2-run", "version": 1, "name": "  ",
            "method": "gzip[v=256]"})")
                                      << "the run has no name";
        QTest::newRow("no name") << QByteArray(R"({"format": "eqlab-m2-run", "version": 1, "method": "gzip[v=256]"})")
                                 << "the run has no name";
        QTest::newRow("no method") << QByteArray(R"({"format": "eqlab-m2-run", "version": 1, "name": "gzip"})")
                                   << "the run names no method";
    }
    void notARunIsRefused() {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        QTemporaryDir dir;
        writeText(dir.filePath("run.json"), json);
        try {
            readRunRecord(dir.path().toStdString());
            QFAIL("read as a run");
        } catch (const FormatError& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    void missingRunIsAnIoError() {
        QTemporaryDir dir;
        QVERIFY_THROWS_EXCEPTION(IoError, readRunRecord(dir.filePath("nothing").toStdString()));
    }
};

QTEST_MAIN(TestRunRecord)
#include "tst_run_record.moc"
