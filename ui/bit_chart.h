// Bit allocation per window (QCustomPlot): above, bytes per window as bars
// with per-byte surprisal as a line (each byte at its window + its fraction
// of the way through it); below, each window's bits used and padding,
// stacked. Clicking a window's column selects that window in every view
// (TraceModel holds the selection; the chart only shows it).
// Segments that hold many bytes each (ac chunks, DEFLATE blocks) would draw
// a scribble over a few bars: then the upper chart is the surprisal profile
// along the text instead (a mean per bin of bytes, boundaries as lines), and
// a few segments carry their sizes as labels. A method without segments
// (bytes, sentencepiece) shows a sentence instead of empty axes. Hovering a
// window shows its figures and why it closed.
#pragma once

#include <QWidget>

#include "trace_model.h"

class QCustomPlot;
class QCPBars;
class QCPGraph;
class QCPAxisRect;
class QCPItemRect;
class QLabel;

namespace eqlab::ui {

class BitChart : public QWidget {
    Q_OBJECT
public:
    explicit BitChart(TraceModel* model, QWidget* parent = nullptr);
    QCustomPlot* plot() { return plot_; }
    void restyle();
    // For tests: bars drawn in the upper chart, and whether it shows the surprisal profile instead.
    int barCount() const;
    bool showsProfile() const { return profile_; }
    QCPAxisRect* upperRect() const { return top_; }
    QCPAxisRect* lowerRect() const { return bottom_; }
    QString emptyText() const;  // the sentence shown instead of the chart; empty while it is shown
    // The segment under a plot pixel (its column, or its bytes in the profile), or -1.
    int64_t segmentAt(QPoint pos) const;
    // Over a segment: its figures and why it closed; elsewhere the chart's help.
    QString tooltipAt(QPoint pos) const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void rebuild();
    void showSelection();
    void drawProfileItems(const Trace& t);
    // A click (not a drag) at pixel `pos`: selects the window under it.
    void clickAt(QPoint pos);

    TraceModel* model_;
    QCustomPlot* plot_;
    QCPAxisRect* top_ = nullptr;
    QCPAxisRect* bottom_ = nullptr;
    QCPBars* bytes_ = nullptr;
    QCPBars* used_ = nullptr;
    QCPBars* padding_ = nullptr;
    QCPGraph* surprisal_ = nullptr;
    QCPItemRect* band_ = nullptr;  // the selected segment in the profile
    QLabel* empty_ = nullptr;
    bool profile_ = false;
    QPoint pressAt_;
};

}  // namespace eqlab::ui
