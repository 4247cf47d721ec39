#include "methods/lane_engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "base/thread_count.h"
#include "base/worker_team.h"

namespace eqlab {

namespace {

// A thread reports its units when it holds this many, or when this long has
// passed since its last report: reports take a lock and call the callback,
// which is also how a thread learns of a cancel.
constexpr uint64_t kProgressStride = 4096;
constexpr std::chrono::milliseconds kProgressInterval{50};
constexpr unsigned kClockEvery = 16;  // steps between reads of the clock

// One thread's share of the progress, reported in strides or on time.
class ProgressBuffer {
public:
    explicit ProgressBuffer(SharedProgress& shared) : shared_(shared), last_(Clock::now()) {}
    void add(uint64_t units) {
        pending_ += units;
        if (pending_ >= kProgressStride || (++steps_ % kClockEvery == 0 && Clock::now() - last_ >= kProgressInterval))
            flush();
    }
    void flush() {
        const uint64_t n = pending_;
        pending_ = 0;
        last_ = Clock::now();
        shared_.add(n);
    }

private:
    using Clock = std::chrono::steady_clock;
    SharedProgress& shared_;
    uint64_t pending_ = 0;
    unsigned steps_ = 0;
    Clock::time_point last_;
};

// Steps lanes [first, first + count) on streams 0..count-1 of `batch`: each
// round, every lane steps for as long as its next distribution is ready (the
// rows an earlier call speculated), then one prepare() computes the next one
// of every lane at once. A lane that ran short of rows thus waits for the
// others, and each model call serves every lane (not only those that ran out
// in the same step, which streams of unequal windows seldom do).
void runGroup(ModelBatch& batch, size_t first, size_t count, const LaneFactory& make, ProgressBuffer& progress) {
    std::vector<std::unique_ptr<Lane>> lanes(count);
    for (size_t j = 0; j < count; ++j) {
        lanes[j] = make(first + j);
        lanes[j]->start(batch, j);
    }
    std::vector<size_t> waiting;
    waiting.reserve(count);
    for (;;) {
        waiting.clear();
        uint64_t units = 0;
        for (size_t j = 0; j < count; ++j) {
            while (lanes[j]) {
                if (!lanes[j]->next(batch, j)) {
                    lanes[j].reset();
                } else if (batch.ready(j)) {
                    units += lanes[j]->step(batch, j);
                } else {
                    waiting.push_back(j);
                    break;
                }
            }
        }
        progress.add(units);
        if (waiting.empty()) return;
        batch.prepare(waiting.data(), waiting.size());
        units = 0;
        for (size_t j : waiting) units += lanes[j]->step(batch, j);
        progress.add(units);
    }
}

// Runs one lane to completion on stream s of `batch`, each step's units to
// done(units): a model that does not batch needs no rounds.
// (A lone stream needs no prepare(): cdf() computes what is not ready.
// Its steps are cheap, so their units are passed on 64 steps at a time.)
template <class Done>
void runToEnd(Lane& lane, ModelBatch& batch, size_t s, Done done) {
    constexpr unsigned kStepsPerReport = 64;
    lane.start(batch, s);
    uint64_t units = 0;
    for (unsigned steps = 1; lane.next(batch, s); ++steps) {
        units += lane.step(batch, s);
        if (steps % kStepsPerReport == 0) {
            done(units);
            units = 0;
        }
    }
    done(units);
}

}  // namespace

void runLane(Lane& lane, ModelBatch& batch, size_t s) {
    runToEnd(lane, batch, s, [](uint64_t) {});
}

void runLanes(const ByteModel& model, const LanePlan& plan, const LaneFactory& make, SharedProgress& progress) {
    if (plan.lanes == 0) return;
    const int threads = usableThreads(plan.threads);
    const bool rounds = model.batchesStreams();
    const size_t perGroup = !rounds                   ? 1
                            : plan.lanesPerGroup == 0 ? plan.lanes
                                                      : std::min(plan.lanesPerGroup, plan.lanes);
    const size_t groups = (plan.lanes + perGroup - 1) / perGroup;
    const int workers = int(std::min<size_t>(groups, size_t(threads)));
    // Threads beyond one per group share each group's model calls.
    const int teamParts = rounds ? threads / workers : 1;

    std::atomic<size_t> nextGroup{0};
    std::exception_ptr error;
    std::mutex errorLock;
    auto worker = [&] {
        try {
            WorkerTeam team(teamParts);
            const std::unique_ptr<ModelBatch> batch = model.openBatch(perGroup, teamParts > 1 ? &team : nullptr);
            ProgressBuffer buffer(progress);
            for (size_t g; (g = nextGroup++) < groups;) {
                const size_t first = g * perGroup;
                if (perGroup == 1)
                    runToEnd(*make(first), *batch, 0, [&](uint64_t units) { buffer.add(units); });
                else
                    runGroup(*batch, first, std::min(perGroup, plan.lanes - first), make, buffer);
            }
            buffer.flush();
        } catch (...) {
            std::lock_guard<std::mutex> lock(errorLock);
            if (!error) error = std::current_exception();
            nextGroup = groups;  // the other threads stop after their current group
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < workers; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
}

}  // namespace eqlab
