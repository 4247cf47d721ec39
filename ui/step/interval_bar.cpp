#include "step/interval_bar.h"

#include <QPainter>
#include <QPainterPath>
#include <cmath>

#include "coding/range_coder.h"
#include "step/step_caption.h"
#include "theme.h"

namespace eqlab::ui {

namespace {
constexpr double kChosenMinWidth = 4;  // pixels: a chosen slice too thin to see is drawn this wide

// Draws `text` in a rounded pill centred at `centre`, kept inside `bounds`.
void pill(QPainter& p, const QString& text, QPointF centre, const QRectF& bounds, const QColor& fill,
          const QColor& ink) {
    const QFontMetricsF fm(p.font());
    const double w = fm.horizontalAdvance(text) + fm.height(), h = fm.height() * 1.3;
    const double x = std::clamp(centre.x() - w / 2, bounds.left(), std::max(bounds.left(), bounds.right() - w));
    const QRectF r(x, centre.y() - h / 2, w, h);
    p.setPen(QPen(Theme::current().faint, 1));
    p.setBrush(fill);
    p.drawRoundedRect(r, h / 2, h / 2);
    p.setPen(ink);
    p.drawText(r, Qt::AlignCenter, text);
}

int chosenCandidate(const StepFrame& f) {
    for (size_t i = 0; i < f.candidates.size(); ++i)
        if (f.candidates[i].cum == f.cum && f.candidates[i].freq == f.freq) return int(i);
    return -1;
}
}  // namespace

IntervalBar::IntervalBar(QWidget* parent) : StepWidget(parent) {
    setObjectName("intervalBar");
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setToolTip(
        "The coder's interval. Upper bar: the interval before this step, stretched to the full width, with "
        "its 32-bit low and high; the model's most likely next bytes are slices of it, as wide as the "
        "quantised frequency freq/total the coder uses. The chosen byte's slice is outlined. Lower bar: "
        "that slice, zoomed in again by the bits that settled: the interval after the step.");
}

QSize IntervalBar::sizeHint() const {
    const int h = fontMetrics().height();
    return {h * 40, int(h * 12.5)};
}

QSize IntervalBar::minimumSizeHint() const {
    const int h = fontMetrics().height();
    return {h * 20, int(h * 12.5)};
}

IntervalBar::Layout IntervalBar::layout() const {
    const double h = fontMetrics().height();
    const double x = h * 0.8, w = std::max(10.0, width() - 2 * x);
    Layout l;
    double y = h * 0.2;
    auto row = [&](double height) {
        const QRectF r(x, y, w, height);
        y += height;
        return r;
    };
    l.upperLabels = row(h * 1.3);
    l.callout = row(h * 1.7);
    l.upper = row(h * 2.6);
    l.funnel = row(h * 3.0);
    l.lower = row(h * 2.0);
    l.lowerLabels = row(h * 1.3);
    return l;
}

QRectF IntervalBar::slice(const QRectF& bar, uint32_t cum, uint32_t freq, uint32_t total) const {
    if (total == 0) return {};
    const double x0 = bar.left() + bar.width() * double(cum) / total;
    const double x1 = bar.left() + bar.width() * double(uint64_t(cum) + freq) / total;
    return QRectF(x0, bar.top(), x1 - x0, bar.height());
}

QRectF IntervalBar::sliceRect(size_t i) const {
    const StepFrame* f = frame();
    if (!f || f->kind != StepFrame::Kind::Code || i >= f->candidates.size()) return {};
    return slice(layout().upper, f->candidates[i].cum, f->candidates[i].freq, f->total);
}

void IntervalBar::drawEnds(QPainter& p, const QRectF& row, uint64_t low, uint64_t high, bool above) const {
    p.setFont(monoFont(1.0));
    p.setPen(Theme::current().foreground);
    const int v = above ? Qt::AlignBottom : Qt::AlignTop;
    p.drawText(row, Qt::AlignLeft | v, "low " + registerHex(low));
    p.drawText(row, Qt::AlignRight | v, "high " + registerHex(high));
}

void IntervalBar::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const Theme& th = Theme::current();
    p.fillRect(rect(), th.background);
    const StepFrame* f = frame();
    if (!f) {
        p.setPen(th.faint);
        p.drawText(rect(), Qt::AlignCenter, "No step-through yet.");
        return;
    }
    const Layout l = layout();
    switch (f->kind) {
        case StepFrame::Kind::Reset:
            drawReset(p, l);
            break;
        case StepFrame::Kind::Code:
            drawCode(p, l, *f);
            break;
        case StepFrame::Kind::Close:
            drawClose(p, l, *f);
            break;
    }
}

void IntervalBar::drawReset(QPainter& p, const Layout& l) const {
    const Theme& th = Theme::current();
    drawEnds(p, l.upperLabels, 0, kStateMask, true);
    p.setPen(QPen(th.foreground, 1.5));
    p.setBrush(tint(th.used, 0.3));
    p.drawRect(l.upper);
    p.setFont(scaledFont(1.15, true));
    p.setPen(th.foreground);
    p.drawText(l.upper, Qt::AlignCenter, "the whole interval [0, 1)");
    p.setFont(font());
    p.setPen(th.faint);
    p.drawText(l.funnel, Qt::AlignCenter | Qt::TextWordWrap,
               "Nothing is coded yet: the first byte will take its slice of this interval.");
}

void IntervalBar::drawClose(QPainter& p, const Layout& l, const StepFrame& f) const {
    const Theme& th = Theme::current();
    drawEnds(p, l.upperLabels, f.lowBefore, f.highBefore, true);
    p.setPen(QPen(th.foreground, 1.5));
    p.setBrush(tint(th.used, 0.3));
    p.drawRect(l.upper);
    p.setFont(scaledFont(1.1, true));
    p.setPen(th.foreground);
    p.drawText(l.upper, Qt::AlignCenter, "the last interval of the " + segmentNoun(*walk()));
    p.setFont(scaledFont(1.05));
    const QString term = f.emitted.empty()
                             ? QString("No termination bit is needed: the bits written already name a point inside it.")
                             : QString("The termination bits %1 name a point inside it; zeros follow.")
                                   .arg(QString::fromStdString(f.emitted));
    p.drawText(l.funnel, Qt::AlignCenter | Qt::TextWordWrap, term);
    p.setPen(QPen(th.faint, 1, Qt::DashLine));
    p.setBrush(Qt::NoBrush);
    p.drawRect(l.lower);
    p.setFont(font());
    p.setPen(th.faint);
    p.drawText(l.lower, Qt::AlignCenter, "then the coder resets to [0, 1)");
}

void IntervalBar::drawCode(QPainter& p, const Layout& l, const StepFrame& f) const {
    const Theme& th = Theme::current();
    const StepThrough& w = *walk();
    const uint8_t byte = f.byteIndex < w.bytes.size() ? w.bytes[f.byteIndex] : 0;
    const int chosen = chosenCandidate(f);
    const QColor chosenColour = chosen >= 0 ? Theme::series(chosen) : th.selection;

    // The upper bar: bytes outside the top candidates hatched, the candidates' slices over them.
    drawEnds(p, l.upperLabels, f.lowBefore, f.highBefore, true);
    p.fillRect(l.upper, th.background);
    p.fillRect(l.upper, QBrush(th.grid, Qt::BDiagPattern));
    const QFont glyph = monoFont(1.3, true), small = scaledFont(0.85);
    for (size_t i = 0; i < f.candidates.size(); ++i) {
        const StepCandidate& c = f.candidates[i];
        const QRectF r = slice(l.upper, c.cum, c.freq, f.total);
        p.setPen(Qt::NoPen);
        p.setBrush(tint(Theme::series(int(i)), int(i) == chosen ? 0.6 : 0.3));
        p.drawRect(r);
        p.setPen(QPen(th.background, 1));
        p.drawLine(r.topLeft(), r.bottomLeft());
        // The byte, and its probability where the slice is wide enough.
        p.setFont(glyph);
        const QString g = byteGlyph(c.byte);
        if (p.fontMetrics().horizontalAdvance(g) + 4 > r.width()) continue;
        p.setPen(th.foreground);
        const QRectF top(r.left(), r.top(), r.width(), r.height() * 0.6);
        p.drawText(top, Qt::AlignHCenter | Qt::AlignBottom, g);
        p.setFont(small);
        const QString prob = QString::number(c.probability * 100, 'f', c.probability < 0.1 ? 1 : 0) + "%";
        if (p.fontMetrics().horizontalAdvance(prob) + 4 <= r.width())
            p.drawText(QRectF(r.left(), top.bottom(), r.width(), r.height() * 0.4), Qt::AlignHCenter | Qt::AlignTop,
                       prob);
    }
    p.setPen(QPen(th.foreground, 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(l.upper);
    QRectF cr = slice(l.upper, f.cum, f.freq, f.total);
    if (cr.width() < kChosenMinWidth)
        cr.adjust(-(kChosenMinWidth - cr.width()) / 2, 0, (kChosenMinWidth - cr.width()) / 2, 0);
    p.setPen(QPen(th.foreground, 3));
    p.drawRect(cr);

    // The chosen slice named above the bar, with a pointer to it.
    const StepCandidate* c = chosen >= 0 ? &f.candidates[size_t(chosen)] : nullptr;
    QString name = quotedByte(byte);
    if (c) name += QString("   p = %1").arg(probabilityText(c->probability));
    name += QString("   %L1/%L2   %3 bits").arg(f.freq).arg(f.total).arg(f.surprisalBits, 0, 'f', 2);
    p.setFont(scaledFont(1.05, true));
    const QPointF tip(cr.center().x(), l.upper.top());
    p.setPen(Qt::NoPen);
    p.setBrush(th.foreground);
    const double a = fontMetrics().height() * 0.35;
    p.drawPolygon(QPolygonF({tip, tip + QPointF(-a, -a), tip + QPointF(a, -a)}));
    pill(p, name, QPointF(cr.center().x(), l.callout.center().y() - a / 2), l.callout, tint(chosenColour, 0.45),
         th.foreground);

    // The funnel: the chosen slice opens onto the lower bar.
    QColor funnel = chosenColour;
    funnel.setAlpha(th.dark ? 70 : 55);
    p.setPen(Qt::NoPen);
    p.setBrush(funnel);
    p.drawPolygon(QPolygonF({cr.bottomLeft(), cr.bottomRight(), l.lower.topRight(), l.lower.topLeft()}));
    p.setPen(QPen(th.faint, 1, Qt::DashLine));
    p.drawLine(cr.bottomLeft(), l.lower.topLeft());
    p.drawLine(cr.bottomRight(), l.lower.topRight());

    // The lower bar: the interval after the step.
    p.setPen(QPen(th.foreground, 1.5));
    p.setBrush(tint(chosenColour, 0.45));
    p.drawRect(l.lower);
    const double sliceRange = double(f.highBefore - f.lowBefore + 1) * f.freq / std::max<uint32_t>(1, f.total);
    const double zoom = std::log2(double(f.high - f.low + 1) / std::max(1.0, sliceRange));
    p.setFont(font());
    p.setPen(th.foreground);
    const int shifts = int(std::lround(zoom));
    p.drawText(l.lower, Qt::AlignCenter,
               shifts > 0 ? QString("the slice of %1, zoomed in %2× (%3 bit shift%4)")
                                .arg(quotedByte(byte))
                                .arg(1ull << std::min(shifts, 62))
                                .arg(shifts)
                                .arg(shifts == 1 ? "" : "s")
                          : QString("the slice of %1: still wide, no zoom").arg(quotedByte(byte)));
    drawEnds(p, l.lowerLabels, f.low, f.high, false);

    // What settled, in the middle of the funnel.
    QString settled =
        f.emitted.empty() ? QString("no bit settles") : QString("bits out: %1").arg(QString::fromStdString(f.emitted));
    if (f.pending > 0) settled += QString("   pending: %1").arg(f.pending);
    p.setFont(monoFont(1.1, true));
    pill(p, settled, l.funnel.center(), l.funnel, th.background, th.foreground);

    // Decoding: where the code value falls.
    if (w.decoding && f.highBefore > f.lowBefore) {
        const double x =
            l.upper.left() + l.upper.width() * double(f.code - f.lowBefore) / double(f.highBefore - f.lowBefore + 1);
        p.setPen(QPen(th.bad, 3));
        p.drawLine(QPointF(x, l.upper.top() - a), QPointF(x, l.upper.bottom() + a));
        p.setFont(monoFont(0.95, true));
        p.setPen(th.bad);
        const QString label = "code " + registerHex(f.code);
        const double tw = p.fontMetrics().horizontalAdvance(label);
        const double lx = std::clamp(x + a, l.funnel.left(), l.funnel.right() - tw);
        p.drawText(QPointF(lx, l.funnel.top() + p.fontMetrics().ascent() + 2), label);
    }
}

}  // namespace eqlab::ui
