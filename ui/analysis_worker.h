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
    QString modelPath;  // the model path start() was given (empty: the default model)
    std::string note;   // e.g. which default model stood in
    bool roundTripOk = false;
    bool roundTripPending = false;  // coded; the round trip is still being checked (AnalysisWorker::coded)
    bool roundTripStopped = false;  // coded, but its round-trip check was cancelled or failed: neither verdict
    uint64_t run = 0;               // which start() it came from: a coded() and its finished() share it
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
    void cancel();  // progressText("cancelled") when one was running
    // cancel(), then returns once every analysis thread has ended.
    void cancelAndWait() { job_.cancelAndWait(); }
    bool busy() const { return job_.busy(); }

    // Texts up to this size are shown coded before their round trip is checked
    // (the partial result is a copy of the encoding and its trace).
    static constexpr uint64_t kPartialResultMaxBytes = uint64_t(1) << 20;

signals:
    void progress(int percent);  // of the whole analysis, each phase weighted by its measured cost
    // What the analysis is doing, for a progress bar's text: "loading M1 · 2% · about 4 s left", "done".
    void progressText(QString text);
    // The text is coded: everything but the round trip, which is still being
    // checked (result->roundTripPending). finished() follows with the whole result.
    void coded(std::shared_ptr<eqlab::ui::AnalysisResult> result);
    void finished(std::shared_ptr<eqlab::ui::AnalysisResult> result);
    void failed(QString message);

private:
    uint64_t runs_ = 0;
    ModelCache models_;  // kept between analyses; before job_, which joins the analysis using it
    BackgroundJob job_;
};

}  // namespace eqlab::ui
