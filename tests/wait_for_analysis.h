// GUI tests: waiting for the window's next Explore analysis.
#pragma once

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include "analysis_worker.h"
#include "main_window.h"

namespace eqlab::test {

// Waits for the next analysis to finish (true) or fail (false), at most `ms`.
inline bool waitForAnalysis(ui::MainWindow& w, int ms = 120000) {
    QSignalSpy done(w.worker(), &ui::AnalysisWorker::finished);
    QSignalSpy failed(w.worker(), &ui::AnalysisWorker::failed);
    QElapsedTimer t;
    t.start();
    while (done.isEmpty() && failed.isEmpty() && t.elapsed() < ms) QTest::qWait(20);
    return !done.isEmpty();
}

}  // namespace eqlab::test
