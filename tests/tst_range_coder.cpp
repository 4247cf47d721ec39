// The range coder: known answers, round trips, the shortest termination and
// the quantiser's invariants.
#include <QTest>
#include <algorithm>
#include <random>

#include "coding/bit_io.h"
#include "coding/cdf.h"
#include "coding/range_coder.h"

using namespace eqlab;

namespace {

// Up to this precision every first-symbol interval is tried (2^(2P-1) of them: 0.1 s at P = 14).
constexpr int kExhaustiveFirstSymbolPrecision = 14;

Cdf randomCdf(std::mt19937& rng, int precision, double sharpness) {
    std::vector<float> w(256);
    std::exponential_distribution<double> e(1.0);
    for (auto& x : w) x = float(std::pow(e(rng), sharpness));
    Cdf c;
    quantizeProbabilities(w.data(), precision, c);
    return c;
}

std::vector<uint8_t> encodeAll(const std::vector<Cdf>& cdfs, const std::vector<int>& syms, uint64_t* nbits) {
    BitWriter w;
    RangeEncoder enc(w);
    for (size_t i = 0; i < syms.size(); ++i) enc.encode(cdfs[i], syms[i]);
    enc.finish();
    *nbits = w.size();
    return w.takeBytes();
}

bool decodesTo(const std::vector<uint8_t>& bytes, uint64_t nbits, const std::vector<Cdf>& cdfs,
               const std::vector<int>& syms) {
    RangeDecoder dec(bytes.data(), 0, nbits);
    for (size_t i = 0; i < syms.size(); ++i)
        if (dec.decode(cdfs[i]) != syms[i]) return false;
    return true;
}

}  // namespace

class TestRangeCoder : public QObject {
    Q_OBJECT
private slots:
    // Under the uniform CDF every byte is an aligned interval of width 2^-8:
    // the coder must emit the input bytes verbatim and no termination bit.
    void knownAnswerUniformIsIdentity_data() {
        QTest::addColumn<int>("precision");
        for (int p : {8, 12, 16, 24}) QTest::newRow(qPrintable(QString("P=%1").arg(p))) << p;
    }
    void knownAnswerUniformIsIdentity() {
        QFETCH(int, precision);
        const std::string text("eqlab\x00\xff", 7);  // ends in a 1 bit: nothing to drop
        const Cdf u = uniformCdf(precision);
        BitWriter w;
        RangeEncoder enc(w);
        for (char ch : text) enc.encode(u, uint8_t(ch));
        enc.finish();
        QCOMPARE(w.size(), uint64_t(8 * text.size()));
        QCOMPARE(std::string(w.bytes().begin(), w.bytes().end()), text);

        // "b" = 0110 0010: the final 0 is implied by the zero padding and dropped.
        BitWriter w2;
        RangeEncoder enc2(w2);
        enc2.encode(u, 'b');
        enc2.finish();
        QCOMPARE(w2.size(), uint64_t(7));
    }

    // A pinned output under a skewed CDF (the expected values come from
    // tests/reference/range_coder_ref.py, a Python
    // transcription of the same integer arithmetic). Any change to the coder's
    // arithmetic breaks every stored container, so it must show up here.
    void knownAnswerSkewed() {
        std::vector<float> w(256, 1.0f);
        w['a'] = 1000.0f;
        w['b'] = 300.0f;
        w[' '] = 500.0f;
        Cdf c;
        quantizeProbabilities(w.data(), 14, c);
        QCOMPARE(c.freq('a'), 8075u);
        BitWriter out;
        RangeEncoder enc(out);
        for (char ch : std::string("abba a ab")) enc.encode(c, uint8_t(ch));
        enc.finish();
        QCOMPARE(out.size(), uint64_t(15));
        QCOMPARE(QByteArray(reinterpret_cast<const char*>(out.bytes().data()), qsizetype(out.bytes().size())).toHex(),
                 QByteArray("bac2"));
    }

    void roundTripRandom_data() {
        QTest::addColumn<int>("precision");
        QTest::addColumn<double>("sharpness");
        for (int p : {8, 10, 14, 16, 20, 24})
            for (double s : {0.0, 1.0, 4.0, 12.0})
                QTest::newRow(qPrintable(QString("P=%1 sharp=%2").arg(p).arg(s))) << p << s;
    }
    void roundTripRandom() {
        QFETCH(int, precision);
        QFETCH(double, sharpness);
        std::mt19937 rng(uint32_t(precision * 100 + int(sharpness)));
        std::vector<Cdf> cdfs;
        std::vector<int> syms;
        for (int i = 0; i < 3000; ++i) {
            cdfs.push_back(randomCdf(rng, precision, sharpness));
            // Mostly likely symbols, sometimes the least likely one.
            const Cdf& c = cdfs.back();
            int s = int(rng() % 256);
            if (rng() % 4) {
                uint32_t v = rng() % c.total();
                s = 0;
                while (c.cum[s + 1] <= v) ++s;
            }
            syms.push_back(s);
        }
        uint64_t nbits = 0;
        const std::vector<uint8_t> bytes = encodeAll(cdfs, syms, &nbits);
        QVERIFY(decodesTo(bytes, nbits, cdfs, syms));
        // The coded length is within 1 bit of the total cost, plus a tiny
        // finite-precision loss per symbol.
        double cost = 0;
        for (size_t i = 0; i < syms.size(); ++i) cost += cdfs[i].surprisalBits(syms[i]);
        QVERIFY2(double(nbits) <= cost + 1.0 + 1e-3 * double(syms.size()),
                 qPrintable(QString("%1 bits for a cost of %2").arg(nbits).arg(cost)));
    }

    // The termination is the shortest bit string whose zero-padded
    // continuation decodes: every shorter string fails (exhaustive search).
    void terminationIsShortest() {
        std::mt19937 rng(42);
        int checked = 0;
        for (int trial = 0; trial < 400 && checked < 120; ++trial) {
            const int precision = 8 + int(rng() % 3);
            std::vector<Cdf> cdfs;
            std::vector<int> syms;
            const int n = 1 + int(rng() % 3);
            for (int i = 0; i < n; ++i) {
                cdfs.push_back(randomCdf(rng, precision, 3.0));
                syms.push_back(int(rng() % 256));
            }
            uint64_t nbits = 0;
            const std::vector<uint8_t> bytes = encodeAll(cdfs, syms, &nbits);
            if (nbits > 14) continue;
            ++checked;
            QVERIFY(decodesTo(bytes, nbits, cdfs, syms));
            for (uint64_t len = 0; len < nbits; ++len)
                for (uint64_t v = 0; v < (uint64_t(1) << len); ++v) {
                    BitWriter w;
                    w.putBits(uint32_t(v), int(len));
                    const std::vector<uint8_t> cand = w.bytes();
                    QVERIFY2(!decodesTo(cand.empty() ? std::vector<uint8_t>{0} : cand, len, cdfs, syms),
                             qPrintable(QString("a %1-bit string decodes; termination used %2").arg(len).arg(nbits)));
                }
        }
        QVERIFY(checked >= 50);
    }

    // Any symbol coded first into a fresh window costs at most P committed
    // bits, so P <= b makes every byte fit into an empty Equal-Info window.
    // A first symbol is an interval [c, c + f) of 2^P, whatever the CDF: up
    // to P = kExhaustiveFirstSymbolPrecision every one of them is tried (all
    // symbols of all CDFs at that precision); above, every start c with the
    // narrowest frequencies (1 to 3, where the bits peak), every power of two
    // and the rest of the range.
    void firstSymbolFitsInPrecisionBits_data() {
        QTest::addColumn<int>("precision");
        for (int p = 8; p <= 16; ++p) QTest::newRow(qPrintable(QString("P=%1").arg(p))) << p;
    }
    void firstSymbolFitsInPrecisionBits() {
        QFETCH(int, precision);
        struct Null {
            void bits(uint32_t, int, uint64_t) {}
            void underflow() {}
        };
        const uint32_t total = 1u << precision;
        const bool exhaustive = precision <= kExhaustiveFirstSymbolPrecision;
        uint64_t tried = 0, worst = 0;
        for (uint32_t c = 0; c < total; ++c) {
            const auto tryFreq = [&](uint32_t f) {
                CoderState s;
                s.code(c, c + f, precision, Null{});
                worst = std::max(worst, s.committedBits());
                ++tried;
            };
            if (exhaustive) {
                for (uint32_t f = 1; c + f <= total; ++f) tryFreq(f);
                continue;
            }
            for (uint32_t f = 1; f <= 3 && c + f <= total; ++f) tryFreq(f);
            for (uint32_t f = 4; c + f <= total; f *= 2) tryFreq(f);
            tryFreq(total - c);
        }
        if (exhaustive) QCOMPARE(tried, uint64_t(total) * (uint64_t(total) + 1) / 2);
        QVERIFY2(worst <= uint64_t(precision), qPrintable(QString("a first symbol took %1 bits").arg(worst)));
        QCOMPARE(worst, uint64_t(precision));  // frequency 1 at c = 0 takes exactly P
    }

    void quantizerInvariants_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("all zero") << "zero";
        QTest::newRow("NaN and negative") << "nan";
        QTest::newRow("one-hot") << "onehot";
        QTest::newRow("random") << "random";
        QTest::newRow("huge dynamic range") << "range";
    }
    void quantizerInvariants() {
        QFETCH(QString, kind);
        std::vector<float> w(256, 0.0f);
        std::mt19937 rng(1);
        if (kind == "nan") {
            for (int i = 0; i < 256; ++i) w[size_t(i)] = float(i % 3);
            w[5] = std::nanf("");
            w[6] = -3.0f;
            w[7] = INFINITY;
        } else if (kind == "onehot") {
            w[65] = 1.0f;
        } else if (kind == "random") {
            for (auto& x : w) x = float(rng() % 1000) / 1000.0f;
        } else if (kind == "range") {
            for (int i = 0; i < 256; ++i) w[size_t(i)] = std::pow(10.0f, float(i % 60 - 30));
        }
        for (int p : {8, 9, 14, 16, 24}) {
            Cdf a, b;
            quantizeProbabilities(w.data(), p, a);
            quantizeProbabilities(w.data(), p, b);
            a.validate();
            QVERIFY(a.cum == b.cum);  // a pure function of its inputs
            if (kind == "onehot") QCOMPARE(a.freq(65), (1u << p) - 255u);
        }
    }

    void bitWriterTruncate() {
        BitWriter w;
        w.putBits(0xABCD, 16);
        w.truncate(5);
        QCOMPARE(w.size(), uint64_t(5));
        QCOMPARE(int(w.bytes()[0]), 0xA8);  // 10101 000: bits past size() are zero
        w.put(1);
        QCOMPARE(int(w.bytes()[0]), 0xAC);
    }

    // append() (stitching coded parts, a word at a time) equals putting the
    // bits one by one, at every alignment of both sides.
    void bitWriterAppend() {
        for (int head = 0; head < 9; ++head)
            for (int len : {0, 1, 7, 8, 9, 31, 32, 33, 77}) {
                BitWriter a, b, expect;
                for (int i = 0; i < head; ++i) {
                    a.put(unsigned(i % 3 == 0));
                    expect.put(unsigned(i % 3 == 0));
                }
                for (int i = 0; i < len; ++i) {
                    b.put(unsigned((i * 7) % 5 < 2));
                    expect.put(unsigned((i * 7) % 5 < 2));
                }
                a.append(b);
                QCOMPARE(a.size(), expect.size());
                QVERIFY(a.bytes() == expect.bytes());
            }
    }

    // In the sanitizer build every CDF is validated where it enters the coder.
    void brokenCdfIsRefusedWhenChecked() {
#ifdef EQLAB_CHECK_CDF
        Cdf broken = uniformCdf(12);
        broken.cum[100] = broken.cum[99];  // symbol 99 gets no slot
        BitWriter bits;
        RangeEncoder enc(bits);
        QVERIFY_THROWS_EXCEPTION(std::logic_error, enc.encode(broken, 5));
        const uint8_t zeros[8] = {};
        RangeDecoder dec(zeros, 0, 64);
        QVERIFY_THROWS_EXCEPTION(std::logic_error, dec.decode(broken));
#else
        QSKIP("CDFs are validated in the sanitizer build (EQLAB_CHECK_CDF)");
#endif
    }
};

QTEST_APPLESS_MAIN(TestRangeCoder)
#include "tst_range_coder.moc"
