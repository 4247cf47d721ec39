// Grouped bars of a chart: eqlab's value on this text beside the paper's, one
// pair per key (the Compare tab's methods, the reset study's variants).
#pragma once

#include <QVector>

class QCustomPlot;

namespace eqlab::ui {

// Adds two bar series to `plot`, side by side at each of `keys`: "eqlab, this
// text" (`ours`) and "paper (C4)" (`paper`, 0 where the paper has none), in
// the theme's first two series colours. Every call shares the plot's one bars
// group, made on the first call: a redraw (clearPlottables, then this again)
// adds no group. keys, ours and paper have the same length.
void addOursAndPaperBars(QCustomPlot* plot, const QVector<double>& keys, const QVector<double>& ours,
                         const QVector<double>& paper);

}  // namespace eqlab::ui
