#include "analysis_worker.h"

#include <QThread>
#include <thread>

#include "analysis/analyze.h"
#include "base/errors.h"

namespace eqlab::ui {

AnalysisWorker::AnalysisWorker(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<eqlab::ui::AnalysisResult>>();
}

AnalysisWorker::~AnalysisWorker() {
    cancel();
    while (running_.load() > 0) QThread::msleep(5);  // jobs stop at their next progress tick
}

void AnalysisWorker::cancel() {
    if (cancel_) cancel_->store(true);
}

void AnalysisWorker::start(std::vector<uint8_t> data, CodecParams params, QString modelPath) {
    cancel();
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    busy_ = true;
    auto flag = cancel_;
    ++running_;
    std::thread([this, flag, data = std::move(data), params, modelPath]() {
        auto result = std::make_shared<AnalysisResult>();
        QString error;
        try {
            AnalyzeOptions o;
            o.params = params;
            o.modelPath = modelPath.toStdString();
            o.threads = std::max(1, QThread::idealThreadCount());
            int lastPct = -1;
            o.encodeProgress = [&](uint64_t done, uint64_t total) {
                const int pct = total ? int(90 * done / total) : 90;
                if (pct != lastPct) {
                    lastPct = pct;
                    QMetaObject::invokeMethod(this, [this, flag, pct] { if (!*flag) emit progress(pct); }, Qt::QueuedConnection);
                }
                return !flag->load();
            };
            o.decodeProgress = [&](uint64_t, uint64_t) { return !flag->load(); };
            Analysis a = analyze(data.data(), data.size(), o);
            result->encoded = std::move(a.encoded);
            result->modelName = a.modelName;
            result->note = a.note;
            result->roundTripOk = a.roundTripOk;
            result->seconds = a.seconds;
        } catch (const Cancelled&) {
            --running_;
            return;
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(this, [this, flag, result, error] {
            if (*flag) return;  // superseded or cancelled
            busy_ = false;
            if (error.isEmpty()) emit finished(result); else emit failed(error);
        }, Qt::QueuedConnection);
        --running_;
    }).detach();
}

}  // namespace eqlab::ui
