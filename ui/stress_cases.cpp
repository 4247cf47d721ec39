#include "stress_cases.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTableWidget>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <functional>
#include <memory>

#include "analysis_worker.h"
#include "background_job.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "compare_view.h"
#include "input_editor.h"
#include "m1_view.h"
#include "m2_view.h"
#include "main_window.h"
#include "methods/container.h"
#include "methods/default_models.h"
#include "process_stats.h"
#include "stall_watchdog.h"
#include "summary_panel.h"

namespace eqlab::ui {

namespace {

constexpr int kWaitMs = 180000;                          // the longest any step of a case may take
constexpr size_t kPasteBytes = size_t(20) << 20;         // paste-20mb
constexpr int kSwitches = 50;                            // method-switching: this many changes...
constexpr int kSwitchEveryMs = 100;                      // ...one this often (50 in 5 s)
constexpr size_t kBigAnalysisBytes = size_t(4) << 20;    // the analysis cancelled or closed on
constexpr uint64_t kBombClaimBytes = uint64_t(1) << 32;  // what the bomb container's header claims

// Runs the event loop until done() (true) or timeoutMs (false).
bool waitUntil(const std::function<bool()>& done, int timeoutMs = kWaitMs) {
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs) return false;
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

void pause(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

std::vector<uint8_t> sampleRepeated(size_t n) {
    const std::vector<uint8_t> sample = readFile(resourcePath(kSampleTextFile));
    std::vector<uint8_t> v;
    v.reserve(n + sample.size());
    while (v.size() < n) v.insert(v.end(), sample.begin(), sample.end());
    v.resize(n);
    while (!v.empty() && v.back() >= 0x80) v.pop_back();  // no UTF-8 sequence cut in two: the text stays exact
    return v;
}

// An analysis result has arrived (finished) since `since` analyses.
struct AnalysisCounter {
    explicit AnalysisCounter(MainWindow& w) {
        QObject::connect(w.worker(), &AnalysisWorker::finished, &guard, [this] { ++finished; });
        QObject::connect(w.worker(), &AnalysisWorker::failed, &guard, [this] { ++failed; });
        QObject::connect(w.exploreView(), &ExploreView::sessionChanged, &guard, [this] { ++started; });
    }
    QObject guard;  // the connections die with the counter
    int started = 0, finished = 0, failed = 0;
};

// The case's work on a built window; returns whether it held and says what happened.
using CaseBody = std::function<bool(MainWindow& w, StallWatchdog& dog, const QString& workDir, QString& outcome)>;

bool paste20Mb(MainWindow& w, StallWatchdog& dog, const QString&, QString& outcome) {
    const std::vector<uint8_t> text = sampleRepeated(kPasteBytes);
    const QString pasted = QString::fromUtf8(reinterpret_cast<const char*>(text.data()), qsizetype(text.size()));
    QApplication::clipboard()->setText(pasted);
    AnalysisCounter count(w);
    InputEditor* editor = w.exploreView()->editor();
    editor->setFocus();
    editor->selectAll();
    dog.start();
    editor->paste();  // what Ctrl+V does
    const bool in = waitUntil([&] { return !editor->loading() && count.finished + count.failed > 0; });
    QApplication::clipboard()->clear();
    const uint64_t analysed = w.lastResult() ? w.lastResult()->encoded.inputBytes : 0;
    outcome = QString("%L1 bytes in the editor and Explore, the first %L2 analysed")
                  .arg(w.exploreView()->bytes().size())
                  .arg(analysed);
    return in && count.failed == 0 && w.exploreView()->bytes() == text && analysed > 0;
}

bool methodSwitching(MainWindow& w, StallWatchdog& dog, const QString&, QString& outcome) {
    auto* method = w.findChild<QComboBox*>("method");
    AnalysisCounter count(w);
    dog.start();
    int last = method->currentIndex();
    for (int i = 0; i < kSwitches; ++i) {
        last = (last + 1) % method->count();
        method->setCurrentIndex(last);
        pause(kSwitchEveryMs);
    }
    const bool done = waitUntil([&] { return count.finished + count.failed > 0 && !w.worker()->busy(); });
    const QString shown =
        w.lastResult() ? QString::fromStdString(methodName(w.lastResult()->encoded.params.method)) : QString("none");
    outcome = QString("%1 changes, %2 analyses started, the last result shows %3 (chosen: %4)")
                  .arg(kSwitches)
                  .arg(count.started)
                  .arg(shown, method->itemText(last));
    // Coalesced: the changes come faster than the re-analysis pause, so one analysis follows.
    return done && count.failed == 0 && shown == method->itemText(last) && count.started <= 2;
}

// Explore analyses a 4 MiB text (all of it); true once it has made progress.
bool startBigAnalysis(MainWindow& w, int& progressed) {
    w.exploreView()->applyMethodSettings({{"method/limit", 5}});  // "everything"
    QObject::connect(w.worker(), &AnalysisWorker::progress, w.worker(), [&progressed](int p) {
        if (p > 0) ++progressed;
    });
    w.setBytes(sampleRepeated(kBigAnalysisBytes));
    w.runAnalysisNow();
    return waitUntil([&] { return progressed > 0; });
}

bool cancelMidRun(MainWindow& w, StallWatchdog& dog, const QString&, QString& outcome) {
    int progressed = 0;
    AnalysisCounter count(w);
    dog.start();
    if (!startBigAnalysis(w, progressed)) {
        outcome = "the analysis made no progress";
        return false;
    }
    const bool runningWhenCancelled = w.worker()->busy();
    w.exploreView()->cancel();  // Esc
    const bool stopped = !w.worker()->busy();
    // The cancelled run's thread ends at its next progress check; nothing of it is shown.
    const bool joined = waitUntil([] { return BackgroundJob::liveRuns() == 0; });
    pause(300);
    const bool saysSo = w.summary()->plainText().contains("cancelled");
    outcome = QString("cancelled at %1 progress reports; %2 results after; the summary %3")
                  .arg(progressed)
                  .arg(count.finished)
                  .arg(saysSo ? "says cancelled" : "does not say so");
    return runningWhenCancelled && stopped && joined && count.finished == 0 && saysSo;
}

// Closes the window while `running()` (a job started by start()) and checks that closing joined every job.
bool closeWhile(MainWindow& w, StallWatchdog& dog, QString& outcome, const std::function<bool()>& start,
                const std::function<bool()>& running) {
    dog.start();
    if (!start()) {
        outcome = "the job made no progress";
        return false;
    }
    const bool wasRunning = running() && BackgroundJob::liveRuns() > 0;
    QElapsedTimer t;
    t.start();
    w.close();
    const bool hidden = !w.isVisible();  // at once, whatever still runs
    const bool completed = waitUntil([&] { return !w.closing(); });
    const int left = BackgroundJob::liveRuns() + BackgroundJob::liveThreads();
    outcome = QString(
                  "closed while the job %1; the window hid at once, the close completed after %L2 ms, %3 "
                  "runs or threads left")
                  .arg(wasRunning ? "ran" : "had already ended")
                  .arg(t.elapsed())
                  .arg(left);
    pause(50);  // anything a worker had still queued would run (and crash) here
    return wasRunning && hidden && completed && left == 0;
}

bool closeDuringAnalysis(MainWindow& w, StallWatchdog& dog, const QString&, QString& outcome) {
    int progressed = 0;
    return closeWhile(
        w, dog, outcome, [&] { return startBigAnalysis(w, progressed); }, [&] { return w.worker()->busy(); });
}

bool closeDuringComparison(MainWindow& w, StallWatchdog& dog, const QString&, QString& outcome) {
    CompareView* c = w.compareView();
    return closeWhile(
        w, dog, outcome,
        [&] {
            w.showView(MainWindow::View::Compare);
            c->setInput(sampleRepeated(CompareView::kMaxBytes), QString());
            c->run();
            return waitUntil([&] { return c->table()->rowCount() > 0; });
        },
        [&] { return c->busy(); });
}

bool closeDuringM1Training(MainWindow& w, StallWatchdog& dog, const QString& workDir, QString& outcome) {
    M1View* v = w.m1View();
    return closeWhile(
        w, dog, outcome,
        [&] {
            w.showView(MainWindow::View::M1);
            v->setOutput(QDir(workDir).filePath("m1.eqm1"));
            v->setBudget(/*minutes=*/0, /*steps=*/1000000);
            v->start();
            return waitUntil([&] { return v->points() > 0; });
        },
        [&] { return v->busy(); });
}

bool closeDuringM2Training(MainWindow& w, StallWatchdog& dog, const QString& workDir, QString& outcome) {
    M2View* v = w.m2View();
    return closeWhile(
        w, dog, outcome,
        [&] {
            w.showView(MainWindow::View::M2);
            v->setRunsDir(QDir(workDir).filePath("runs"));  // its datasets go beside it
            v->setBudget(/*minutes=*/10);
            v->setSize(/*dModel=*/32, /*layers=*/1);
            v->setCorpus(QString::fromStdString(resourcePath(kSampleTextFile)));
            v->train({"eqinfo-ac[b=16,v=256]"});
            return waitUntil([&] { return !v->runs().empty() && !v->runs()[0].points.empty(); });
        },
        [&] { return v->busy(); });
}

bool bombContainer(MainWindow& w, StallWatchdog& dog, const QString& workDir, QString& outcome) {
    // A valid gzip container (checksums right) whose header claims 4 GiB of text.
    CodecParams p;
    p.method = Method::Gzip;
    const ModelSet models = loadModelsFor(p.method, "");
    const std::vector<uint8_t> text = sampleRepeated(size_t(64) << 10);
    Encoded e = encode(text.data(), text.size(), p, models, {});
    e.inputBytes = kBombClaimBytes;
    const QString path = QDir(workDir).filePath("bomb.eqlc");
    writeFile(path.toStdString(), writeContainer(e, models));
    const std::vector<uint8_t> before = w.exploreView()->bytes();
    QString message;
    QObject::connect(w.exploreView(), &ExploreView::openFailed, w.exploreView(),
                     [&message](const QString& m) { message = m; });
    dog.start();
    w.openFile(path);  // refused now, or when its decoding fails
    const bool reported = waitUntil([&] { return !message.isEmpty(); });
    const bool idle = waitUntil([&] { return !w.exploreView()->opening() && BackgroundJob::liveRuns() == 0; });
    outcome = reported ? "refused: " + QString(message).replace('\n', ' ') : QString("no error was shown");
    return reported && idle && w.exploreView()->bytes() == before;
}

const std::vector<std::pair<QString, CaseBody>>& cases() {
    static const std::vector<std::pair<QString, CaseBody>> all = {
        {"paste-20mb", paste20Mb},
        {"method-switching", methodSwitching},
        {"cancel-mid-run", cancelMidRun},
        {"close-during-analysis", closeDuringAnalysis},
        {"close-during-comparison", closeDuringComparison},
        {"close-during-m1-training", closeDuringM1Training},
        {"close-during-m2-training", closeDuringM2Training},
        {"bomb-container", bombContainer},
    };
    return all;
}

}  // namespace

QStringList stressCaseNames() {
    QStringList names;
    for (const auto& c : cases()) names << c.first;
    return names;
}

StressReport runStressCase(const QString& name, const QString& workDir) {
    StressReport r;
    r.name = name;
    const auto it = std::find_if(cases().begin(), cases().end(), [&](const auto& c) { return c.first == name; });
    if (it == cases().end()) {
        r.outcome = "no such case";
        return r;
    }
    r.threadsBefore = processThreads();
    r.rssBeforeKiB = processRssKiB();
    StallWatchdog dog;
    {
        MainWindow::StartOptions o;
        o.headless = true;  // errors go to stderr: a message box would wait for a click
        o.autosave = true;  // as eqlab runs: the text and settings are autosaved, into workDir
        o.autosavePath = QDir(workDir).filePath("session.eqas");
        auto w = std::make_unique<MainWindow>(o);
        w->show();
        // The sample's analysis first: the case starts from a window at rest.
        if (!waitUntil([&] { return w->lastResult() && !w->worker()->busy(); })) {
            r.outcome = "the sample's analysis did not finish";
            return r;
        }
        try {
            r.held = it->second(*w, dog, workDir, r.outcome);
        } catch (const std::exception& e) {
            r.held = false;
            r.outcome = QString("threw: %1").arg(e.what());
        }
        w->close();
        w.reset();
        dog.stop();
    }
    QApplication::processEvents();
    r.longestStallMs = dog.longestGapMs();
    r.peakRssKiB = dog.peakRssKiB();
    r.liveRunsAfter = BackgroundJob::liveRuns();
    r.jobThreadsAfter = BackgroundJob::liveThreads();
    r.threadsAfter = processThreads();
    r.rssAfterKiB = processRssKiB();
    return r;
}

}  // namespace eqlab::ui
