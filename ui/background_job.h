// The one way eqlab's views run long work off the GUI thread. A view hands a
// BackgroundJob a function; each start() runs it on a new QThread with a
// JobControl, its only channel back: progress, results posted to the GUI
// thread, and a cancel flag that core operations see through a ProgressFn.
// Destroying the job cancels every run it started and joins their threads, so
// no worker outlives the view that owns the job.
#pragma once

#include <QObject>
#include <QString>
#include <atomic>
#include <climits>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "base/phased_progress.h"
#include "base/progress.h"

class QThread;

namespace eqlab::ui {

class BackgroundJob;

// A run's handle, given to the work on its worker thread; it lives exactly as
// long as the run. Every member may be called from the worker thread.
class JobControl {
public:
    // True once the run was cancelled, stopped, superseded by a newer start()
    // or its job is being destroyed: the work should return (or throw
    // eqlab::Cancelled) soon after.
    bool cancelled() const;
    // Reports progress in the job's own units (a view's progress bar range) as
    // BackgroundJob::progress; a value equal to the last one is not sent again.
    void progress(int value);
    // A core callback: reports done / total mapped linearly onto [from, to]
    // through progress(), and returns false once cancelled(), so that the core
    // operation throws eqlab::Cancelled. Valid while this JobControl lives.
    ProgressFn progressFn(int from, int to);
    // A core StatusFn (base/phased_progress.h): reports each status as
    // BackgroundJob::status (a new thousandth of the whole, a new phase or a
    // time left a second off) and returns false once cancelled(), so that
    // the core operation throws eqlab::Cancelled. Valid while this JobControl lives.
    StatusFn statusFn();
    // Runs f on the GUI thread, after the run's earlier posts and before its
    // finished()/failed(), unless by then the run's deliveries were dropped
    // (BackgroundJob::cancel(), a newer start(), the job destroyed).
    void post(std::function<void()> f);
    // Sets what runs on the GUI thread once the work has returned (or thrown):
    // after busy() turned false and before finished()/failed(), unless the
    // run's deliveries were dropped. The place for a run's final report, as
    // the view may start again from it. A later call replaces an earlier one.
    void onEnd(std::function<void()> f) { onEnd_ = std::move(f); }

private:
    friend class BackgroundJob;
    struct Run;
    JobControl(BackgroundJob* job, std::shared_ptr<Run> run) : job_(job), run_(std::move(run)) {}

    BackgroundJob* job_;
    std::shared_ptr<Run> run_;
    std::atomic<int> lastProgress_{INT_MIN};  // a core operation may report from several threads
    std::mutex statusLock_;                   // statusFn's last report, shared by those threads
    ProgressStatus lastStatus_{-1, "", -1};
    std::function<void()> onEnd_;
};

// Lives in, and is called from, the GUI thread; its signals arrive there too.
class BackgroundJob : public QObject {
    Q_OBJECT
public:
    // The work, run on a worker thread. It returns normally (finished()) or
    // throws (failed(), with what() as the message).
    using Work = std::function<void(JobControl&)>;

    explicit BackgroundJob(QObject* parent = nullptr);
    // cancelAndWait(): blocks until every run's work has returned.
    ~BackgroundJob() override;

    // Runs `work` on a new worker thread. A run still in flight is cancelled
    // first (as cancel()); it is not waited for here, only joined later.
    void start(Work work);
    // Asks the current run to stop and drops all it has not delivered yet
    // (posts, progress, finished/failed). Returns at once; busy() is false after.
    void cancel();
    // Asks the current run to stop early but keeps its deliveries: training
    // stops at a checkpoint and still reports it. busy() stays true until then.
    void requestStop();
    // cancel(), then joins every thread this job started. Blocks the caller
    // until each work returns (at its next progress or cancelled() check).
    void cancelAndWait();
    // True from start() until the current run ends (false already in its
    // onEnd and in finished()/failed()), or until cancel().
    bool busy() const { return current_ != nullptr; }

    // Runs, over all jobs, whose thread has not finished its work yet; the
    // count drops as a thread's last act (for tests: once an owner is closed
    // or destroyed, none of its runs may remain).
    static int liveRuns() { return liveRuns_.load(); }
    // Worker threads, over all jobs, started and not yet joined and deleted
    // (for tests: none may outlive its job; a thread the work itself started,
    // such as a libtorch pool's, is not one of them).
    static int liveThreads() { return liveThreads_.load(); }

signals:
    void progress(int value);  // JobControl::progress of the current run
    // JobControl::statusFn of the current run: fraction of the whole (0..1), the phase, seconds left (< 0: unknown).
    void status(double fraction, QString phase, double secondsLeft);
    void finished();               // the current run's work returned
    void failed(QString message);  // the current run's work threw (eqlab::Cancelled included)

private:
    friend class JobControl;
    using Run = JobControl::Run;
    struct Thread {
        QThread* thread;
        std::shared_ptr<Run> run;
    };
    void ended(const std::shared_ptr<Run>& run, bool ok, const QString& error, const std::function<void()>& onEnd);
    void reap(const std::shared_ptr<Run>& run);  // joins and deletes the run's thread

    std::shared_ptr<Run> current_;  // the run whose deliveries are shown; null when idle
    std::vector<Thread> threads_;   // every thread started and not yet joined
    static std::atomic<int> liveRuns_;
    static std::atomic<int> liveThreads_;
};

}  // namespace eqlab::ui
