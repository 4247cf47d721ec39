// Byte models: the unigram's fit, its file format and its errors.
#include <QTemporaryDir>
#include <QTest>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/hashes.h"
#include "base/output_file.h"
#include "models/model_files.h"
#include "models/uniform_model.h"
#include "models/unigram_model.h"

using namespace eqlab;

class TestByteModel : public QObject {
    Q_OBJECT
private slots:
    void unigramFitsCounts() {
        const std::string text = "aab";
        UnigramModel m = UnigramModel::fit(reinterpret_cast<const uint8_t*>(text.data()), text.size(), "t");
        QCOMPARE(m.counts()['a'], uint64_t(2));
        QCOMPARE(m.counts()['b'], uint64_t(1));
        const Cdf& c = m.cdf(16);
        c.validate();
        QVERIFY(c.freq('a') > c.freq('b'));
        QVERIFY(c.freq('b') > c.freq('z'));
        QVERIFY(c.freq('z') >= 1);
    }

    void unigramSaveLoadRoundTrip() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("u.equg").toStdString();
        const std::vector<uint8_t> data = {1, 2, 3, 3, 3, 200};
        UnigramModel m = UnigramModel::fit(data.data(), data.size(), "tiny");
        m.save(path);
        std::unique_ptr<ByteModel> back = loadByteModel(path);
        QCOMPARE(back->kind(), ModelKind::Unigram);
        QCOMPARE(back->hash(), m.hash());
        QCOMPARE(back->name(), std::string("unigram(tiny)"));
        QVERIFY(back->cdf(14).cum == m.cdf(14).cum);
    }

    void unigramRejectsDamage_data() {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bad magic") << "magic"
                                   << "not a";
        QTest::newRow("future version") << "version"
                                        << "unsupported version";
        QTest::newRow("flipped count bit") << "flip"
                                           << "checksum";
        QTest::newRow("truncated") << "truncate"
                                   << "truncated";
        QTest::newRow("trailing junk") << "append"
                                       << "unexpected bytes";
        QTest::newRow("empty file") << "empty"
                                    << "not a";
    }
    void unigramRejectsDamage() {
        QFETCH(QString, damage);
        QFETCH(QString, expected);
        const std::vector<uint8_t> data = {10, 20, 30};
        std::vector<uint8_t> bytes = UnigramModel::fit(data.data(), data.size(), "x").serialize();
        if (damage == "magic") bytes[0] = 'X';
        if (damage == "version") bytes[4] = 9;
        if (damage == "flip") bytes[40] ^= 0x10;
        if (damage == "truncate") bytes.resize(bytes.size() / 2);
        if (damage == "append") bytes.push_back(0);
        if (damage == "empty") bytes.clear();
        QTemporaryDir dir;
        const std::string path = dir.filePath("bad.equg").toStdString();
        writeFile(path, bytes);
        try {
            loadByteModel(path);
            QFAIL("a damaged model loaded");
        } catch (const FormatError& e) {
            QVERIFY2(QString(e.what()).contains(expected), e.what());
            QVERIFY2(QString(e.what()).contains("bad.equg"), "the error names the file");
        }
    }

    void uniformIsUniform() {
        UniformModel u;
        const Cdf& c = u.cdf(16);
        for (int s = 0; s < 256; ++s) QCOMPARE(c.freq(s), 256u);
    }

    void missingFileIsIoError() { QVERIFY_THROWS_EXCEPTION(IoError, loadByteModel("/nonexistent/model.equg")); }
};

QTEST_GUILESS_MAIN(TestByteModel)
#include "tst_byte_model.moc"
