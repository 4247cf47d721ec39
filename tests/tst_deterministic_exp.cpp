// M1's exp (m1/deterministic_exp.h) on every one of the 2^32 floats, against
// the scalar exp it replaced: the README promises the two are equal, bit for
// bit, so the runtime's output bits did not move when exp was vectorised.
#include <QTest>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <thread>
#include <vector>

#include "m1/deterministic_exp.h"

namespace {

// The runtime's exp before it was vectorised (commit 35c19bf), kept as the
// reference. Transcribed as it was but for one call: std::nearbyint became
// std::rint, which rounds the same way (the current mode, round to nearest
// here) and differs only in raising FE_INEXACT, so that the sweep vectorises.
inline __attribute__((always_inline)) float scalarExp(float x) {
    if (x < -87.0f) return 0.0f;
    if (x > 88.0f) x = 88.0f;
    // x = k ln2 + r, |r| <= ln2 / 2, with ln2 split in two for an exact k*ln2.
    const float k = std::rint(x * 1.44269504088896341f);
    const float r = (x - k * 0.693145751953125f) - k * 1.42860682030941723212e-6f;
    // exp(r) by its Taylor polynomial to degree 7 (Horner, fixed order).
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    // Scale by 2^k through the exponent bits (k in [-126, 127] here).
    int32_t bits = (int32_t(k) + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, 4);
    return p * scale;
}

constexpr uint32_t kBlock = 4096;  // floats per block of the sweep

// Floats with bit patterns in [first, first + blocks * kBlock) on which the two
// differ (NaN equals NaN). Compiled per ISA, like the runtime's loops: the
// values are the same in each (IEEE operations, no contraction), only the
// time changes. Subnormal inputs cost a microcode assist per instruction, so
// the sweep runs in blocks that vectorise.
__attribute__((target_clones("avx512f", "avx2", "default"))) uint64_t mismatches(uint32_t first, uint32_t blocks,
                                                                                 uint32_t* example) {
    uint64_t bad = 0;
    alignas(64) float x[kBlock], now[kBlock], before[kBlock];
    for (uint32_t b = 0; b < blocks; ++b) {
        const uint32_t base = first + b * kBlock;
        for (uint32_t i = 0; i < kBlock; ++i) {
            const uint32_t u = base + i;
            std::memcpy(&x[i], &u, 4);
        }
        for (uint32_t i = 0; i < kBlock; ++i) now[i] = eqlab::m1::deterministicExp(x[i]);
        for (uint32_t i = 0; i < kBlock; ++i) before[i] = scalarExp(x[i]);
        uint32_t differ = 0;
        for (uint32_t i = 0; i < kBlock; ++i) {
            uint32_t a, c;
            std::memcpy(&a, &now[i], 4);
            std::memcpy(&c, &before[i], 4);
            differ += uint32_t(a != c) & uint32_t(!(now[i] != now[i] && before[i] != before[i]));
        }
        if (differ != 0 && bad == 0)
            for (uint32_t i = 0; i < kBlock; ++i)
                if (std::memcmp(&now[i], &before[i], 4) != 0 && !(std::isnan(now[i]) && std::isnan(before[i]))) {
                    *example = base + i;
                    break;
                }
        bad += differ;
    }
    return bad;
}

}  // namespace

class TestDeterministicExp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Every float, split between the machine's threads.
    void equalsTheScalarExpOnAllFloats() {
        constexpr uint64_t kBlocks = (uint64_t(1) << 32) / kBlock;
        const uint64_t threads = std::clamp<uint64_t>(std::thread::hardware_concurrency(), 1, 64);
        std::vector<uint64_t> bad(threads, 0);
        std::vector<uint32_t> example(threads, 0);
        std::vector<std::thread> team;
        for (uint64_t t = 0; t < threads; ++t)
            team.emplace_back([&, t] {
                const uint64_t b0 = kBlocks * t / threads, b1 = kBlocks * (t + 1) / threads;
                bad[t] = mismatches(uint32_t(b0 * kBlock), uint32_t(b1 - b0), &example[t]);
            });
        for (std::thread& th : team) th.join();
        uint64_t total = 0;
        for (uint64_t b : bad) total += b;
        for (uint64_t t = 0; t < threads; ++t) {
            if (bad[t] == 0) continue;
            float x;
            std::memcpy(&x, &example[t], 4);
            QFAIL(qPrintable(QString("%1 floats differ, e.g. x = %2 (0x%3): %4 now, %5 before")
                                 .arg(total)
                                 .arg(double(x), 0, 'g', 9)
                                 .arg(example[t], 8, 16, QChar('0'))
                                 .arg(double(eqlab::m1::deterministicExp(x)), 0, 'g', 9)
                                 .arg(double(scalarExp(x)), 0, 'g', 9)));
        }
    }

    // The edges of the contract, spelled out.
    void edges() {
        QCOMPARE(eqlab::m1::deterministicExp(0.0f), 1.0f);
        QCOMPARE(eqlab::m1::deterministicExp(-87.5f), 0.0f);
        QCOMPARE(eqlab::m1::deterministicExp(-INFINITY), 0.0f);
        QCOMPARE(eqlab::m1::deterministicExp(INFINITY), eqlab::m1::deterministicExp(88.0f));
        QVERIFY(std::isnan(eqlab::m1::deterministicExp(NAN)));
    }
};

QTEST_APPLESS_MAIN(TestDeterministicExp)
#include "tst_deterministic_exp.moc"
