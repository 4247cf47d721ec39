#include "analysis_worker.h"

#include <QThread>
#include <cmath>

#include "analysis/analyze.h"
#include "base/errors.h"
#include "progress_text.h"

namespace eqlab::ui {

namespace {
constexpr double kPercent = 100;  // progress() runs 0..100
}

void AnalysisWorker::cancel() {
    if (!job_.busy()) return;
    job_.cancel();
    emit progressText("cancelled");
}

AnalysisWorker::AnalysisWorker(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<eqlab::ui::AnalysisResult>>();
    connect(&job_, &BackgroundJob::status, this, [this](double fraction, const QString& phase, double secondsLeft) {
        emit progress(int(std::lround(kPercent * fraction)));
        emit progressText(ui::progressText(phase, fraction, secondsLeft));
    });
    connect(&job_, &BackgroundJob::failed, this, &AnalysisWorker::failed);
}

void AnalysisWorker::start(std::vector<uint8_t> data, CodecParams params, QString modelPath) {
    const uint64_t run = ++runs_;
    job_.start([this, run, data = std::move(data), params, modelPath](JobControl& control) {
        auto result = std::make_shared<AnalysisResult>();
        result->run = run;
        result->modelPath = modelPath;
        // Errors and eqlab::Cancelled leave through the job.
        AnalyzeOptions o;
        o.params = params;
        o.modelPath = modelPath.toStdString();
        o.models = &models_;
        o.threads = std::max(1, QThread::idealThreadCount());
        // Each phase (loading M1, the encode's passes, the round-trip check) weighted by its measured cost.
        o.progress = control.statusFn();
        // Shown at once; the round trip's verdict follows.
        if (data.size() <= kPartialResultMaxBytes)
            o.coded = [this, run, modelPath, &control](const Analysis& coded) {
                auto partial = std::make_shared<AnalysisResult>();
                partial->run = run;
                partial->modelPath = modelPath;
                partial->encoded = coded.encoded;
                partial->models = coded.models;
                partial->modelName = coded.modelName;
                partial->note = coded.note;
                partial->roundTripPending = true;
                partial->seconds = coded.seconds;
                control.post([this, partial] { emit this->coded(partial); });
            };
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
