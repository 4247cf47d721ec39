// A method's label and its parser (CodecParams::label / fromLabel): every
// label the code can print parses back to the same label and parameters, and
// malformed specs are rejected with InvalidArgument.
#include <QTest>

#include "base/errors.h"
#include "methods/method.h"

using namespace eqlab;

Q_DECLARE_METATYPE(eqlab::CodecParams)

namespace {

using Termination = CodecParams::Termination;

// Every valid combination of the fields a label may or may not show: each
// method, b (eqinfo-ac's range and the paper's sweep), k, both terminations,
// explicit and default precision, chunk lengths and gzip levels.
std::vector<CodecParams> printableParams() {
    const int windowBits[] = {kMinWindowBits, 16, 32, 64, 128, kMaxWindowBits};
    const int tokenBits[] = {kMinTokenBits, 4, 8, 16};
    const int precisions[] = {0, 8, 12, 14};
    const uint32_t chunks[] = {1, 512, kDefaultChunkBytes};
    const int gzipLevels[] = {-1, 0, 9};
    const uint32_t resets[] = {1, 2, 4, 0, kMaxM1Reset};
    std::vector<CodecParams> out;
    for (Method m : allMethods())
        for (int b : windowBits)
            for (int k : tokenBits)
                for (Termination t : {Termination::Distinct, Termination::Shortest})
                    for (int precision : precisions)
                        for (uint32_t chunk : chunks)
                            for (int level : gzipLevels)
                                for (uint32_t reset : resets) {
                                    CodecParams p;
                                    p.method = m;
                                    p.windowBits = b;
                                    p.tokenBits = k;
                                    p.termination = t;
                                    p.precision = precision;
                                    p.chunkBytes = chunk;
                                    p.gzipLevel = level;
                                    p.m1Reset = reset;
                                    try {
                                        p.validate();
                                    } catch (const InvalidArgument&) {
                                        continue;  // not a method the code can run, so not a label it prints
                                    }
                                    out.push_back(p);
                                }
    return out;
}

QString rowName(const CodecParams& p) {
    return QString("%1 k=%2 P=%3 chunk=%4 level=%5")
        .arg(QString::fromStdString(p.label()))
        .arg(p.tokenBits)
        .arg(p.precision)
        .arg(p.chunkBytes)
        .arg(p.gzipLevel);
}

}  // namespace

class TestMethod : public QObject {
    Q_OBJECT
private slots:
    void everyLabelParsesBack_data() {
        QTest::addColumn<CodecParams>("params");
        for (const CodecParams& p : printableParams()) QTest::newRow(qPrintable(rowName(p))) << p;
    }
    void everyLabelParsesBack() {
        QFETCH(CodecParams, params);
        const std::string label = params.label();
        CodecParams back;
        try {
            back = CodecParams::fromLabel(label);
        } catch (const std::exception& e) {
            QFAIL(qPrintable(QString("'%1' does not parse: %2").arg(QString::fromStdString(label), e.what())));
        }
        QCOMPARE(QString::fromStdString(back.label()), QString::fromStdString(label));
        QCOMPARE(int(back.method), int(params.method));
        // What the label names comes back; the rest keeps its defaults.
        const bool showsVocab = params.method != Method::Bytes && params.method != Method::SentencePiece;
        if (showsVocab) QCOMPARE(back.tokenBits, params.tokenBits);
        if (params.method == Method::EqualInfoAc) {
            QCOMPARE(back.windowBits, params.windowBits);
            QCOMPARE(int(back.termination), int(params.termination));
        }
        const CodecParams defaults;
        QCOMPARE(back.precision, defaults.precision);
        QCOMPARE(back.chunkBytes, defaults.chunkBytes);
        QCOMPARE(back.gzipLevel, defaults.gzipLevel);
    }

    void specsBeyondLabels_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("label");
        QTest::newRow("k instead of v") << "eqinfo-ac[b=32,k=16]"
                                        << "eqinfo-ac[b=32,v=65536]";
        QTest::newRow("distinct spelled out") << "eqinfo-ac[b=16,v=256,distinct]"
                                              << "eqinfo-ac[b=16,v=256]";
        QTest::newRow("shortest first") << "eqinfo-ac[shortest,b=16]"
                                        << "eqinfo-ac[b=16,v=256,shortest]";
        QTest::newRow("trailing space") << "gzip "
                                        << "gzip[v=256]";
        QTest::newRow("empty list") << "ac[]"
                                    << "ac[v=256]";
        QTest::newRow("regression: label ,shortest was rejected") << "eqinfo-ac[b=32,v=256,shortest]"
                                                                  << "eqinfo-ac[b=32,v=256,shortest]";
        QTest::newRow("reset every window is the default") << "eqinfo-ac[b=16,reset=1]"
                                                           << "eqinfo-ac[b=16,v=256]";
        QTest::newRow("reset first") << "eqinfo-ac[reset=never,b=32]"
                                     << "eqinfo-ac[b=32,v=256,reset=never]";
    }
    void specsBeyondLabels() {
        QFETCH(QString, spec);
        QFETCH(QString, label);
        QCOMPARE(QString::fromStdString(CodecParams::fromLabel(spec.toStdString()).label()), label);
    }

    void malformedSpecsAreRejected_data() {
        QTest::addColumn<QString>("spec");
        QTest::newRow("empty") << "";
        QTest::newRow("unknown method") << "lzma";
        QTest::newRow("unclosed") << "eqinfo-ac[b=16";
        QTest::newRow("unknown key") << "eqinfo-ac[x=16]";
        QTest::newRow("unknown flag") << "eqinfo-ac[b=16,longest]";
        QTest::newRow("no number") << "eqinfo-ac[b=]";
        QTest::newRow("trailing junk") << "eqinfo-ac[b=16x]";
        QTest::newRow("negative") << "eqinfo-ac[b=-16]";
        QTest::newRow("v not a power of two") << "ac[v=100]";
        QTest::newRow("b not a multiple of k") << "eqinfo-ac[b=12,v=256]";
        QTest::newRow("k out of range") << "gzip[k=17]";
        QTest::newRow("huge b") << "eqinfo-ac[b=99999999999]";
        QTest::newRow("reset=0 (never is spelled out)") << "eqinfo-ac[b=16,reset=0]";
        QTest::newRow("reset with shortest termination") << "eqinfo-ac[b=16,shortest,reset=2]";
        QTest::newRow("reset of another method") << "ac[reset=2]";
        QTest::newRow("reset too large") << "eqinfo-ac[reset=99999999999]";
        QTest::newRow("reset not a number") << "eqinfo-ac[reset=often]";
    }
    void malformedSpecsAreRejected() {
        QFETCH(QString, spec);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, CodecParams::fromLabel(spec.toStdString()));
    }
};

QTEST_MAIN(TestMethod)
#include "tst_method.moc"
