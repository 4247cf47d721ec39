#include "step/window_meter.h"

#include <QPainter>
#include <algorithm>

#include "step/step_caption.h"
#include "theme.h"

namespace eqlab::ui {

namespace {
constexpr double kMinCellForText = 0.6;  // a bit's 0/1 is drawn in cells at least this many line heights wide
constexpr double kMinCellForCells = 3;   // pixels: narrower cells merge into one bar
}  // namespace

WindowMeter::WindowMeter(QWidget* parent) : StepWidget(parent) {
    setObjectName("windowMeter");
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setToolTip(
        "The current window's b bits (or the chunk's bits): written (solid), committed but not yet written "
        "(hatched: pending bits and the terminator the window must keep room for), the termination (orange) "
        "and the zero padding (grey) that fills the window once the next byte no longer fits.");
}

QSize WindowMeter::sizeHint() const {
    const int h = fontMetrics().height();
    return {h * 30, h * 8};
}

QSize WindowMeter::minimumSizeHint() const {
    const int h = fontMetrics().height();
    return {h * 16, h * 8};
}

QString WindowMeter::text() const {
    return frame() ? meterText(*walk(), frameIndex()) : QString();
}

void WindowMeter::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const Theme& th = Theme::current();
    p.fillRect(rect(), th.background);
    const StepFrame* f = frame();
    if (!f) return;
    const StepThrough& w = *walk();
    const StepSegment& seg = w.segments.at(f->segment);
    const double lh = fontMetrics().height();
    const double x0 = lh * 0.5, width0 = width() - lh;

    // The sentence.
    p.setFont(scaledFont(1.1, true));
    p.setPen(f->kind == StepFrame::Kind::Code ? th.foreground : th.accent);
    const QRectF sentence(x0, 0, width0, lh * 2.8);
    p.drawText(sentence, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, text());

    // What each bit of the segment is at this frame.
    const uint64_t size = std::max<uint64_t>(1, f->segmentBits ? f->segmentBits : seg.bitsTotal);
    const uint64_t frameEnd = f->bitBegin + f->emitted.size();
    uint64_t written = frameEnd > seg.bitBegin ? frameEnd - seg.bitBegin : 0;
    uint64_t termination = 0, padding = 0;
    uint64_t committed = std::max(written, f->segmentBitsUsed);
    if (f->kind == StepFrame::Kind::Reset) written = committed = 0;
    if (f->kind == StepFrame::Kind::Close) {
        termination = f->emitted.size();
        written -= std::min(written, termination);
        padding = f->padding.size();
        committed = written + termination;
    }
    const bool overflow = f->kind == StepFrame::Kind::Close && f->nextByte >= 0 && f->bitsWithNext > size;
    const uint64_t cells = overflow ? f->bitsWithNext : size;
    const double cw = width0 / double(cells);
    const QRectF gauge(x0, sentence.bottom() + lh * 0.3, width0, lh * 2.0);
    auto cell = [&](uint64_t i) { return QRectF(gauge.left() + cw * double(i), gauge.top(), cw, gauge.height()); };
    auto span = [&](uint64_t a, uint64_t b) {
        return QRectF(gauge.left() + cw * double(a), gauge.top(), cw * double(b - a), gauge.height());
    };
    const bool perBit = cw >= kMinCellForCells;
    const QFont bitFont = monoFont(1.05, true);
    auto bitsText = [&](uint64_t a, uint64_t b, const QColor& ink, QChar fixed = QChar()) {
        if (!perBit || cw < lh * kMinCellForText) return;
        p.setFont(bitFont);
        p.setPen(ink);
        for (uint64_t i = a; i < b; ++i) {
            const uint64_t j = seg.bitBegin + i;
            const QChar ch = !fixed.isNull() ? fixed : j < w.bits.size() ? QChar(w.bits[j]) : QChar('?');
            p.drawText(cell(i), Qt::AlignCenter, QString(ch));
        }
    };
    p.setPen(Qt::NoPen);
    p.setBrush(tint(th.used, 0.45));
    p.drawRect(span(0, written));
    p.setBrush(QBrush(tint(th.used, 0.6), Qt::BDiagPattern));
    if (committed > written) p.drawRect(span(written, std::min(committed, size)));
    p.setBrush(tint(th.accent, 0.7));
    if (termination) p.drawRect(span(written, written + termination));
    p.setBrush(QBrush(th.padding, Qt::Dense4Pattern));
    if (padding) p.drawRect(span(written + termination, std::min(size, written + termination + padding)));
    bitsText(0, written, th.foreground);
    if (f->kind != StepFrame::Kind::Close) bitsText(written, std::min(committed, size), th.foreground, '?');
    bitsText(written, written + termination, th.foreground);
    bitsText(written + termination, std::min(size, written + termination + padding), th.faint);

    // The cells of the window, then what the next byte would have needed past them.
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(th.grid, 1));
    if (perBit)
        for (uint64_t i = 1; i < size; ++i) p.drawLine(cell(i).topLeft(), cell(i).bottomLeft());
    p.setPen(QPen(th.foreground, 2));
    p.drawRect(span(0, size));
    if (overflow) {
        p.setPen(QPen(th.bad, 2, Qt::DashLine));
        p.drawRect(span(size, cells).adjusted(2, 2, -2, -2));
        p.setFont(font());
        p.setPen(th.bad);
        p.drawText(span(size, cells), Qt::AlignCenter,
                   QString("+%1 for %2").arg(f->bitsWithNext - size).arg(quotedByte(uint8_t(f->nextByte))));
    }

    // The scale under it.
    p.setFont(scaledFont(0.9));
    p.setPen(th.faint);
    const QRectF scale(x0, gauge.bottom() + lh * 0.15, width0, lh * 1.2);
    p.drawText(scale, Qt::AlignLeft | Qt::AlignTop, "0");
    const QString end =
        w.params.method == Method::EqualInfoAc ? QString("b = %1").arg(size) : QString("%1 bits").arg(size);
    p.drawText(span(0, size).adjusted(0, gauge.height() + lh * 0.15, 0, lh * 1.2), Qt::AlignRight | Qt::AlignTop, end);
    if (committed > 0 && committed < size) {
        const double x = gauge.left() + cw * double(committed);
        p.drawText(QRectF(x - lh * 3, scale.top(), lh * 6, scale.height()), Qt::AlignHCenter | Qt::AlignTop,
                   QString::number(committed));
    }
}

}  // namespace eqlab::ui
