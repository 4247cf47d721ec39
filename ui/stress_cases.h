// The GUI under stress (issue 15): each case builds a fresh MainWindow, drives
// it through one hostile use while a StallWatchdog watches the GUI thread, then
// closes and destroys it, and reports what it saw: whether the window behaved
// as it should (held), the longest stall, the process's threads and memory
// before, at the peak and after. eqlab --stress-bench prints them as a table;
// tests/tst_gui_stress asserts the behaviour, the threads and the memory (never
// the time).
//
// The cases, by name:
//   paste-20mb               20 MiB pasted into Explore's editor (Ctrl+V): it goes in, is analysed
//   method-switching         50 method changes in 5 s: one analysis follows, of the last method
//   cancel-mid-run           Esc during a 4 MiB analysis: it stops, nothing arrives after
//   close-during-analysis    the window closed mid-analysis: every job joined
//   close-during-comparison  ... mid-comparison (Compare tab)
//   close-during-m1-training ... mid M1 training (M1 tab)
//   close-during-m2-training ... mid M2 training (Learnability tab)
//   bomb-container           a container whose header claims 4 GiB of text: refused, memory flat
#pragma once

#include <QString>
#include <QStringList>
#include <cstdint>

namespace eqlab::ui {

struct StressReport {
    QString name;
    bool held = false;  // the window behaved as the case expects
    QString outcome;    // what happened, one sentence
    double longestStallMs = 0;
    int threadsBefore = 0;    // process threads before the window was built
    int threadsAfter = 0;     // ... once it is closed and destroyed
    int jobThreadsAfter = 0;  // BackgroundJob::liveThreads() then: must be 0
    int liveRunsAfter = 0;    // BackgroundJob::liveRuns() then: must be 0
    uint64_t rssBeforeKiB = 0, peakRssKiB = 0, rssAfterKiB = 0;
};

QStringList stressCaseNames();
// Runs one case; `workDir` (an existing, empty-enough folder) takes what it
// writes (a container, trained weights, M2 runs). An unknown name: held false.
StressReport runStressCase(const QString& name, const QString& workDir);

}  // namespace eqlab::ui
