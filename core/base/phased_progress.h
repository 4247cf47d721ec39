// Progress of work made of phases of unequal cost (load a model, code,
// check), reported as one fraction of the whole with the name of the phase
// under way. Each phase's share is its cost over the sum of all costs, so a
// bar moves at the pace of the time spent, not of the steps taken: the
// costs are estimates of each phase's time (see work_costs.h for the
// measured ones), in any one unit.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "base/progress.h"

namespace eqlab {

// Where work made of phases stands.
struct ProgressStatus {
    double fraction = 0;      // of the whole, 0..1; never decreases from one report to the next
    std::string phase;        // the phase under way, e.g. "loading M1", "coding"; "done" at the end
    double secondsLeft = -1;  // estimated time left (the pace so far; before any, the plan's costs); < 0: unknown
};

// Returns false to ask the work to stop; it then throws Cancelled.
using StatusFn = std::function<bool(const ProgressStatus&)>;

struct ProgressPhase {
    std::string name;  // shown while the phase runs
    double cost = 0;   // >= 0: estimated seconds (methods/work_costs.h), or any unit shared by all phases
};

class PhasedProgress {
public:
    // At least one phase; fn may be empty (nothing is reported; nothing
    // cancels). The clock for the time left starts here.
    PhasedProgress(std::vector<ProgressPhase> phases, StatusFn fn);

    // New costs for phases [from, from + costs.size()), known better once the
    // phases before have run (the model loaded): they share what is left of
    // the bar after startOf(from), which stays where it was.
    void setCosts(size_t from, const std::vector<double>& costs);

    // Reports phase i at its start (what ran before it counts as done).
    // Throws Cancelled when the callback asks to stop. i < phases.
    void begin(size_t i);
    // Phase i's progress as a core callback: (done, total) of the phase maps
    // linearly onto its share; returns false once the callback asked to stop.
    // Valid while this object lives; may be called from several threads.
    ProgressFn of(size_t i);
    // Phases [first, first + count) as one callback for work that reports
    // them in a row, each as `unitsEach` units (an encode's passes,
    // codec.h encodePasses): units [k * unitsEach, (k + 1) * unitsEach) are
    // phase first + k.
    ProgressFn ofPasses(size_t first, size_t count, uint64_t unitsEach);
    // Reports the whole done (fraction 1) under `phase`. Throws Cancelled when the callback asks to stop.
    void finish(const std::string& phase = "done");

    // The fraction at which phase i begins (the costs before it over all).
    double startOf(size_t i) const;

private:
    bool report(size_t phase, double within);              // within: 0..1 of the phase
    bool send(double fraction, const std::string& phase);  // under lock_
    void place();                                          // starts_ from the costs

    std::vector<ProgressPhase> phases_;
    std::vector<double> starts_;  // starts_[i]: fraction where phase i begins; starts_.back() == 1
    StatusFn fn_;
    std::mutex lock_;
    std::chrono::steady_clock::time_point t0_;
    double last_ = 0;  // the highest fraction reported: reports never go back
    bool stopped_ = false;
};

}  // namespace eqlab
