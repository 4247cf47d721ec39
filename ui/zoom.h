// Presenter mode's zoom: one factor (1 = 100%) that scales every view
// together. It sets the application font's size, so every widget that draws
// with font() or QFontMetrics follows (text, token strip, summaries, tables,
// the Studies pages), and Theme::zoom, which charts read when restyled
// (Theme::stylePlot: tick and axis labels, legends, line widths) and painted
// lines read through Theme::lineWidth. There is one per application, since
// the application font is one.
#pragma once

#include <QObject>
#include <QSize>
#include <QWidget>
#include <array>

class QTableView;

namespace eqlab::ui {

class Zoom : public QObject {
    Q_OBJECT
public:
    // The factors Zoom in and Zoom out step through, as a browser's do; reset is 1.
    static constexpr std::array<double, 12> kSteps{0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0};

    // The application's zoom; created (as a child of qApp) on first use, which
    // takes the application font of that moment as the size at 100%.
    // Precondition: a QApplication exists.
    static Zoom& instance();

    double factor() const { return factor_; }
    // Clamps `factor` to kSteps' range, sets the application font to the
    // 100% size times it and Theme::zoom to it, and emits changed when it changed.
    void setFactor(double factor);
    void zoomIn();   // to the next step above the factor (none above the last)
    void zoomOut();  // to the next step below
    void reset();    // to 1

    // Sizes in px at 100% that follow the zoom: `widget`'s minimum and maximum
    // size become these times the factor, now and after every change. 0 (no
    // minimum) and QWIDGETSIZE_MAX (no maximum) stay as they are.
    static void scaleBounds(QWidget* widget, QSize minimum, QSize maximum = {QWIDGETSIZE_MAX, QWIDGETSIZE_MAX});
    // Keeps `table`'s rows `padding` px taller than its font, now and after every change.
    static void fitRowsToFont(QTableView* table, int padding);
    // `size` px at 100%, at the zoom now.
    static int px(int size);

Q_SIGNALS:
    // After the application font changed: restyle what does not follow it by itself (charts).
    void changed(double factor);

private:
    explicit Zoom(QObject* parent);
    double basePointSize_;  // the application font's size at 100% (points)
    double factor_ = 1.0;
};

}  // namespace eqlab::ui
