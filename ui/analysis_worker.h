// Runs one analysis (encode + decode check) off the GUI thread.
#pragma once

#include <QObject>
#include <QString>
#include <memory>
#include <vector>

#include "background_job.h"
#include "methods/codec.h"
#include "methods/model_cache.h"

namespace eqlab::ui {

// The result of one analysis, delivered to the GUI thread.
struct AnalysisResult {
    Encoded encoded;
    ModelSet models;  // the models it was coded with
    std::string modelName;
    std::string note;  // e.g. which default model stood in
    bool roundTripOk = false;
    double seconds = 0.0;
};

// Runs analyses on a BackgroundJob; finished()/failed() report them on the
// GUI thread. A new start() cancels the analysis in flight, and a cancelled
// analysis reports nothing. Destroying the worker cancels and joins.
class AnalysisWorker : public QObject {
    Q_OBJECT
public:
    explicit AnalysisWorker(QObject* parent = nullptr);

    void start(std::vector<uint8_t> data, CodecParams params, QString modelPath);
    void cancel() { job_.cancel(); }
    // cancel(), then returns once every analysis thread has ended.
    void cancelAndWait() { job_.cancelAndWait(); }
    bool busy() const { return job_.busy(); }

signals:
    void progress(int percent);
    void finished(std::shared_ptr<eqlab::ui::AnalysisResult> result);
    void failed(QString message);

private:
    ModelCache models_;  // kept between analyses; before job_, which joins the analysis using it
    BackgroundJob job_;
};

}  // namespace eqlab::ui
