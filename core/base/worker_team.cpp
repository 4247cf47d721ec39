#include "base/worker_team.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace eqlab {

namespace {
constexpr int kSpinsBeforeYield = 2000;    // pause-spins before a waiting thread starts yielding the core
constexpr int kSpinsBeforeSleep = 200000;  // spins (incl. yields) before an idle worker sleeps until the next run

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

// One step of a wait loop: pause first, then give the core away (a busy
// machine, e.g. tests running side by side, may have descheduled the part
// being waited for).
inline void backOff(int& spins) {
    if (++spins < kSpinsBeforeYield)
        cpuRelax();
    else
        std::this_thread::yield();
}
}  // namespace

struct WorkerTeam::State {
    std::atomic<uint64_t> generation{0};  // bumped by run() for each new job
    std::atomic<int> finished{0};         // workers done with the current job
    const std::function<void(int)>* job = nullptr;
    std::mutex lock;  // orders a sleeping worker's check against run()'s wake-up
    std::condition_variable wake;
    std::atomic<bool> stop{false};
    // Barrier: threads arrive; the last one resets the count and opens the next phase.
    std::atomic<int> arrived{0};
    std::atomic<uint64_t> phase{0};
    std::vector<std::thread> threads;
};

WorkerTeam::WorkerTeam(int parts) : parts_(parts < 1 ? 1 : parts), state_(std::make_unique<State>()) {
    State& s = *state_;
    for (int part = 1; part < parts_; ++part) {
        s.threads.emplace_back([&s, part] {
            uint64_t seen = 0;
            for (;;) {
                int spins = 0;
                while (s.generation.load(std::memory_order_acquire) == seen) {
                    if (spins < kSpinsBeforeSleep) {
                        backOff(spins);
                        continue;
                    }
                    std::unique_lock<std::mutex> l(s.lock);
                    s.wake.wait(l, [&] { return s.stop || s.generation.load(std::memory_order_acquire) != seen; });
                }
                if (s.stop.load(std::memory_order_acquire)) return;
                seen = s.generation.load(std::memory_order_acquire);
                (*s.job)(part);
                s.finished.fetch_add(1, std::memory_order_acq_rel);
            }
        });
    }
}

WorkerTeam::~WorkerTeam() {
    State& s = *state_;
    {
        std::lock_guard<std::mutex> l(s.lock);
        s.stop.store(true, std::memory_order_release);
        s.generation.fetch_add(1, std::memory_order_release);  // spinning workers see it too
    }
    s.wake.notify_all();
    for (auto& t : s.threads) t.join();
}

void WorkerTeam::run(const std::function<void(int)>& fn) {
    if (parts_ == 1) {
        fn(0);
        return;
    }
    State& s = *state_;
    s.job = &fn;
    s.finished.store(0, std::memory_order_relaxed);
    {
        // Under the lock, so a worker about to sleep cannot miss the new generation.
        std::lock_guard<std::mutex> l(s.lock);
        s.generation.fetch_add(1, std::memory_order_release);
    }
    s.wake.notify_all();
    fn(0);
    int spins = 0;
    while (s.finished.load(std::memory_order_acquire) != parts_ - 1) backOff(spins);
}

void WorkerTeam::barrier() {
    if (parts_ == 1) return;
    State& s = *state_;
    const uint64_t phase = s.phase.load(std::memory_order_acquire);
    if (s.arrived.fetch_add(1, std::memory_order_acq_rel) == parts_ - 1) {
        s.arrived.store(0, std::memory_order_relaxed);
        s.phase.fetch_add(1, std::memory_order_release);
        return;
    }
    int spins = 0;
    while (s.phase.load(std::memory_order_acquire) == phase) backOff(spins);
}

}  // namespace eqlab
