#include "analysis_worker.h"

#include <QElapsedTimer>
#include <QThread>

#include "methods/default_models.h"
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
        {  // the analysis proper: errors and eqlab::Cancelled leave through the job
            QElapsedTimer timer;
            timer.start();
            const ModelSet models = loadModelsFor(params.method, modelPath.toStdString(), &result->note);
            result->modelName = models.byteModel ? models.byteModel->name()
                                : models.sentencePiece ? "sentencepiece v=" + std::to_string(models.sentencePiece->vocabSize())
                                                       : "none";
            EncodeOptions o;
            o.trace = true;
            o.threads = std::max(1, QThread::idealThreadCount());
            o.progress = control.progressFn(/*from=*/0, /*to=*/90);
            result->encoded = encode(data.data(), data.size(), params, models, o);
            const std::vector<uint8_t> back = decode(result->encoded, models, control.progressFn(/*from=*/90, /*to=*/99), o.threads);
            result->roundTripOk = back == data;
            result->seconds = double(timer.nsecsElapsed()) * 1e-9;
        }
        control.onEnd([this, result] { emit finished(result); });
    });
}

}  // namespace eqlab::ui
