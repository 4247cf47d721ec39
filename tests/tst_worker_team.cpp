// The worker team (core/base/worker_team.h), and the runtime sharing its
// calls with a team. tests/sanitize.sh also runs this under ThreadSanitizer.
#include <QtTest>
#include <atomic>
#include <cstring>
#include <vector>

#include "base/worker_team.h"
#include "m1/m1_runtime.h"

using namespace eqlab;

namespace {
const char* kTinyM1 = EQLAB_TEST_DATA "/tiny-m1.eqm1";  // d=32, 2 heads, 2 layers, context 64

// Bytes that look a little like text, the same every run.
std::vector<uint8_t> someText(size_t n) {
    const char* words[] = {"the ", "whale ", "sea, ",        "and ",  "Ishmael ",
                           "of ",  "ship\n", "\xe2\x80\x94", "call ", "me. "};
    std::vector<uint8_t> out;
    uint32_t state = 12345;
    while (out.size() < n) {
        state = state * 1664525u + 1013904223u;
        const char* w = words[(state >> 16) % 10];
        out.insert(out.end(), w, w + std::strlen(w));
    }
    out.resize(n);
    return out;
}
}  // namespace

class TestWorkerTeam : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Every part runs exactly once per run, part 0 on the caller's thread.
    void everyPartRunsOnce() {
        for (int parts : {1, 2, 3, 5}) {
            WorkerTeam team(parts);
            QCOMPARE(team.parts(), parts);
            std::vector<std::atomic<int>> runs(static_cast<size_t>(parts));
            for (int k = 0; k < 300; ++k) {
                bool callerIsPartZero = false;
                const auto caller = std::this_thread::get_id();
                team.run([&](int part) {
                    runs[size_t(part)].fetch_add(1);
                    if (part == 0) callerIsPartZero = std::this_thread::get_id() == caller;
                });
                QVERIFY(callerIsPartZero);
            }
            for (auto& r : runs) QCOMPARE(r.load(), 300);
        }
    }

    // What a part writes before a barrier, every part reads after it; no
    // part passes a barrier before all have reached it.
    void barrierPublishesWrites() {
        for (int parts : {2, 3, 4}) {
            WorkerTeam team(parts);
            std::vector<int> cells(static_cast<size_t>(parts), -1);
            std::atomic<int> wrong{0};
            for (int k = 0; k < 20; ++k) {
                team.run([&](int part) {
                    for (int phase = 0; phase < 50; ++phase) {
                        cells[size_t(part)] = k * 1000 + phase;  // plain writes: the barrier orders them
                        team.barrier();
                        for (int q = 0; q < parts; ++q)
                            if (cells[size_t(q)] != k * 1000 + phase) wrong.fetch_add(1);
                        team.barrier();
                    }
                });
            }
            QCOMPARE(wrong.load(), 0);
        }
    }

    // A team that sleeps between runs (idle long enough) still wakes for the next.
    void idleTeamWakesUp() {
        WorkerTeam team(3);
        std::atomic<int> count{0};
        for (int k = 0; k < 3; ++k) {
            team.run([&](int) { count.fetch_add(1); });
            QTest::qWait(300);
        }
        QCOMPARE(count.load(), 9);
    }

    // The runtime with a team of 2 or 3 parts gives the bits of one thread,
    // call for call: with prefills (a stream in several rows of a call), a
    // partial output tile (d = 32), more parts than heads, and past the
    // context (the sliding cache), under each numerics version.
    void runtimeTeamChangesNoBit_data() {
        QTest::addColumn<int>("numerics");
        for (int v = m1::kOldestNumericsVersion; v <= m1::kNumericsVersion; ++v)
            QTest::newRow(qPrintable(QString("numerics %1").arg(v))) << v;
    }
    void runtimeTeamChangesNoBit() {
        QFETCH(int, numerics);
        const m1::M1Runtime rt(m1::M1Weights::load(kTinyM1), numerics);
        const std::vector<uint8_t> text = someText(4000);
        const int streams = 5, len = 150;  // > context 64
        for (int parts : {2, 3}) {
            WorkerTeam team(parts);
            std::vector<m1::M1Stream> alone, shared;
            for (int s = 0; s < streams; ++s) {
                alone.push_back(rt.newStream(8));  // small caches that grow during calls
                shared.push_back(rt.newStream(8));
            }
            std::vector<int> fed(streams, 0);
            for (int call = 0; fed[0] < len; ++call) {
                std::vector<m1::M1Stream*> a, b;
                std::vector<int> toks;
                for (int s = 0; s < streams; ++s)
                    for (int k = 0; k < (call + s) % 4 + 1 && fed[size_t(s)] < len; ++k, ++fed[size_t(s)]) {
                        const int i = fed[size_t(s)];
                        toks.push_back(i == 0 ? m1::kBos : text[size_t(s * 500 + i - 1)]);
                        a.push_back(&alone[size_t(s)]);
                        b.push_back(&shared[size_t(s)]);
                    }
                std::vector<float> pa(toks.size() * m1::kVocab), pb(pa.size());
                rt.step(a.data(), toks.data(), int(toks.size()), pa.data());
                rt.step(b.data(), toks.data(), int(toks.size()), pb.data(), &team);
                QVERIFY2(std::memcmp(pa.data(), pb.data(), pa.size() * sizeof(float)) == 0,
                         qPrintable(QString("call %1, %2 parts").arg(call).arg(parts)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestWorkerTeam)
#include "tst_worker_team.moc"
