// The paper's reference table (analysis/paper_figures.h): every row the
// Compare view and `eqlab-cli paper` show is there once, and the figures
// agree with each other the way the paper's definitions say they must,
// which catches a mistyped number.
#include <QTest>
#include <cmath>

#include "analysis/paper_figures.h"

using namespace eqlab;

class TestPaperFigures : public QObject {
    Q_OBJECT
private slots:
    void everyComparedMethodHasOneRow_data() {
        QTest::addColumn<int>("method");
        QTest::addColumn<int>("windowBits");
        QTest::addColumn<double>("bytesPerToken256");
        QTest::newRow("bytes") << int(Method::Bytes) << 0 << 1.0;
        QTest::newRow("sentencepiece") << int(Method::SentencePiece) << 0 << 4.28;
        QTest::newRow("ac") << int(Method::Ac) << 0 << 5.49;
        QTest::newRow("static-ac") << int(Method::StaticAc) << 0 << 1.73;
        QTest::newRow("gzip") << int(Method::Gzip) << 0 << 2.23;
        QTest::newRow("eqinfo-ac b=16") << int(Method::EqualInfoAc) << 16 << 2.66;
        QTest::newRow("eqinfo-ac b=32") << int(Method::EqualInfoAc) << 32 << 3.49;
        QTest::newRow("eqinfo-ac b=64") << int(Method::EqualInfoAc) << 64 << 4.16;
        QTest::newRow("eqinfo-ac b=128") << int(Method::EqualInfoAc) << 128 << 4.61;
    }
    void everyComparedMethodHasOneRow() {
        QFETCH(int, method);
        QFETCH(int, windowBits);
        QFETCH(double, bytesPerToken256);
        const PaperFigure* f = paperFigure(Method(method), windowBits);
        QVERIFY(f);
        QCOMPARE(f->bytesPerToken256, bytesPerToken256);
        int rows = 0;
        for (const PaperFigure& g : paperFigures()) rows += g.method == Method(method) && g.windowBits == windowBits;
        QCOMPARE(rows, 1);
    }

    void noFigureForOtherWindows() { QVERIFY(!paperFigure(Method::EqualInfoAc, 24)); }

    // Uniform bits/byte is 8 bits per v = 256 token over bytes/token; 16-bit
    // tokens hold twice the bits of 8-bit ones, so twice the bytes (to the
    // paper's rounding); M1's rate is plain AC's uniform rate.
    void figuresAgreeWithTheirDefinitions_data() {
        QTest::addColumn<int>("row");
        for (size_t i = 0; i < paperFigures().size(); ++i)
            QTest::newRow(qPrintable(QString("row %1").arg(i))) << int(i);
    }
    void figuresAgreeWithTheirDefinitions() {
        QFETCH(int, row);
        const PaperFigure& f = paperFigures()[size_t(row)];
        if (f.method != Method::SentencePiece)  // sentencepiece's tokens are 15-bit (32k), not 8
            QVERIFY2(std::abs(f.uniformBitsPerByte - 8.0 / f.bytesPerToken256) < 0.01,
                     qPrintable(QString::number(f.uniformBitsPerByte)));
        if (f.bytesPerToken65k > 0) QVERIFY(std::abs(f.bytesPerToken65k - 2 * f.bytesPerToken256) < 0.02);
        if (f.method == Method::Ac) QCOMPARE(f.uniformBitsPerByte, kPaperM1BitsPerByte);
        QVERIFY(f.learnable == (f.method != Method::Ac && f.method != Method::StaticAc));
    }
};

QTEST_MAIN(TestPaperFigures)
#include "tst_paper_figures.moc"
