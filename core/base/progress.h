// Progress reporting and cancellation for long core operations.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>

#include "base/errors.h"

namespace eqlab {

// Called with (done, total) in the operation's own units (usually bytes).
// Returns false to ask the operation to stop; it then throws eqlab::Cancelled.
using ProgressFn = std::function<bool(uint64_t done, uint64_t total)>;

// Reports to a and then b (either may be empty); false once either asks to stop.
inline ProgressFn progressToBoth(ProgressFn a, ProgressFn b) {
    if (!a) return b;
    if (!b) return a;
    return [a = std::move(a), b = std::move(b)](uint64_t done, uint64_t total) {
        const bool goOn = a(done, total);
        return b(done, total) && goOn;
    };
}

// Reports progress at most every `stride` units so that callbacks stay cheap.
class ProgressTicker {
public:
    ProgressTicker(const ProgressFn& fn, uint64_t total, uint64_t stride = 1 << 16)
        : fn_(fn), total_(total), stride_(stride) {}

    // Reports `done` if at least `stride` units passed since the last report.
    // Throws Cancelled when the callback asks to stop.
    void tick(uint64_t done) {
        if (!fn_ || done < next_) return;
        next_ = done + stride_;
        if (!fn_(done, total_)) throw Cancelled();
    }
    // Reports completion unconditionally.
    void finish() {
        if (fn_ && !fn_(total_, total_)) throw Cancelled();
    }

private:
    const ProgressFn& fn_;
    uint64_t total_;
    uint64_t stride_;
    uint64_t next_ = 0;
};

// Progress shared by the threads of one operation: counts units done, calls
// the callback under a lock, and throws Cancelled in every thread once it
// asks to stop. Units past the total (work that speculated and was thrown
// away, as Equal-Info lanes do) are reported as the total.
class SharedProgress {
public:
    SharedProgress(const ProgressFn& fn, uint64_t total) : fn_(fn), total_(total) {}
    // Adds `units` done and reports the new count. Throws Cancelled once the
    // callback has asked to stop (in this or any other thread).
    void add(uint64_t units) {
        const uint64_t now = done_ += units;
        report(now);
    }
    // Reports the count so far unconditionally (the operation's end).
    void finish() { report(done_); }

private:
    void report(uint64_t now) {
        if (fn_) {
            std::lock_guard<std::mutex> lock(lock_);
            if (!cancelled_ && !fn_(std::min(now, total_), total_)) cancelled_ = true;
        }
        if (cancelled_) throw Cancelled();
    }

    const ProgressFn& fn_;
    const uint64_t total_;
    std::atomic<uint64_t> done_{0};
    std::atomic<bool> cancelled_{false};
    std::mutex lock_;
};

}  // namespace eqlab
