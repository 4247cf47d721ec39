#include "background_job.h"

#include <QThread>
#include <algorithm>
#include <cmath>

namespace eqlab::ui {

struct JobControl::Run {
    std::atomic<bool> cancel{false};  // the work's stop flag, set from the GUI thread
    bool dropped = false;             // GUI thread only: what the run still delivers is discarded
};

std::atomic<int> BackgroundJob::liveRuns_{0};
std::atomic<int> BackgroundJob::liveThreads_{0};

bool JobControl::cancelled() const {
    return run_->cancel.load();
}

void JobControl::progress(int value) {
    if (lastProgress_.exchange(value) == value) return;
    post([job = job_, value] { emit job->progress(value); });
}

ProgressFn JobControl::progressFn(int from, int to) {
    return [this, from, to](uint64_t done, uint64_t total) {
        const double frac = total ? double(std::min(done, total)) / double(total) : 1.0;
        progress(from + int(double(to - from) * frac));
        return !cancelled();
    };
}

StatusFn JobControl::statusFn() {
    constexpr double kStep = 0.001;       // a new thousandth of the whole is reported
    constexpr double kSecondsStep = 1.0;  // ...and so is a time left that moved this much
    return [this](const ProgressStatus& s) {
        {
            std::lock_guard<std::mutex> guard(statusLock_);
            const bool same = s.phase == lastStatus_.phase && s.fraction < 1.0 &&
                              std::abs(s.fraction - lastStatus_.fraction) < kStep &&
                              std::abs(s.secondsLeft - lastStatus_.secondsLeft) < kSecondsStep;
            if (!same) {
                lastStatus_ = s;
                post([job = job_, s] { emit job->status(s.fraction, QString::fromStdString(s.phase), s.secondsLeft); });
            }
        }
        return !cancelled();
    };
}

void JobControl::post(std::function<void()> f) {
    // The job outlives every thread it started (its destructor joins them), so
    // queueing onto it is safe; `dropped` is read on the GUI thread, at delivery.
    QMetaObject::invokeMethod(
        job_,
        [run = run_, f = std::move(f)] {
            if (!run->dropped) f();
        },
        Qt::QueuedConnection);
}

BackgroundJob::BackgroundJob(QObject* parent) : QObject(parent) {}

BackgroundJob::~BackgroundJob() {
    cancelAndWait();
}

void BackgroundJob::start(Work work) {
    cancel();
    auto run = std::make_shared<Run>();
    current_ = run;
    ++liveRuns_;
    QThread* thread = QThread::create([this, run, work = std::move(work)] {
        bool ok = true;
        QString error;
        std::function<void()> onEnd;
        {
            JobControl control(this, run);
            try {
                work(control);
            } catch (const std::exception& e) {  // eqlab::Error (Cancelled included) and c10::Error
                ok = false;
                error = QString::fromUtf8(e.what());
            } catch (...) {
                ok = false;
                error = "unknown error";
            }
            onEnd = std::move(control.onEnd_);
        }
        QMetaObject::invokeMethod(
            this, [this, run, ok, error, onEnd] { ended(run, ok, error, onEnd); }, Qt::QueuedConnection);
        --liveRuns_;  // last: nothing of the job is touched after this
    });
    ++liveThreads_;
    thread->setObjectName("eqlab job");
    connect(thread, &QThread::finished, this, [this, run] { reap(run); });
    threads_.push_back({thread, run});
    thread->start();
}

void BackgroundJob::cancel() {
    if (!current_) return;
    current_->cancel = true;
    current_->dropped = true;
    current_.reset();
}

void BackgroundJob::requestStop() {
    if (current_) current_->cancel = true;
}

void BackgroundJob::cancelAndWait() {
    cancel();
    for (Thread& t : threads_) {
        t.run->cancel = true;
        t.run->dropped = true;
        t.thread->wait();
        delete t.thread;
        --liveThreads_;
    }
    threads_.clear();
}

void BackgroundJob::ended(const std::shared_ptr<Run>& run, bool ok, const QString& error,
                          const std::function<void()>& onEnd) {
    if (run->dropped) return;
    if (current_ == run) current_.reset();
    if (onEnd) onEnd();
    if (ok)
        emit finished();
    else
        emit failed(error);
}

void BackgroundJob::reap(const std::shared_ptr<Run>& run) {
    // Found by its run, not by the QThread's address: cancelAndWait() may have
    // deleted that thread already and a new one may have its address.
    const auto it = std::find_if(threads_.begin(), threads_.end(), [&](const Thread& t) { return t.run == run; });
    if (it == threads_.end()) return;
    it->thread->wait();  // it emitted finished(): returns at once
    delete it->thread;
    --liveThreads_;
    threads_.erase(it);
}

}  // namespace eqlab::ui
