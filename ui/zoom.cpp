#include "zoom.h"

#include <QApplication>
#include <QEvent>
#include <QFont>
#include <QHeaderView>
#include <QPointer>
#include <QTableView>
#include <algorithm>
#include <cmath>

#include "theme.h"

namespace eqlab::ui {

Zoom& Zoom::instance() {
    static QPointer<Zoom> zoom;
    if (!zoom) zoom = new Zoom(qApp);
    return *zoom;
}

Zoom::Zoom(QObject* parent) : QObject(parent), basePointSize_(QApplication::font().pointSizeF()) {
    // A font sized in pixels has no point size: take the size it shows at.
    if (basePointSize_ <= 0) basePointSize_ = QApplication::font().pixelSize() * 72.0 / 96.0;
}

void Zoom::setFactor(double factor) {
    factor = std::clamp(factor, kSteps.front(), kSteps.back());
    if (std::abs(factor - factor_) < 1e-9) return;
    factor_ = factor;
    Theme::setZoom(factor);
    QFont f = QApplication::font();
    f.setPointSizeF(basePointSize_ * factor);
    QApplication::setFont(f);
    // QApplication tells the windows only once its event loop has started; a
    // screenshot run and a test never start it, so tell them here (a second
    // notice changes nothing: each widget resolves its font again).
    for (QWidget* w : QApplication::topLevelWidgets()) {
        QEvent e(QEvent::ApplicationFontChange);
        QCoreApplication::sendEvent(w, &e);
    }
    Q_EMIT changed(factor);
}

void Zoom::zoomIn() {
    const auto next = std::upper_bound(kSteps.begin(), kSteps.end(), factor_ + 1e-6);
    if (next != kSteps.end()) setFactor(*next);
}

void Zoom::zoomOut() {
    const auto below = std::lower_bound(kSteps.begin(), kSteps.end(), factor_ - 1e-6);
    if (below != kSteps.begin()) setFactor(*(below - 1));
}

void Zoom::reset() {
    setFactor(1.0);
}

int Zoom::px(int size) {
    return int(std::lround(size * Theme::current().zoom));
}

void Zoom::fitRowsToFont(QTableView* table, int padding) {
    const auto fit = [table, padding] {
        table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + padding);
    };
    fit();
    QObject::connect(&instance(), &Zoom::changed, table, fit);
}

void Zoom::scaleBounds(QWidget* widget, QSize minimum, QSize maximum) {
    const auto apply = [widget, minimum, maximum] {
        const auto scaled = [](int size) { return size == QWIDGETSIZE_MAX ? size : px(size); };
        widget->setMinimumSize(scaled(minimum.width()), scaled(minimum.height()));
        widget->setMaximumSize(scaled(maximum.width()), scaled(maximum.height()));
    };
    apply();
    QObject::connect(&instance(), &Zoom::changed, widget, apply);
}

}  // namespace eqlab::ui
