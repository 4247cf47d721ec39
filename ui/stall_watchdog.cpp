#include "stall_watchdog.h"

#include <algorithm>

#include "process_stats.h"

namespace eqlab::ui {

StallWatchdog::StallWatchdog(QObject* parent) : QObject(parent) {
    timer_.setInterval(kTickMs);
    timer_.setTimerType(Qt::PreciseTimer);
    connect(&timer_, &QTimer::timeout, this, &StallWatchdog::tick);
}

void StallWatchdog::start() {
    clock_.start();
    lastNs_ = 0;
    longestNs_ = 0;
    peakRssKiB_ = processRssKiB();
    timer_.start();
}

void StallWatchdog::stop() {
    tick();
    timer_.stop();
}

double StallWatchdog::longestGapMs() const {
    const qint64 open = timer_.isActive() ? clock_.nsecsElapsed() - lastNs_ : 0;
    return double(std::max(longestNs_, open)) / 1e6;
}

void StallWatchdog::tick() {
    const qint64 now = clock_.nsecsElapsed();
    longestNs_ = std::max(longestNs_, now - lastNs_);
    lastNs_ = now;
    peakRssKiB_ = std::max(peakRssKiB_, processRssKiB());
}

}  // namespace eqlab::ui
