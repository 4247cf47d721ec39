// Cutting bitstreams into k-bit tokens and the emission alignment of tokens to bytes.
#include <QTest>

#include "coding/bit_io.h"
#include "coding/tokens.h"
#include "coding/trace.h"

using namespace eqlab;

class TestTokens : public QObject {
    Q_OBJECT
private slots:
    void roundTripEveryK_data() {
        QTest::addColumn<int>("k");
        for (int k = 1; k <= 16; ++k) QTest::newRow(qPrintable(QString("k=%1").arg(k))) << k;
    }
    void roundTripEveryK() {
        QFETCH(int, k);
        std::vector<uint32_t> tokens;
        for (uint32_t i = 0; i < 97; ++i) tokens.push_back((i * 2654435761u) & ((1u << k) - 1));
        const std::vector<uint8_t> packed = tokensToBits(tokens, k);
        QCOMPARE(bitsToTokens(packed, tokens.size() * uint64_t(k), k), tokens);
    }

    void msbFirstAndZeroPadded() {
        const std::vector<uint8_t> packed = {0xA5, 0xF0};  // 1010 0101 1111 0000
        QCOMPARE(bitsToTokens(packed, 16, 4), (std::vector<uint32_t>{0xA, 0x5, 0xF, 0x0}));
        QCOMPARE(bitsToTokens(packed, 10, 8), (std::vector<uint32_t>{0xA5, 0xC0}));  // last token padded
        QCOMPARE(bitsToTokens(packed, 3, 16), (std::vector<uint32_t>{0xA000}));
    }

    void bitsForVocab() {
        QCOMPARE(eqlab::bitsForVocab(2), 1);
        QCOMPARE(eqlab::bitsForVocab(256), 8);
        QCOMPARE(eqlab::bitsForVocab(257), 9);
        QCOMPARE(eqlab::bitsForVocab(4096), 12);
    }

    // Byte 0 emits bits [0,5), byte 1 nothing (at 5), byte 2 [5,12), byte 3
    // [12,12) at a token boundary, byte 4 [12,16); tokens of 4 bits.
    void emissionAlignment() {
        Trace t;
        t.bitBegin = {0, 5, 5, 12, 12};
        t.bitEnd = {5, 5, 12, 12, 16};
        for (uint64_t i = 0; i < 5; ++i) t.tokens.push_back({0, 4 * i, 4 * i + 4, 0, 0});
        t.alignTokensByEmission();
        auto span = [&](int i) { return std::make_pair(t.tokens[size_t(i)].byteBegin, t.tokens[size_t(i)].byteEnd); };
        QCOMPARE(span(0), std::make_pair(uint64_t(0), uint64_t(1)));  // bits 0-3: byte 0
        QCOMPARE(span(1), std::make_pair(uint64_t(0), uint64_t(3)));  // bits 4-7: bytes 0, 1 (silent), 2
        QCOMPARE(span(2), std::make_pair(uint64_t(2), uint64_t(3)));  // bits 8-11: byte 2
        QCOMPARE(span(3), std::make_pair(uint64_t(3), uint64_t(5)));  // bits 12-15: silent byte 3, byte 4
        QCOMPARE(span(4), std::make_pair(uint64_t(5), uint64_t(5)));  // past the end: padding, no bytes
        t.validate(5);
    }
};

QTEST_APPLESS_MAIN(TestTokens)
#include "tst_tokens.moc"
