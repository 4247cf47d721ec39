// Colours for every view, light or dark, chosen to stay readable for
// colour-blind users (Okabe-Ito hues; a viridis-like ramp for surprisal).
// High contrast (presenter mode) is black on white or white on black with
// thicker lines and strong boundaries; it combines with light or dark. The
// presenter zoom (Zoom) scales the charts' fonts and lines through stylePlot.
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
    bool highContrast = false;  // black on white (white on black when dark), thicker lines
    double zoom = 1.0;          // presenter zoom, 1 = 100% (Zoom sets it with the application font)
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
    static void setDark(bool dark);        // restyles the application palette too; keeps high contrast and zoom
    static void setHighContrast(bool on);  // restyles the application palette too; keeps dark and zoom
    static void setZoom(double zoom);      // only the factor charts and painted lines read: see Zoom

    // A line `width` px wide at 100% in the normal theme, as drawn now: scaled
    // by the zoom, and kHighContrastLines times thicker in high contrast.
    double lineWidth(double width) const;
    static constexpr double kHighContrastLines = 1.75;

    // Surprisal colour for `bits` (0 .. kSurprisalMax, clamped): pale for cheap bytes, dark for costly.
    QColor surprisal(double bits) const;
    static constexpr double kSurprisalMax = 12.0;
    // A stable colour for a token value (hue from the value, equal values equal colours).
    QColor tokenColour(uint32_t value) const;
    // One of eight Okabe-Ito colours, for series (methods, runs).
    static QColor series(int i);

    // A chart's axis, grid, legend and background colours, and its fonts (the
    // application font: tick and axis labels, legends, titles, text items),
    // tick lengths, line widths and scatter sizes at the zoom. Call it after
    // setting the chart's pens: it scales the widths they were set with
    // (once, however often it is called).
    void stylePlot(QCustomPlot* plot) const;
};

// For a view's viewportEvent: on a tooltip event shows tipAt(pos) (or hides
// the tooltip when it is empty) and returns true; false for other events.
bool showTooltip(QEvent* event, QWidget* viewport, const std::function<QString(QPoint)>& tipAt);

}  // namespace eqlab::ui
