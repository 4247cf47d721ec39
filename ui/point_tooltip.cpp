#include "point_tooltip.h"

#include <qcustomplot.h>

#include <QHelpEvent>
#include <QToolTip>

namespace eqlab::ui {

PointTooltip::PointTooltip(QCustomPlot* plot, TipFn tipFor) : QObject(plot), plot_(plot), tipFor_(std::move(tipFor)) {
    plot_->installEventFilter(this);
}

QString PointTooltip::tipAt(QPoint pos) const {
    QCPAbstractPlottable* nearest = nullptr;
    int index = -1;
    double best = plot_->selectionTolerance();
    for (int i = 0; i < plot_->plottableCount(); ++i) {
        QCPAbstractPlottable* pl = plot_->plottable(i);
        if (!pl->visible() || pl->interface1D() == nullptr || pl->interface1D()->dataCount() == 0) continue;
        QVariant details;
        // Not only selectable plottables: a tooltip reads every one.
        const double d = pl->selectTest(pos, /*onlySelectable=*/false, &details);
        const QCPDataSelection hit = details.value<QCPDataSelection>();
        if (d < 0 || d > best || hit.isEmpty()) continue;
        best = d;
        nearest = pl;
        index = hit.dataRange().begin();
    }
    return nearest ? tipFor_(nearest, index) : QString();
}

bool PointTooltip::eventFilter(QObject* watched, QEvent* event) {
    if (watched != plot_ || event->type() != QEvent::ToolTip) return QObject::eventFilter(watched, event);
    auto* he = static_cast<QHelpEvent*>(event);
    const QString tip = tipAt(he->pos());
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(he->globalPos(), tip, plot_);
    return true;
}

}  // namespace eqlab::ui
