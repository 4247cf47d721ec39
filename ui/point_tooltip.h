// Tooltips over a chart that give the figures of the data point under the
// pointer, instead of one help text for the whole chart: the point nearest
// the pointer of any visible plottable within the chart's selection
// tolerance (QCustomPlot::selectionTolerance, px).
#pragma once

#include <QObject>
#include <QPoint>
#include <functional>

class QCustomPlot;
class QCPAbstractPlottable;

namespace eqlab::ui {

class PointTooltip : public QObject {
    Q_OBJECT
public:
    // The tooltip for data point `index` of `plottable` (empty: none).
    using TipFn = std::function<QString(QCPAbstractPlottable* plottable, int index)>;
    // Shows tipFor's text over `plot`, which owns this.
    PointTooltip(QCustomPlot* plot, TipFn tipFor);

    // The tooltip at `pos` (plot coordinates, px); empty when no point is near.
    QString tipAt(QPoint pos) const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QCustomPlot* plot_;
    TipFn tipFor_;
};

}  // namespace eqlab::ui
