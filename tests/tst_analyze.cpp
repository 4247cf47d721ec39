// One analysis (analysis/analyze.h), as the GUI's worker and `eqlab-cli
// analyze` run it: the round trip is checked when asked, the trace is filled
// when asked, the models are named, and a progress callback cancels.
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QTest>

#include "analysis/analyze.h"
#include "base/errors.h"
#include "methods/default_models.h"
#include "test_inputs.h"

using namespace eqlab;

class TestAnalyze : public QObject {
    Q_OBJECT
private slots:
    void roundTripIsChecked_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("modelPrefix");
        QTest::newRow("bytes") << "bytes"
                               << "none";
        QTest::newRow("gzip") << "gzip[v=65536]"
                              << "none";
        QTest::newRow("static-ac") << "static-ac[v=256]"
                                   << "";
        QTest::newRow("ac") << "ac[v=256]"
                            << "";
        QTest::newRow("eqinfo-ac") << "eqinfo-ac[b=16,v=256]"
                                   << "";
        QTest::newRow("eqinfo-ac shortest") << "eqinfo-ac[b=32,v=256,shortest]"
                                            << "";
        QTest::newRow("sentencepiece") << "sentencepiece"
                                       << "sentencepiece v=";
    }
    void roundTripIsChecked() {
        QFETCH(QString, method);
        QFETCH(QString, modelPrefix);
        const std::vector<uint8_t> text = test::sampleText();
        const std::vector<uint8_t> data(text.begin(), text.begin() + std::min<size_t>(text.size(), 4000));
        AnalyzeOptions o;
        o.params = CodecParams::fromLabel(method.toStdString());
        const Analysis a = analyze(data.data(), data.size(), o);
        QVERIFY(a.roundTripChecked);
        QVERIFY(a.roundTripOk);
        QCOMPARE(a.encoded.inputBytes, uint64_t(data.size()));
        QVERIFY(!a.encoded.trace.bitBegin.empty());
        QVERIFY(QString::fromStdString(a.modelName).startsWith(modelPrefix));
        QVERIFY(a.seconds >= a.encodeSeconds && a.encodeSeconds >= 0);
    }

    void encodeOnly() {
        const std::vector<uint8_t> data = test::randomBytes(3000, 7);
        AnalyzeOptions o;
        o.params.method = Method::StaticAc;
        o.trace = false;
        o.checkRoundTrip = false;
        const Analysis a = analyze(data.data(), data.size(), o);
        QVERIFY(!a.roundTripChecked);
        QVERIFY(a.encoded.trace.bitBegin.empty());
        QVERIFY(!a.encoded.tokens.empty());
    }

    void progressCancels_data() {
        QTest::addColumn<bool>("duringDecode");
        QTest::newRow("encode") << false;
        QTest::newRow("decode") << true;
    }
    void progressCancels() {
        QFETCH(bool, duringDecode);
        const std::vector<uint8_t> data = test::randomBytes(1 << 20, 9);
        AnalyzeOptions o;
        o.params.method = Method::StaticAc;
        const ProgressFn stop = [](uint64_t, uint64_t) { return false; };
        (duringDecode ? o.decodeProgress : o.encodeProgress) = stop;
        QVERIFY_THROWS_EXCEPTION(Cancelled, analyze(data.data(), data.size(), o));
    }

    // With the round trip checked, the encoder does not also decode every
    // window (its check would decode twice): its progress covers one pass.
    void roundTripReplacesTheWindowCheck() {
        const std::vector<uint8_t> text = test::sampleText();
        const std::vector<uint8_t> data(text.begin(), text.begin() + 2000);
        for (bool roundTrip : {true, false}) {
            AnalyzeOptions o;
            o.params = CodecParams::fromLabel("eqinfo-ac[b=16,v=256]");
            o.checkRoundTrip = roundTrip;
            uint64_t total = 0;
            o.encodeProgress = [&](uint64_t, uint64_t all) {
                total = all;
                return true;
            };
            const Analysis a = analyze(data.data(), data.size(), o);
            QCOMPARE(total, uint64_t(data.size()) * (roundTrip ? 1 : 2));
            QCOMPARE(a.roundTripOk, roundTrip);
            QCOMPARE(a.encoded.tokenOnlyDecodable.value_or(-1), 1.0);
        }
    }

    // A model cache answers the same file from memory, and reloads a file that changed.
    void modelCache() {
        ModelCache cache;
        const std::string copy = QDir::temp().filePath("eqlab-tst-cache.equg").toStdString();
        QFile::remove(QString::fromStdString(copy));
        QVERIFY(QFile::copy(QString::fromStdString(modelFileFor(Method::StaticAc, "")), QString::fromStdString(copy)));
        const ModelSet a = cache.load(Method::StaticAc, copy);
        const ModelSet b = cache.load(Method::StaticAc, copy);
        QVERIFY(a.byteModel && a.byteModel == b.byteModel);
        QFile f(QString::fromStdString(copy));
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(60), QFileDevice::FileModificationTime));
        f.close();
        const ModelSet c = cache.load(Method::StaticAc, copy);
        QVERIFY(c.byteModel && c.byteModel != a.byteModel);
        QCOMPARE(c.byteModel->hash(), a.byteModel->hash());
        QVERIFY(!cache.load(Method::Gzip, "").byteModel);
        QVERIFY(cache.load(Method::SentencePiece, "").sentencePiece);
        // Analyses through the cache share the loaded models.
        AnalyzeOptions o;
        o.params = CodecParams::fromLabel("static-ac");
        o.modelPath = copy;
        o.models = &cache;
        const std::vector<uint8_t> data = {'a', 'b', 'c'};
        QVERIFY(analyze(data.data(), data.size(), o).models.byteModel == c.byteModel);
        QFile::remove(QString::fromStdString(copy));
    }

    void badModelFileIsAnError() {
        const std::vector<uint8_t> data = {'a', 'b'};
        AnalyzeOptions o;
        o.params.method = Method::Ac;
        o.modelPath = "/nonexistent/model.eqm1";
        QVERIFY_THROWS_EXCEPTION(Error, analyze(data.data(), data.size(), o));
    }
};

QTEST_MAIN(TestAnalyze)
#include "tst_analyze.moc"
