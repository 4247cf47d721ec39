#include "step/byte_strip.h"

#include <QEvent>
#include <QMouseEvent>
#include <QPainter>
#include <algorithm>

#include "theme.h"

namespace eqlab::ui {

namespace {
constexpr double kLineHeight = 1.75;  // in line heights of the strip's font
constexpr double kFontScale = 1.6;    // the text is drawn this much larger than the widget's font
}  // namespace

ByteStrip::ByteStrip(QWidget* parent) : StepWidget(parent) {
    setObjectName("byteStrip");
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setCursor(Qt::PointingHandCursor);
    setToolTip(
        "The text being walked: the boxed byte is coded at this step; each window (or chunk) has its own "
        "background and a bar where it begins. Click a byte to jump to it.");
}

double ByteStrip::lineHeight() const {
    return QFontMetricsF(monoFont(kFontScale)).height() * kLineHeight;
}

QSize ByteStrip::sizeHint() const {
    return {fontMetrics().height() * 40, int(lineHeight() * linesShown_ + fontMetrics().height() * 0.4)};
}

QSize ByteStrip::minimumSizeHint() const {
    return {fontMetrics().height() * 16, sizeHint().height()};
}

void ByteStrip::walkChanged() {
    segmentOfByte_.clear();
    if (walk())
        for (size_t s = 0; s < walk()->segments.size(); ++s)
            for (uint64_t b = walk()->segments[s].byteBegin; b < walk()->segments[s].byteEnd; ++b)
                segmentOfByte_.push_back(uint32_t(s));
    relayout();
}

void ByteStrip::resizeEvent(QResizeEvent* e) {
    StepWidget::resizeEvent(e);
    relayout();
}

void ByteStrip::changeEvent(QEvent* e) {
    StepWidget::changeEvent(e);
    if (e->type() == QEvent::FontChange) relayout();
}

void ByteStrip::relayout() {
    placed_.clear();
    if (!walk()) return;
    const std::vector<uint8_t>& bytes = walk()->bytes;
    const QFontMetricsF fm(monoFont(kFontScale));
    const double pad = fm.horizontalAdvance(' ') * 0.35, lh = lineHeight();
    const double left = fontMetrics().height() * 0.5, right = width() - left;
    double x = left;
    int line = 0;
    for (const Cell& c : splitIntoCells(bytes.data(), bytes.size())) {
        const double w = std::max(fm.horizontalAdvance(c.display()), fm.horizontalAdvance('M')) + 2 * pad;
        if (x + w > right && x > left) {
            x = left;
            ++line;
        }
        placed_.push_back({c, QRectF(x, line * lh, w, lh), line});
        x += w;
        if (c.kind == Cell::Newline) {
            x = left;
            ++line;
        }
    }
    const int shown = placed_.empty() ? 1 : std::min(kLines, placed_.back().line + 1);
    if (shown != linesShown_) {
        linesShown_ = shown;
        updateGeometry();
    }
    update();
}

int64_t ByteStrip::placedOfByte(uint64_t b) const {
    const auto it = std::partition_point(placed_.begin(), placed_.end(),
                                         [&](const Placed& p) { return p.cell.byte + p.cell.length <= b; });
    return it == placed_.end() ? -1 : it - placed_.begin();
}

int ByteStrip::firstLine() const {
    const StepFrame* f = frame();
    if (!f || placed_.empty()) return 0;
    const int64_t i = placedOfByte(f->byteIndex);
    const int current = i < 0 ? placed_.back().line : placed_[size_t(i)].line;
    const int last = placed_.back().line;
    return std::max(0, std::min(current - 1, last - linesShown_ + 1));
}

void ByteStrip::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const Theme& th = Theme::current();
    p.fillRect(rect(), th.background);
    const StepFrame* f = frame();
    if (!f || placed_.empty()) {
        p.setPen(th.faint);
        p.drawText(rect(), Qt::AlignCenter, f ? "An empty text." : "");
        return;
    }
    const StepThrough& w = *walk();
    const int first = firstLine();
    const double top = fontMetrics().height() * 0.2 - first * lineHeight();
    const QFont mono = monoFont(kFontScale), bold = monoFont(kFontScale, true);
    const uint64_t current = f->byteIndex;
    for (const Placed& pl : placed_) {
        if (pl.line < first) continue;
        if (pl.line >= first + linesShown_) break;
        const QRectF r = pl.rect.translated(0, top).adjusted(0, 2, 0, -2);
        const uint64_t b = pl.cell.byte;
        const uint32_t seg = b < segmentOfByte_.size() ? segmentOfByte_[b] : 0;
        p.fillRect(r, seg % 2 == 0 ? th.windowA : th.windowB);
        if (seg < w.segments.size() && w.segments[seg].byteBegin == b && b > 0)
            p.fillRect(QRectF(r.left() - 1.5, r.top() - 2, 3, r.height() + 4), th.boundary);
        const bool done = b + pl.cell.length <= current;
        const bool isCurrent = b <= current && current < b + pl.cell.length;
        const bool coding = isCurrent && f->kind == StepFrame::Kind::Code;
        QString text = pl.cell.display();
        if (w.decoding && !done && !coding) text = QString::fromUtf8("·");  // not found yet
        p.setFont(coding ? bold : mono);
        p.setPen(done || coding ? th.foreground : th.faint);
        p.drawText(r, Qt::AlignCenter, text);
        if (coding) {
            p.setPen(QPen(th.highlight, 3));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(r.adjusted(1, -1, -1, 1), 3, 3);
        } else if (isCurrent) {  // a Reset's first byte, or the byte a Close could not fit
            p.setPen(QPen(f->kind == StepFrame::Kind::Close ? th.bad : th.highlight, 2.5, Qt::DashLine));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(r.adjusted(1, -1, -1, 1), 3, 3);
        }
    }
}

void ByteStrip::mousePressEvent(QMouseEvent* e) {
    const QPointF pos = e->position() + QPointF(0, firstLine() * lineHeight() - fontMetrics().height() * 0.2);
    for (const Placed& pl : placed_)
        if (pl.rect.contains(pos)) {
            emit byteClicked(pl.cell.byte);
            return;
        }
    StepWidget::mousePressEvent(e);
}

}  // namespace eqlab::ui
