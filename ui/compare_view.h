// Every method on the current text, side by side with the paper's figures:
// a table (bytes/token at v = 256 and 65,536, bits/byte, tokens, time) and a
// chart, including the Equal-Info window sweep b = 16, 32, 64, 128. Runs on a
// worker thread by itself when the view is shown for a text it has not
// compared yet (and when that text changes while it is shown); rows fill in
// as they finish; cancellable. Until rows come, the chart says what is going
// on (running, cancelled, or how to start it).
#pragma once

#include <QElapsedTimer>
#include <QWidget>
#include <vector>

#include "background_job.h"
#include "methods/method.h"

class QCustomPlot;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace eqlab::ui {

struct CompareRow {
    QString name;
    CodecParams params;
    double bytesPerToken = 0, bytesPerToken65k = 0, bitsPerByte = 0, seconds = 0;
    uint64_t tokens = 0;
    bool has65k = true;
    double paper = 0, paper65k = 0;  // the paper's bytes/token (0: none)
    QString error;
};

class CompareView : public QWidget {
    Q_OBJECT
public:
    static constexpr uint64_t kMaxBytes = 32 << 10;  // the leading part compared (M1 ac is slow)
    explicit CompareView(QWidget* parent = nullptr);

    // The text and model to compare. While the view is visible, an input not
    // compared yet (nor being compared) starts run().
    void setInput(std::vector<uint8_t> bytes, QString modelPath);
    // Starts the comparison on a background job (a run in flight is cancelled).
    void run();
    // Stops the comparison; rows not shown yet are dropped and finished() does not come.
    void cancel();
    // cancel(), then returns once the job's thread has ended (closing the window).
    void cancelAndWait();
    bool busy() const { return job_.busy(); }
    // What the chart says while it has no rows ("" once rows are drawn).
    QString chartMessage() const { return chartMessage_; }
    QTableWidget* table() { return table_; }
    QCustomPlot* plot() { return plot_; }
    QProgressBar* progressBar() { return progress_; }
    void restyle();

signals:
    void finished();

protected:
    void showEvent(QShowEvent* e) override;

private:
    void addRow(const CompareRow& r);
    void redrawChart();
    void runIfNotCompared();  // run() when visible and the input is neither compared nor being compared

    QLabel* header_;
    QPushButton* runButton_;
    QPushButton* cancelButton_;
    QProgressBar* progress_;
    QTableWidget* table_;
    QCustomPlot* plot_;
    std::vector<uint8_t> bytes_;
    QString modelPath_;
    bool inputCompared_ = false;  // the table shows (or the job is filling it for) bytes_ and modelPath_
    QString chartMessage_;
    QElapsedTimer clock_;  // since run()
    std::vector<CompareRow> rows_;
    BackgroundJob job_;  // destroyed first: cancels and joins before the widgets go
};

}  // namespace eqlab::ui
