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

// How much smaller than the application font a chart's legend is, and how much larger its title.
constexpr double kLegendFont = 0.9;
constexpr double kTitleFont = 1.15;
// QCustomPlot's own sizes at 100% (px): tick lengths, paddings, legend icons.
constexpr int kTickLength = 5, kSubTickLength = 2, kLabelPadding = 5;
constexpr int kLegendIconWidth = 32, kLegendIconHeight = 18, kLegendIconPadding = 7;

Theme makeTheme(bool dark, bool highContrast) {
    Theme t;
    t.dark = dark;
    t.highContrast = highContrast;
    if (dark && highContrast) {
        t.background = Qt::black;
        t.foreground = Qt::white;
        t.faint = QColor(0xc8, 0xc8, 0xc8);
        t.grid = QColor(0x80, 0x80, 0x80);
        t.windowA = QColor(0x00, 0x2e, 0x66);
        t.windowB = QColor(0x5c, 0x33, 0x00);
        t.boundary = QColor(0xff, 0xff, 0x00);
        t.padding = QColor(0x9a, 0x9a, 0x9a);
        t.highlight = QColor(0xff, 0x4f, 0xc8);
        t.selection = QColor(0x00, 0xe6, 0xa0);
        t.used = QColor(0x5c, 0xc8, 0xff);
        t.accent = QColor(0xff, 0xb0, 0x00);
        t.good = QColor(0x4d, 0xf0, 0x8a);
        t.bad = QColor(0xff, 0x5a, 0x5a);
    } else if (highContrast) {
        t.background = Qt::white;
        t.foreground = Qt::black;
        t.faint = QColor(0x40, 0x40, 0x40);
        t.grid = QColor(0x90, 0x90, 0x90);
        t.windowA = QColor(0xc4, 0xe0, 0xff);
        t.windowB = QColor(0xff, 0xd9, 0xa0);
        t.boundary = Qt::black;
        t.padding = QColor(0x8c, 0x8c, 0x8c);
        t.highlight = QColor(0xc8, 0x00, 0x8c);
        t.selection = QColor(0x00, 0x80, 0x50);
        t.used = QColor(0x00, 0x4c, 0xa0);
        t.accent = QColor(0xc0, 0x3c, 0x00);
        t.good = QColor(0x00, 0x64, 0x1e);
        t.bad = QColor(0xc0, 0x00, 0x00);
    } else if (dark) {
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
    static Theme t = makeTheme(false, false);
    return t;
}

// The application palette for the current theme (Fusion style).
QPalette paletteFor(const Theme& t) {
    QPalette p;
    if (t.highContrast) {
        const QColor panel = t.dark ? QColor(0x14, 0x14, 0x14) : QColor(0xf0, 0xf0, 0xf0);
        p.setColor(QPalette::Window, t.background);
        p.setColor(QPalette::WindowText, t.foreground);
        p.setColor(QPalette::Base, t.background);
        p.setColor(QPalette::AlternateBase, panel);
        p.setColor(QPalette::Text, t.foreground);
        p.setColor(QPalette::Button, panel);
        p.setColor(QPalette::ButtonText, t.foreground);
        p.setColor(QPalette::ToolTipBase, t.background);
        p.setColor(QPalette::ToolTipText, t.foreground);
        p.setColor(QPalette::BrightText, t.foreground);
        // Frames (Fusion draws them from Window, Light, Mid, Dark and Shadow) in the foreground colour.
        for (QPalette::ColorRole r :
             {QPalette::Light, QPalette::Midlight, QPalette::Mid, QPalette::Dark, QPalette::Shadow})
            p.setColor(r, t.foreground);
        p.setColor(QPalette::Highlight, t.dark ? QColor(0xff, 0xff, 0x00) : QColor(0x00, 0x00, 0xc0));
        p.setColor(QPalette::HighlightedText, t.dark ? Qt::black : Qt::white);
        p.setColor(QPalette::Link, t.dark ? QColor(0x80, 0xc0, 0xff) : QColor(0x00, 0x00, 0xc0));
        p.setColor(QPalette::PlaceholderText, t.faint);
        for (QPalette::ColorRole r : {QPalette::Text, QPalette::ButtonText, QPalette::WindowText})
            p.setColor(QPalette::Disabled, r, t.dark ? QColor(0xa0, 0xa0, 0xa0) : QColor(0x60, 0x60, 0x60));
    } else if (t.dark) {
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
    return p;
}

// Rebuilds the colours for these flags (the zoom stays) and restyles the application.
void applyTheme(bool dark, bool highContrast) {
    const double zoom = mutableCurrent().zoom;
    mutableCurrent() = makeTheme(dark, highContrast);
    mutableCurrent().zoom = zoom;
    if (!qApp) return;
    QApplication::setStyle(QStyleFactory::create("Fusion"));
    QApplication::setPalette(paletteFor(mutableCurrent()));
}

// `current` scaled by `scale` from the value it was set to. `object` keeps
// that value (under `key`) and the scaled one, so that styling twice scales
// once, and a value set afresh (any other than the last scaled one) is taken
// as the new unscaled one.
double scaledOnce(QObject* object, const char* key, double current, double scale) {
    const QByteArray baseKey = QByteArray("eqlabBase.") + key, scaledKey = QByteArray("eqlabScaled.") + key;
    const QVariant scaled = object->property(scaledKey.constData());
    if (!scaled.isValid() || std::abs(scaled.toDouble() - current) > 1e-9)
        object->setProperty(baseKey.constData(), current);
    const double base = object->property(baseKey.constData()).toDouble();
    // A cosmetic pen (width 0) is one pixel wide at 100%.
    const double value = base == 0 && scale != 1 ? scale : base * scale;
    object->setProperty(scaledKey.constData(), value);
    return value;
}

QPen scaledPen(QObject* object, QPen pen, double scale) {
    pen.setWidthF(scaledOnce(object, "penWidth", pen.widthF(), scale));
    return pen;
}

}  // namespace

const Theme& Theme::current() {
    return mutableCurrent();
}

void Theme::setDark(bool dark) {
    applyTheme(dark, current().highContrast);
}

void Theme::setHighContrast(bool on) {
    applyTheme(current().dark, on);
}

void Theme::setZoom(double zoom) {
    mutableCurrent().zoom = zoom;
}

double Theme::lineWidth(double width) const {
    return width * zoom * (highContrast ? kHighContrastLines : 1.0);
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
    const double lines = lineWidth(1);
    const auto px = [this](int size) { return int(std::lround(size * zoom)); };
    const QFont font = QApplication::font();
    QFont legendFont = font;
    legendFont.setPointSizeF(font.pointSizeF() * kLegendFont);
    QFont titleFont = font;
    titleFont.setPointSizeF(font.pointSizeF() * kTitleFont);
    titleFont.setBold(true);
    // High contrast draws the axes in the foreground colour; the grid stays lighter than the data.
    const QPen axisPen(highContrast ? foreground : faint, lines);
    plot->setBackground(background);
    for (QCPAxisRect* rect : plot->axisRects()) {
        rect->setBackground(background);
        for (QCPAxis* axis : rect->axes()) {
            axis->setBasePen(axisPen);
            axis->setTickPen(axisPen);
            axis->setSubTickPen(axisPen);
            axis->setTickLength(px(kTickLength), 0);
            axis->setSubTickLength(px(kSubTickLength), 0);
            axis->setTickLabelPadding(px(kLabelPadding));
            axis->setLabelPadding(px(kLabelPadding));
            axis->setTickLabelFont(font);
            axis->setLabelFont(font);
            axis->setTickLabelColor(foreground);
            axis->setLabelColor(foreground);
            axis->grid()->setPen(QPen(grid, highContrast ? lines : 0, Qt::DotLine));
            axis->grid()->setZeroLinePen(QPen(grid, highContrast ? lines : 0));
        }
    }
    if (plot->legend) {
        plot->legend->setBrush(QBrush(background));
        plot->legend->setBorderPen(QPen(highContrast ? foreground : grid, lines));
        plot->legend->setTextColor(foreground);
        plot->legend->setFont(legendFont);
        plot->legend->setIconSize(px(kLegendIconWidth), px(kLegendIconHeight));
        plot->legend->setIconTextPadding(px(kLegendIconPadding));
    }
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
        if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i))) {
            title->setTextColor(foreground);
            title->setFont(titleFont);
        }
    // What the views drew with, at this zoom and contrast.
    for (int i = 0; i < plot->plottableCount(); ++i) {
        QCPAbstractPlottable* pl = plot->plottable(i);
        pl->setPen(scaledPen(pl, pl->pen(), lines));
        if (auto* graph = qobject_cast<QCPGraph*>(pl); graph && !graph->scatterStyle().isNone()) {
            QCPScatterStyle scatter = graph->scatterStyle();
            scatter.setSize(scaledOnce(graph, "scatterSize", scatter.size(), zoom));
            graph->setScatterStyle(scatter);
        }
    }
    for (int i = 0; i < plot->itemCount(); ++i) {
        QCPAbstractItem* item = plot->item(i);
        if (auto* line = qobject_cast<QCPItemStraightLine*>(item)) line->setPen(scaledPen(line, line->pen(), lines));
        if (auto* line = qobject_cast<QCPItemLine*>(item)) line->setPen(scaledPen(line, line->pen(), lines));
        if (auto* text = qobject_cast<QCPItemText*>(item)) {
            QFont f = text->font();
            f.setPointSizeF(font.pointSizeF());
            text->setFont(f);
        }
    }
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
