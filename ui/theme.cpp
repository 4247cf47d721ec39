#include "theme.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QHelpEvent>
#include <QPalette>
#include <QStyleFactory>
#include <QToolTip>
#include <cmath>

namespace eqlab::ui {

namespace {

Theme makeTheme(bool dark) {
    Theme t;
    t.dark = dark;
    if (dark) {
        t.background = QColor(0x1e, 0x1f, 0x22);
        t.foreground = QColor(0xe6, 0xe6, 0xe6);
        t.faint = QColor(0x8a, 0x8f, 0x98);
        t.grid = QColor(0x3a, 0x3d, 0x42);
        t.windowA = QColor(0x1f, 0x3a, 0x52);
        t.windowB = QColor(0x4a, 0x36, 0x1c);
        t.boundary = QColor(0xf0, 0xe4, 0x42);
        t.padding = QColor(0x6b, 0x6b, 0x6b);
        t.highlight = QColor(0xcc, 0x79, 0xa7);
        t.selection = QColor(0x00, 0x9e, 0x73);
        t.used = QColor(0x56, 0xb4, 0xe9);
        t.accent = QColor(0xe6, 0x9f, 0x00);
        t.good = QColor(0x4d, 0xc0, 0x8a);
        t.bad = QColor(0xff, 0x6b, 0x5b);
    } else {
        t.background = Qt::white;
        t.foreground = QColor(0x20, 0x20, 0x20);
        t.faint = QColor(0x80, 0x80, 0x80);
        t.grid = QColor(0xe3, 0xe3, 0xe3);
        t.windowA = QColor(0xd6, 0xe9, 0xf8);
        t.windowB = QColor(0xfd, 0xe6, 0xc8);
        t.boundary = QColor(0x00, 0x4d, 0x80);
        t.padding = QColor(0xbd, 0xbd, 0xbd);
        t.highlight = QColor(0xcc, 0x79, 0xa7);
        t.selection = QColor(0x00, 0x9e, 0x73);
        t.used = QColor(0x00, 0x72, 0xb2);
        t.accent = QColor(0xd5, 0x5e, 0x00);
        t.good = QColor(0x1b, 0x78, 0x37);
        t.bad = QColor(0xb2, 0x18, 0x2b);
    }
    return t;
}

Theme& mutableCurrent() {
    static Theme t = makeTheme(false);
    return t;
}

}  // namespace

const Theme& Theme::current() {
    return mutableCurrent();
}

void Theme::setDark(bool dark) {
    mutableCurrent() = makeTheme(dark);
    if (!qApp) return;
    QApplication::setStyle(QStyleFactory::create("Fusion"));
    QPalette p;
    if (dark) {
        const Theme& t = current();
        p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
        p.setColor(QPalette::WindowText, t.foreground);
        p.setColor(QPalette::Base, t.background);
        p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2c));
        p.setColor(QPalette::Text, t.foreground);
        p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3c));
        p.setColor(QPalette::ButtonText, t.foreground);
        p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x37, 0x3c));
        p.setColor(QPalette::ToolTipText, t.foreground);
        p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xa8));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::PlaceholderText, t.faint);
        p.setColor(QPalette::Disabled, QPalette::Text, t.faint);
        p.setColor(QPalette::Disabled, QPalette::ButtonText, t.faint);
        p.setColor(QPalette::Disabled, QPalette::WindowText, t.faint);
    } else {
        p = QApplication::style()->standardPalette();
    }
    QApplication::setPalette(p);
}

QColor Theme::surprisal(double bits) const {
    // Five stops of viridis, light end first so cheap text stays readable.
    static const QColor light[] = {QColor(0xfd, 0xe7, 0x25), QColor(0x5e, 0xc9, 0x62), QColor(0x21, 0x91, 0x8c),
                                   QColor(0x3b, 0x52, 0x8b), QColor(0x44, 0x01, 0x54)};
    double x = std::clamp(bits / kSurprisalMax, 0.0, 1.0) * 4.0;
    const int i = std::min(3, int(x));
    x -= i;
    const QColor& a = light[i];
    const QColor& b = light[i + 1];
    QColor c =
        QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * x), float(a.greenF() + (b.greenF() - a.greenF()) * x),
                         float(a.blueF() + (b.blueF() - a.blueF()) * x));
    return c;
}

QColor Theme::tokenColour(uint32_t value) const {
    const double hue = std::fmod(double(value) * 0.618033988749895, 1.0);
    return QColor::fromHslF(float(hue), dark ? 0.45f : 0.55f, dark ? 0.35f : 0.82f);
}

QColor Theme::series(int i) {
    static const QColor okabeIto[] = {QColor(0x00, 0x72, 0xb2), QColor(0xd5, 0x5e, 0x00), QColor(0x00, 0x9e, 0x73),
                                      QColor(0xcc, 0x79, 0xa7), QColor(0xe6, 0x9f, 0x00), QColor(0x56, 0xb4, 0xe9),
                                      QColor(0xf0, 0xe4, 0x42), QColor(0x66, 0x66, 0x66)};
    return okabeIto[((i % 8) + 8) % 8];
}

void Theme::stylePlot(QCustomPlot* plot) const {
    plot->setBackground(background);
    for (QCPAxisRect* rect : plot->axisRects()) {
        rect->setBackground(background);
        for (QCPAxis* axis : rect->axes()) {
            axis->setBasePen(QPen(faint));
            axis->setTickPen(QPen(faint));
            axis->setSubTickPen(QPen(faint));
            axis->setTickLabelColor(foreground);
            axis->setLabelColor(foreground);
            axis->grid()->setPen(QPen(grid, 0, Qt::DotLine));
            axis->grid()->setZeroLinePen(QPen(grid));
        }
    }
    if (plot->legend) {
        plot->legend->setBrush(QBrush(background));
        plot->legend->setBorderPen(QPen(grid));
        plot->legend->setTextColor(foreground);
    }
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
        if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i)))
            title->setTextColor(foreground);
    plot->replot();
}

bool showTooltip(QEvent* event, QWidget* viewport, const std::function<QString(QPoint)>& tipAt) {
    if (event->type() != QEvent::ToolTip) return false;
    auto* he = static_cast<QHelpEvent*>(event);
    const QString tip = tipAt(he->pos());
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(he->globalPos(), tip, viewport);
    return true;
}

}  // namespace eqlab::ui
