// Runs one analysis (encode + decode check) off the GUI thread.
#pragma once

#include <QObject>
#include <QString>
#include <atomic>
#include <memory>
#include <vector>

#include "methods/codec.h"

namespace eqlab::ui {

// The result of one analysis, delivered to the GUI thread.
struct AnalysisResult {
    Encoded encoded;
    std::string modelName;
    std::string note;       // e.g. which default model stood in
    bool roundTripOk = false;
    double seconds = 0.0;
};

// Owns a thread; start() queues a job and finished()/failed() report it.
// A new start() cancels the job in flight.
class AnalysisWorker : public QObject {
    Q_OBJECT
public:
    explicit AnalysisWorker(QObject* parent = nullptr);
    ~AnalysisWorker() override;

    void start(std::vector<uint8_t> data, CodecParams params, QString modelPath);
    void cancel();
    bool busy() const { return busy_; }

signals:
    void progress(int percent);
    void finished(std::shared_ptr<eqlab::ui::AnalysisResult> result);
    void failed(QString message);

private:
    std::shared_ptr<std::atomic<bool>> cancel_;
    std::atomic<int> running_{0};
    bool busy_ = false;
};

}  // namespace eqlab::ui
