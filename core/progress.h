// Progress reporting and cancellation for long core operations.
#pragma once

#include <cstdint>
#include <functional>

#include "errors.h"

namespace eqlab {

// Called with (done, total) in the operation's own units (usually bytes).
// Returns false to ask the operation to stop; it then throws eqlab::Cancelled.
using ProgressFn = std::function<bool(uint64_t done, uint64_t total)>;

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

}  // namespace eqlab
