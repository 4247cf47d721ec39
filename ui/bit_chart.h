// Bit allocation per window (QCustomPlot): above, bytes per window as bars
// with per-byte surprisal as a line (each byte at its window + its fraction
// of the way through it); below, each window's bits used and padding,
// stacked. Clicking a bar selects that window in every view.
#pragma once

#include <QWidget>

#include "trace_model.h"

class QCustomPlot;
class QCPBars;
class QCPGraph;
class QCPAxisRect;

namespace eqlab::ui {

class BitChart : public QWidget {
    Q_OBJECT
public:
    explicit BitChart(TraceModel* model, QWidget* parent = nullptr);
    QCustomPlot* plot() { return plot_; }
    void restyle();
    // For tests: bars drawn in the upper chart.
    int barCount() const;

private:
    void rebuild();
    void showSelection();

    TraceModel* model_;
    QCustomPlot* plot_;
    QCPAxisRect* top_ = nullptr;
    QCPAxisRect* bottom_ = nullptr;
    QCPBars* bytes_ = nullptr;
    QCPBars* used_ = nullptr;
    QCPBars* padding_ = nullptr;
    QCPGraph* surprisal_ = nullptr;
};

}  // namespace eqlab::ui
