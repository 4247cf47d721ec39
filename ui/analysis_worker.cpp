#include "analysis_worker.h"

#include <QThread>

#include "analysis/analyze.h"
#include "base/errors.h"

namespace eqlab::ui {

AnalysisWorker::AnalysisWorker(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<eqlab::ui::AnalysisResult>>();
    connect(&job_, &BackgroundJob::progress, this, &AnalysisWorker::progress);
    connect(&job_, &BackgroundJob::failed, this, &AnalysisWorker::failed);
}

void AnalysisWorker::start(std::vector<uint8_t> data, CodecParams params, QString modelPath) {
    job_.start([this, data = std::move(data), params, modelPath](JobControl& control) {
        auto result = std::make_shared<AnalysisResult>();
        // Errors and eqlab::Cancelled leave through the job.
        AnalyzeOptions o;
        o.params = params;
        o.modelPath = modelPath.toStdString();
        o.models = &models_;
        o.threads = std::max(1, QThread::idealThreadCount());
        o.encodeProgress = control.progressFn(/*from=*/0, /*to=*/90);
        o.decodeProgress = control.progressFn(/*from=*/90, /*to=*/99);
        Analysis a = analyze(data.data(), data.size(), o);
        result->encoded = std::move(a.encoded);
        result->models = std::move(a.models);
        result->modelName = a.modelName;
        result->note = a.note;
        result->roundTripOk = a.roundTripOk;
        result->seconds = a.seconds;
        control.onEnd([this, result] { emit finished(result); });
    });
}

}  // namespace eqlab::ui
