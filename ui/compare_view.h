// Every method on the current text, side by side with the paper's figures:
// a table (bytes/token at v = 256 and 65,536, bits/byte, tokens, time) and a
// chart, including the Equal-Info window sweep b = 16, 32, 64, 128. Runs on a
// worker thread; rows fill in as they finish; cancellable.
#pragma once

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

    void setInput(std::vector<uint8_t> bytes, QString modelPath);
    // Starts the comparison on a background job (a run in flight is cancelled).
    void run();
    // Stops the comparison; rows not shown yet are dropped and finished() does not come.
    void cancel();
    // cancel(), then returns once the job's thread has ended (closing the window).
    void cancelAndWait();
    bool busy() const { return job_.busy(); }
    QTableWidget* table() { return table_; }
    QCustomPlot* plot() { return plot_; }
    void restyle();

signals:
    void finished();

private:
    void addRow(const CompareRow& r);
    void redrawChart();

    QLabel* header_;
    QPushButton* runButton_;
    QPushButton* cancelButton_;
    QProgressBar* progress_;
    QTableWidget* table_;
    QCustomPlot* plot_;
    std::vector<uint8_t> bytes_;
    QString modelPath_;
    std::vector<CompareRow> rows_;
    BackgroundJob job_;  // destroyed first: cancels and joins before the widgets go
};

}  // namespace eqlab::ui
