// sentencepiece: the byte escape, exact round trips of arbitrary bytes, token
// spans, and training through libsentencepiece.
#include <QTemporaryDir>
#include <QTest>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "methods/default_models.h"
#include "methods/sentencepiece_codec.h"
#include "test_inputs.h"

using namespace eqlab;

namespace {
QByteArray qb(const std::string& s) {
    return QByteArray(s.data(), qsizetype(s.size()));
}
}  // namespace

class TestSentencePiece : public QObject {
    Q_OBJECT
private slots:
    void escapeRoundTrip_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("passesThrough");
        QTest::newRow("ascii") << QByteArray("hello world\n\t") << true;
        QTest::newRow("utf-8") << qb("na\xC3\xAFve \xE2\x80\x94 \xF0\x9F\x90\xB3") << true;
        QTest::newRow("NUL") << QByteArray("a\0b", 3) << false;
        QTest::newRow("invalid lead byte") << QByteArray("\xFF\xFE") << false;
        QTest::newRow("truncated sequence") << QByteArray("ab\xE2\x80") << false;
        QTest::newRow("overlong") << QByteArray("\xC0\xAF") << false;
        QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << false;
        QTest::newRow("whitespace marker U+2581") << qb("\xE2\x96\x81") << false;
        QTest::newRow("escape range itself") << qb("\xF4\x8F\xBC\x80") << false;
    }
    void escapeRoundTrip() {
        QFETCH(QByteArray, input);
        QFETCH(bool, passesThrough);
        const auto* d = reinterpret_cast<const uint8_t*>(input.constData());
        std::vector<uint64_t> origin;
        const std::string esc = escapeForSentencePiece(d, size_t(input.size()), &origin);
        QCOMPARE(origin.size(), esc.size());
        QCOMPARE(esc == input.toStdString(), passesThrough);
        const std::vector<uint8_t> back = unescapeFromSentencePiece(esc);
        QCOMPARE(QByteArray(reinterpret_cast<const char*>(back.data()), qsizetype(back.size())), input);
    }

    void everyByteValueRoundTrips() {
        const ModelSet m = loadModelsFor(Method::SentencePiece, "");
        std::vector<uint8_t> all;
        for (int rep = 0; rep < 3; ++rep)
            for (int i = 0; i < 256; ++i) all.push_back(uint8_t(i));
        const auto enc = m.sentencePiece->encode(all.data(), all.size());
        QVERIFY(m.sentencePiece->decode(enc.ids) == all);
    }

    // Token spans: concatenating each token's bytes gives back the input,
    // except where several tokens share one escaped byte.
    void spansTileTheInput() {
        const ModelSet m = loadModelsFor(Method::SentencePiece, "");
        const std::string text = "The Senate and the House \xE2\x80\x94 a d\xC3\xA9j\xC3\xA0 vu.\n\xFF";
        const auto enc = m.sentencePiece->encode(reinterpret_cast<const uint8_t*>(text.data()), text.size());
        QCOMPARE(enc.spans.size(), enc.ids.size());
        uint64_t pos = 0;
        for (const auto& [lo, hi] : enc.spans) {
            QVERIFY(lo <= pos && hi >= lo);
            pos = std::max(pos, hi);
        }
        QCOMPARE(pos, uint64_t(text.size()));
        QCOMPARE(enc.spans.front().first, uint64_t(0));
    }

    void trainsAndLoads() {
        QTemporaryDir dir;
        const std::string corpus = dir.filePath("c.txt").toStdString();
        const std::vector<uint8_t> text = test::sampleText();
        writeFile(corpus, text);
        const std::string out = dir.filePath("m.model").toStdString();
        SentencePieceModel::train(corpus, out, 600);
        const SentencePieceModel m = SentencePieceModel::load(out);
        QCOMPARE(m.vocabSize(), 600);
        const auto enc = m.encode(text.data(), text.size());
        qInfo("%zu bytes -> %zu pieces", text.size(), enc.ids.size());
        QVERIFY(enc.ids.size() < text.size() * 2 / 3);  // it learned pieces longer than a byte
        QVERIFY(m.decode(enc.ids) == text);
    }

    void rejectsNonModels() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("junk.model").toStdString();
        writeFile(path, std::vector<uint8_t>{1, 2, 3, 4, 5});
        QVERIFY_THROWS_EXCEPTION(FormatError, SentencePieceModel::load(path));
        const ModelSet m = loadModelsFor(Method::SentencePiece, "");
        QVERIFY_THROWS_EXCEPTION(FormatError, m.sentencePiece->decode({uint32_t(m.sentencePiece->vocabSize())}));
    }

    // Found by fuzz/sentencepiece: a damaged piece list that libsentencepiece's
    // trie builder reports only by throwing its own exception (which ended
    // the process); it is a FormatError like any other damaged model.
    void aModelThatMakesTheLibraryThrowIsRefused() {
        QVERIFY_THROWS_EXCEPTION(
            FormatError, SentencePieceModel::load(std::string(EQLAB_TEST_DATA) + "/sentencepiece-darts-throws.model"));
    }
};

QTEST_GUILESS_MAIN(TestSentencePiece)
#include "tst_sentencepiece.moc"
