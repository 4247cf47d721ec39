#include "base/phased_progress.h"

#include <algorithm>

namespace eqlab {

namespace {
// The time left comes from the pace once this much of the work is done and
// this long has passed; before, from the plan's costs.
constexpr double kPaceAfterFraction = 0.02;
constexpr double kPaceAfterSeconds = 0.3;
}  // namespace

PhasedProgress::PhasedProgress(std::vector<ProgressPhase> phases, StatusFn fn)
    : phases_(std::move(phases)), fn_(std::move(fn)), t0_(std::chrono::steady_clock::now()) {
    if (phases_.empty()) phases_.push_back({"working", 1});
    for (ProgressPhase& p : phases_) p.cost = std::max(0.0, p.cost);
    starts_.assign(phases_.size() + 1, 0.0);
    place();
}

void PhasedProgress::place() {
    // Phases from the first not begun share what the bar has left; with no costs at all, equal shares.
    double total = 0;
    for (const ProgressPhase& p : phases_) total += p.cost;
    double at = 0;
    for (size_t i = 0; i < phases_.size(); ++i) {
        starts_[i] = total > 0 ? at / total : double(i) / double(phases_.size());
        at += phases_[i].cost;
    }
    starts_.back() = 1.0;
}

void PhasedProgress::setCosts(size_t from, const std::vector<double>& costs) {
    std::lock_guard<std::mutex> guard(lock_);
    if (from >= phases_.size()) return;
    const double begin = starts_[from];
    for (size_t k = 0; k < costs.size() && from + k < phases_.size(); ++k)
        phases_[from + k].cost = std::max(0.0, costs[k]);
    double rest = 0;
    for (size_t i = from; i < phases_.size(); ++i) rest += phases_[i].cost;
    double at = 0;
    for (size_t i = from; i < phases_.size(); ++i) {
        starts_[i] = begin + (1.0 - begin) * (rest > 0 ? at / rest : double(i - from) / double(phases_.size() - from));
        at += phases_[i].cost;
    }
}

double PhasedProgress::startOf(size_t i) const {
    return starts_[std::min(i, starts_.size() - 1)];
}

bool PhasedProgress::send(double fraction, const std::string& phase) {
    if (stopped_) return false;
    last_ = std::max(last_, std::min(1.0, fraction));
    ProgressStatus s;
    s.fraction = last_;
    s.phase = phase;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    if (last_ >= 1.0) {
        s.secondsLeft = 0;
    } else if (last_ >= kPaceAfterFraction && elapsed >= kPaceAfterSeconds) {
        s.secondsLeft = elapsed * (1.0 - last_) / last_;
    } else {
        // Before the pace is known: the costs of the phases not done yet (seconds, when from work_costs.h).
        double left = 0, all = 0;
        for (size_t i = 0; i < phases_.size(); ++i) {
            all += phases_[i].cost;
            const double done =
                std::clamp((last_ - starts_[i]) / std::max(1e-12, starts_[i + 1] - starts_[i]), 0.0, 1.0);
            left += phases_[i].cost * (1.0 - done);
        }
        s.secondsLeft = all > 0 ? left : -1;
    }
    if (!fn_(s)) stopped_ = true;
    return !stopped_;
}

bool PhasedProgress::report(size_t phase, double within) {
    if (!fn_) return true;
    std::lock_guard<std::mutex> guard(lock_);
    const size_t i = std::min(phase, phases_.size() - 1);
    return send(starts_[i] + (starts_[i + 1] - starts_[i]) * std::clamp(within, 0.0, 1.0), phases_[i].name);
}

void PhasedProgress::begin(size_t i) {
    if (!report(i, 0)) throw Cancelled();
}

ProgressFn PhasedProgress::of(size_t i) {
    return [this, i](uint64_t done, uint64_t total) {
        return report(i, total ? double(std::min(done, total)) / double(total) : 1.0);
    };
}

ProgressFn PhasedProgress::ofPasses(size_t first, size_t count, uint64_t unitsEach) {
    count = std::max<size_t>(1, count);
    return [this, first, count, unitsEach](uint64_t done, uint64_t) {
        if (unitsEach == 0) return report(first + count - 1, 1.0);
        const uint64_t k = std::min<uint64_t>(done / unitsEach, count - 1);
        return report(first + size_t(k), double(done - k * unitsEach) / double(unitsEach));
    };
}

void PhasedProgress::finish(const std::string& phase) {
    if (!fn_) return;
    std::lock_guard<std::mutex> guard(lock_);
    if (!send(1.0, phase)) throw Cancelled();
}

}  // namespace eqlab
