// WindowChains (methods/window_chains.h): lanes that code one stream's
// windows from guessed starts join into exactly the chain from byte 0,
// whatever order they run in, including lanes overtaken and discarded.
#include <QtTest>
#include <atomic>
#include <random>
#include <thread>

#include "methods/window_chains.h"

using namespace eqlab;

namespace {

// A stream of `n` bytes whose window from byte p ends at end(p): a fixed
// pseudo-random length of 1..maxLen per start, like Equal-Info windows
// (seed 0: always maxLen, like a run of one byte).
struct SyntheticStream {
    uint64_t n;
    uint64_t maxLen;
    uint64_t seed;
    uint64_t end(uint64_t p) const {
        if (seed == 0) return std::min(n, p + maxLen);
        uint64_t h = (p + 1) * 0x9E3779B97F4A7C15ull ^ seed;
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9ull;
        h ^= h >> 32;
        return std::min(n, p + 1 + h % maxLen);
    }
    std::vector<uint64_t> trueStarts() const {
        std::vector<uint64_t> s;
        for (uint64_t p = 0; p < n; p = end(p)) s.push_back(p);
        return s;
    }
};

// Runs the lanes in a schedule drawn from `rng` (each turn one lane opens or
// finishes its next window; slow lanes get few turns) and returns the
// stream's window starts as the chain joins them; `skipped` counts the lanes
// the chain passes over (discarded, or never reached).
std::vector<uint64_t> runLanes(const SyntheticStream& st, const std::vector<uint64_t>& begins, uint64_t joinWithin,
                               std::mt19937_64& rng, size_t* skipped = nullptr) {
    WindowChains chains(begins, joinWithin);
    const size_t lanes = begins.size();
    std::vector<uint64_t> pos(begins);
    std::vector<std::vector<uint64_t>> starts(lanes);
    std::vector<bool> live(lanes, true);
    std::vector<double> speed(lanes);
    for (double& s : speed) s = std::uniform_real_distribution<double>(0.05, 1.0)(rng);
    for (size_t alive = lanes; alive > 0;) {
        const size_t k = std::uniform_int_distribution<size_t>(0, lanes - 1)(rng);
        if (!live[k] || std::uniform_real_distribution<double>(0, 1)(rng) > speed[k]) continue;
        if (pos[k] >= st.n) {
            chains.finishes(k);
        } else if (chains.opens(k, pos[k])) {
            starts[k].push_back(pos[k]);
            pos[k] = st.end(pos[k]);
            continue;
        }
        live[k] = false;  // finished, joined the lane after it, or discarded
        --alive;
    }
    std::vector<uint64_t> out;
    size_t previous = 0;
    if (skipped) *skipped = 0;
    for (const WindowChains::Piece& p : chains.chain()) {
        if (skipped && p.lane > previous + 1) *skipped += p.lane - previous - 1;
        previous = p.lane;
        if (p.end != starts[p.lane].size()) throw std::logic_error("a piece ends before its lane's windows");
        out.insert(out.end(), starts[p.lane].begin() + std::ptrdiff_t(p.first),
                   starts[p.lane].begin() + std::ptrdiff_t(p.end));
    }
    if (skipped) *skipped += lanes - 1 - previous;  // lanes after the chain's last
    return out;
}

}  // namespace

class TestWindowChains : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // One lane is the chain itself.
    void oneLaneIsItsOwnChain() {
        const SyntheticStream st{500, 7, 1};
        std::mt19937_64 rng(1);
        QVERIFY(runLanes(st, {0}, 100, rng) == st.trueStarts());
    }

    // Any number of lanes, any spacing (including lanes past the stream's end
    // and lanes so close that the one before overtakes them), any schedule:
    // the joined windows are the chain from byte 0.
    void lanesJoinIntoTheTrueChain_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("maxLen");
        QTest::addColumn<int>("lanes");
        QTest::addColumn<int>("spacing");
        QTest::addColumn<bool>("skips");  // some seed's chain passes over a lane
        QTest::newRow("short windows, wide lanes") << 5000 << 8 << 8 << 640 << false;
        QTest::newRow("long windows, close lanes (overtaking)") << 3000 << 60 << 16 << 20 << true;
        QTest::newRow("lanes past the end") << 700 << 9 << 12 << 100 << true;
        QTest::newRow("one-byte stream") << 1 << 4 << 4 << 1 << true;
        QTest::newRow("windows longer than the spacing") << 2000 << 200 << 10 << 30 << true;
        QTest::newRow("windows of one length (chains never meet)") << 3000 << 7 << 10 << 300 << true;
    }
    void lanesJoinIntoTheTrueChain() {
        QFETCH(int, n);
        QFETCH(int, maxLen);
        QFETCH(int, lanes);
        QFETCH(int, spacing);
        QFETCH(bool, skips);
        size_t skippedAll = 0;
        const bool periodic = QByteArray(QTest::currentDataTag()).contains("one length");
        for (uint64_t seed = 1; seed <= 50; ++seed) {
            const SyntheticStream st{uint64_t(n), uint64_t(maxLen), periodic ? 0 : seed};
            std::vector<uint64_t> begins;
            for (int k = 0; k < lanes; ++k) begins.push_back(uint64_t(k) * uint64_t(spacing));
            std::mt19937_64 rng(seed);
            size_t skipped = 0;
            QVERIFY2(runLanes(st, begins, uint64_t(spacing) / 2, rng, &skipped) == st.trueStarts(),
                     qPrintable(QString("seed %1").arg(seed)));
            skippedAll += skipped;
        }
        if (skips) QVERIFY(skippedAll > 0);
    }

    // A lane that passes beyond every window of the lane after it, still
    // running, discards it: the discarded lane stops at its next window and
    // is not in the chain.
    void anOvertakenLaneIsDiscarded() {
        WindowChains c({0, 10}, 100);
        QVERIFY(c.opens(1, 10));  // lane 1: windows at 10, 13
        QVERIFY(c.opens(1, 13));
        QVERIFY(c.opens(0, 0));  // lane 0: 0, 11 (across lane 1's 10..13), 14 (past lane 1's last start)
        QVERIFY(c.opens(0, 11));
        QVERIFY(c.opens(0, 14));
        QVERIFY(!c.opens(1, 16));  // discarded
        c.finishes(0);
        const auto chain = c.chain();
        QCOMPARE(chain.size(), size_t(1));
        QCOMPARE(chain[0].lane, size_t(0));
        QCOMPARE(chain[0].end, size_t(3));
    }

    // A lane stops where its next window is one the lane after it opened, and
    // the chain continues there.
    void aLaneJoinsWhereTheChainsMeet() {
        WindowChains c({0, 10}, 100);
        for (uint64_t q : {10, 12, 15, 20}) QVERIFY(c.opens(1, q));
        c.finishes(1);
        QVERIFY(c.opens(0, 0));
        QVERIFY(c.opens(0, 6));
        QVERIFY(c.opens(0, 11));   // between lane 1's 10 and 12: the chains differ here
        QVERIFY(!c.opens(0, 15));  // lane 1's third window: joined
        const auto chain = c.chain();
        QCOMPARE(chain.size(), size_t(2));
        QCOMPARE(chain[0].end, size_t(3));
        QCOMPARE(chain[1].lane, size_t(1));
        QCOMPARE(chain[1].first, size_t(2));
        QCOMPARE(chain[1].end, size_t(4));
    }

    // Lanes of one stream on several threads (eqinfo-ac encoding with
    // --threads: a group of lanes a thread), each lane as fast as its thread
    // goes: the record takes its lock, and the chain is the true one. Also
    // run under ThreadSanitizer (tests/sanitize.sh).
    void lanesOnThreadsJoinIntoTheTrueChain() {
        for (uint64_t seed = 1; seed <= 40; ++seed) {
            const SyntheticStream st{60000, seed % 2 ? 9u : 40u, seed};
            std::vector<uint64_t> begins;
            for (uint64_t k = 0; k < 12; ++k) begins.push_back(k * (seed % 3 ? 5000 : 30));
            WindowChains chains(begins, 2500);
            std::vector<std::vector<uint64_t>> starts(begins.size());
            std::atomic<int> waiting{3};
            auto group = [&](size_t first, size_t every) {  // lanes first, first + every, ... stepped in turn
                for (--waiting; waiting > 0;) std::this_thread::yield();  // all three start together
                std::vector<uint64_t> pos;
                std::vector<size_t> live;
                for (size_t k = first; k < begins.size(); k += every) {
                    live.push_back(k);
                    pos.push_back(begins[k]);
                }
                while (!live.empty())
                    for (size_t j = 0; j < live.size();) {
                        const size_t k = live[j];
                        if (pos[j] < st.n && chains.opens(k, pos[j])) {
                            starts[k].push_back(pos[j]);
                            pos[j] = st.end(pos[j]);
                            ++j;
                            continue;
                        }
                        if (pos[j] >= st.n) chains.finishes(k);
                        live.erase(live.begin() + std::ptrdiff_t(j));
                        pos.erase(pos.begin() + std::ptrdiff_t(j));
                    }
            };
            std::thread other(group, 1, 3), another(group, 2, 3);
            group(0, 3);
            other.join();
            another.join();
            std::vector<uint64_t> joined;
            for (const WindowChains::Piece& p : chains.chain())
                joined.insert(joined.end(), starts[p.lane].begin() + std::ptrdiff_t(p.first),
                              starts[p.lane].begin() + std::ptrdiff_t(p.end));
            QVERIFY2(joined == st.trueStarts(), qPrintable(QString("seed %1").arg(seed)));
        }
    }

    // Lanes spread over a stream: as many as fit the spacing asked for (at
    // least one, at most those asked for), ascending starts inside it, at
    // least that spacing apart, for any length and lane count (a spacing
    // rounded up put the last lanes past the stream's end once a stream had
    // more than 32 b + 1 lanes).
    void spreadLanesLieInTheStream() {
        for (uint64_t n : {0ull, 1ull, 100ull, 255ull, 69125ull, 263681ull, 1000003ull})
            for (size_t lanes : {size_t(1), size_t(3), size_t(32), size_t(270), size_t(1024)})
                for (uint64_t minSpacing : {256ull, 257ull, 512ull}) {
                    const WindowChains c = WindowChains::spread(n, lanes, minSpacing);
                    QCOMPARE(c.lanes(), size_t(std::clamp<uint64_t>(n / minSpacing, 1, lanes)));
                    QCOMPARE(c.begin(0), uint64_t(0));
                    for (size_t k = 1; k < c.lanes(); ++k) {
                        QVERIFY(c.begin(k) < n);
                        QVERIFY(c.begin(k) - c.begin(k - 1) >= minSpacing);
                    }
                }
    }

    // The chain of unfinished lanes is a programming error, not a result.
    void anUnfinishedChainIsRefused() {
        WindowChains c({0, 10}, 100);
        QVERIFY(c.opens(0, 0));
        QVERIFY_THROWS_EXCEPTION(std::logic_error, c.chain());
        QVERIFY_THROWS_EXCEPTION(std::logic_error, WindowChains({5, 10}, 100));
    }

    // Chains that run side by side for joinWithin bytes past the next lane's
    // start without meeting: the next lane is discarded, even while it is ahead.
    void chainsThatDoNotMeetAreGivenUp() {
        WindowChains c({0, 10}, 8);
        for (uint64_t q = 10; q <= 40; q += 3) QVERIFY(c.opens(1, q));  // 10, 13, ..., 40
        QVERIFY(c.opens(0, 0));
        QVERIFY(c.opens(0, 11));   // 1 past lane 1's start: may still meet
        QVERIFY(c.opens(0, 17));   // 7 past
        QVERIFY(c.opens(0, 20));   // 10 past, not a start of lane 1: given up
        QVERIFY(!c.opens(1, 43));  // discarded
        c.finishes(0);
        const auto chain = c.chain();
        QCOMPARE(chain.size(), size_t(1));
        QCOMPARE(chain[0].end, size_t(4));
    }
};

QTEST_MAIN(TestWindowChains)
#include "tst_window_chains.moc"
