// A watchdog on the GUI thread: a timer ticks every kTickMs and the longest
// gap between two ticks is the longest time the event loop was blocked (a
// stall: no input handled, nothing painted). At each tick it also samples the
// process's resident memory, so a run reports its peak. For benchmarks: it
// measures, it never fails anything.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <cstdint>

namespace eqlab::ui {

class StallWatchdog : public QObject {
    Q_OBJECT
public:
    static constexpr int kTickMs = 10;  // the timer's interval: stalls are measured beyond it

    explicit StallWatchdog(QObject* parent = nullptr);
    void start();  // resets the figures
    void stop();
    // The longest gap between ticks (or since start(), or until now while
    // running), in milliseconds, the timer's own interval included.
    double longestGapMs() const;
    uint64_t peakRssKiB() const { return peakRssKiB_; }

private:
    void tick();
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 lastNs_ = 0;
    qint64 longestNs_ = 0;
    uint64_t peakRssKiB_ = 0;
};

}  // namespace eqlab::ui
