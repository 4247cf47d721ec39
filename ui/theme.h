// Colours for every view, light or dark, chosen to stay readable for
// colour-blind users (Okabe-Ito hues; a viridis-like ramp for surprisal).
#pragma once

#include <QColor>
#include <QPoint>
#include <QString>
#include <functional>

class QCustomPlot;
class QEvent;
class QWidget;

namespace eqlab::ui {

struct Theme {
    bool dark = false;
    QColor background, foreground, faint, grid;
    QColor windowA, windowB;  // alternating Equal-Info window backgrounds
    QColor boundary;          // window boundaries
    QColor padding;           // padding bits
    QColor highlight;         // bytes/bits/tokens under the pointer or selected
    QColor selection;         // the selected window
    QColor used;              // bits carrying information
    QColor accent;            // lines (surprisal, loss)
    QColor good, bad;         // pass / fail

    static const Theme& current();
    static void setDark(bool dark);  // restyles the application palette too

    // Surprisal colour for `bits` (0 .. kSurprisalMax, clamped): pale for cheap bytes, dark for costly.
    QColor surprisal(double bits) const;
    static constexpr double kSurprisalMax = 12.0;
    // A stable colour for a token value (hue from the value, equal values equal colours).
    QColor tokenColour(uint32_t value) const;
    // One of eight Okabe-Ito colours, for series (methods, runs).
    static QColor series(int i);

    // Axis, grid, legend and background colours of a chart.
    void stylePlot(QCustomPlot* plot) const;
};

// For a view's viewportEvent: on a tooltip event shows tipAt(pos) (or hides
// the tooltip when it is empty) and returns true; false for other events.
bool showTooltip(QEvent* event, QWidget* viewport, const std::function<QString(QPoint)>& tipAt);

}  // namespace eqlab::ui
