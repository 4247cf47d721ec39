#include "analysis_worker.h"

#include <QElapsedTimer>
#include <QThread>
#include <thread>

#include "methods/default_models.h"
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
            QElapsedTimer timer;
            timer.start();
            const ModelSet models = loadModelsFor(params.method, modelPath.toStdString(), &result->note);
            result->modelName = models.byteModel ? models.byteModel->name()
                                : models.sentencePiece ? "sentencepiece v=" + std::to_string(models.sentencePiece->vocabSize())
                                                       : "none";
            EncodeOptions o;
            o.trace = true;
            o.threads = std::max(1, QThread::idealThreadCount());
            int lastPct = -1;
            o.progress = [&](uint64_t done, uint64_t total) {
                const int pct = total ? int(90 * done / total) : 90;
                if (pct != lastPct) {
                    lastPct = pct;
                    QMetaObject::invokeMethod(this, [this, flag, pct] { if (!*flag) emit progress(pct); }, Qt::QueuedConnection);
                }
                return !flag->load();
            };
            result->encoded = encode(data.data(), data.size(), params, models, o);
            const std::vector<uint8_t> back =
                decode(result->encoded, models, [&](uint64_t, uint64_t) { return !flag->load(); }, o.threads);
            result->roundTripOk = back == data;
            result->seconds = double(timer.nsecsElapsed()) * 1e-9;
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
