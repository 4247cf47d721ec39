#include "bar_chart.h"

#include <qcustomplot.h>

#include "theme.h"

namespace eqlab::ui {

namespace {
constexpr double kBarWidth = 0.38;  // of a key's unit: the pair leaves a gap between keys
constexpr int kPaperAlpha = 170;    // the paper's bars are a little see-through
}  // namespace

void addOursAndPaperBars(QCustomPlot* plot, const QVector<double>& keys, const QVector<double>& ours,
                         const QVector<double>& paper) {
    const Theme& th = Theme::current();
    // The group is a child of the plot and outlives clearPlottables(): one per plot, found again on a redraw.
    auto* group = plot->findChild<QCPBarsGroup*>(QString(), Qt::FindDirectChildrenOnly);
    if (!group) group = new QCPBarsGroup(plot);
    auto add = [&](const QString& name, const QVector<double>& values, const QColor& colour) {
        auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
        bars->setName(name);
        bars->setData(keys, values);
        bars->setBrush(QBrush(colour, Qt::SolidPattern));
        bars->setPen(Qt::NoPen);
        bars->setWidth(kBarWidth);
        bars->setBarsGroup(group);
    };
    add("eqlab, this text", ours, th.series(0));
    QColor paperColour = th.series(1);
    paperColour.setAlpha(kPaperAlpha);
    add("paper (C4)", paper, paperColour);
}

}  // namespace eqlab::ui
