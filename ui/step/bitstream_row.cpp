#include "step/bitstream_row.h"

#include <QPainter>
#include <algorithm>

#include "theme.h"

namespace eqlab::ui {

namespace {
constexpr double kTokenHeight = 1.5;  // in line heights
constexpr double kBitHeight = 1.8;
constexpr double kLineGap = 0.45;
constexpr double kLineHeight = kTokenHeight + kBitHeight + kLineGap;
constexpr double kBitScale = 1.5;  // bits are drawn this much larger than the widget's font
}  // namespace

BitstreamRow::BitstreamRow(QWidget* parent) : StepWidget(parent) {
    setObjectName("bitstreamRow");
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip(
        "The bitstream so far, cut into k-bit tokens (above). This step's bits are highlighted; ? marks "
        "pending bits, owed but not yet known; orange bits are a termination, grey ones zero padding; a bar "
        "marks where each window begins.");
}

QSize BitstreamRow::sizeHint() const {
    const int h = fontMetrics().height();
    return {h * 40, int(h * (kLineHeight * kLines + 0.3))};
}

QSize BitstreamRow::minimumSizeHint() const {
    return {fontMetrics().height() * 16, sizeHint().height()};
}

void BitstreamRow::walkChanged() {
    kinds_.clear();
    tokens_.clear();
    if (!walk()) return;
    kinds_.assign(walk()->bits.size(), BitKind::Text);
    for (const StepFrame& f : walk()->frames) {
        if (f.kind != StepFrame::Kind::Close) continue;
        const uint64_t t = std::min<uint64_t>(kinds_.size(), f.bitBegin + f.emitted.size());
        const uint64_t e = std::min<uint64_t>(kinds_.size(), t + f.padding.size());
        std::fill(kinds_.begin() + std::ptrdiff_t(std::min<uint64_t>(f.bitBegin, t)),
                  kinds_.begin() + std::ptrdiff_t(t), BitKind::Termination);
        std::fill(kinds_.begin() + std::ptrdiff_t(t), kinds_.begin() + std::ptrdiff_t(e), BitKind::Padding);
    }
    tokens_ = walk()->tokens();
}

uint64_t BitstreamRow::shownBits() const {
    const StepFrame* f = frame();
    if (!f) return 0;
    return std::min<uint64_t>(walk()->bits.size(), f->bitBegin + f->emitted.size() + f->padding.size());
}

QString BitstreamRow::text() const {
    return frame() ? QString::fromStdString(walk()->bits.substr(0, shownBits())) : QString();
}

size_t BitstreamRow::tokensShown() const {
    const StepFrame* f = frame();
    if (!f) return 0;
    return std::min<size_t>(tokens_.size(), shownBits() / uint64_t(walk()->params.tokenBits));
}

void BitstreamRow::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const Theme& th = Theme::current();
    p.fillRect(rect(), th.background);
    const StepFrame* f = frame();
    if (!f) return;
    const StepThrough& w = *walk();
    const double lh = fontMetrics().height();
    const QFont bitFont = monoFont(kBitScale), bitBold = monoFont(kBitScale, true), small = monoFont(0.8);
    const double cw = std::max(4.0, QFontMetricsF(bitFont).horizontalAdvance('0') * 1.45);
    const double margin = QFontMetricsF(small).horizontalAdvance("99999 ");
    const double avail = width() - margin - lh * 0.5;
    const uint64_t k = uint64_t(std::max(1, w.params.tokenBits));
    const uint64_t b = uint64_t(w.params.windowBits);

    // Bits per line: whole windows when one fits, else whole tokens.
    uint64_t perLine = std::max<uint64_t>(1, uint64_t(avail / cw));
    if (w.params.method == Method::EqualInfoAc && b * 2 <= perLine)
        perLine -= perLine % b;
    else if (k <= perLine)
        perLine -= perLine % k;

    const uint64_t end = shownBits();
    const uint64_t pending = f->kind == StepFrame::Kind::Code ? f->pending : 0;
    const uint64_t cells = end + pending;
    const uint64_t lastLine = cells == 0 ? 0 : (cells - 1) / perLine;
    const uint64_t firstLine = lastLine + 1 > uint64_t(kLines) ? lastLine + 1 - kLines : 0;
    const uint64_t stepBegin = std::min(f->bitBegin, end);
    const size_t complete = tokensShown();

    auto lineTop = [&](uint64_t line) { return lh * 0.15 + double(line - firstLine) * lh * kLineHeight; };
    auto bitRect = [&](uint64_t j) {
        const uint64_t line = j / perLine;
        return QRectF(margin + double(j % perLine) * cw, lineTop(line) + lh * kTokenHeight, cw, lh * kBitHeight);
    };

    if (cells == 0) {
        p.setFont(font());
        p.setPen(th.faint);
        p.drawText(rect(), Qt::AlignCenter, "No bit written yet.");
    }
    for (uint64_t line = firstLine; line <= lastLine && cells > 0; ++line) {
        p.setFont(small);
        p.setPen(th.faint);
        p.drawText(QRectF(0, lineTop(line) + lh * kTokenHeight, margin - cw * 0.3, lh * kBitHeight),
                   Qt::AlignRight | Qt::AlignVCenter, QString::number(line * perLine));
    }

    // Bits: text bits tinted, termination orange, padding hatched, this step's bits highlighted, pending as "?".
    const uint64_t j0 = firstLine * perLine, j1 = std::min(cells, (lastLine + 1) * perLine);
    for (uint64_t j = j0; j < j1; ++j) {
        const QRectF r = bitRect(j).adjusted(0.5, 0.5, -0.5, -0.5);
        if (j >= end) {
            p.setPen(QPen(th.faint, 1, Qt::DashLine));
            p.setBrush(Qt::NoBrush);
            p.drawRect(r);
            p.setFont(bitBold);
            p.setPen(th.faint);
            p.drawText(r, Qt::AlignCenter, "?");
            continue;
        }
        const BitKind kind = j < kinds_.size() ? kinds_[j] : BitKind::Text;
        const bool now = j >= stepBegin;
        p.setPen(Qt::NoPen);
        if (kind == BitKind::Padding)
            p.setBrush(QBrush(th.padding, Qt::Dense5Pattern));
        else
            p.setBrush(kind == BitKind::Termination ? tint(th.accent, 0.55) : tint(th.used, 0.22));
        p.drawRect(r);
        if (now) {
            p.setPen(QPen(th.highlight, 2.5));
            p.setBrush(tint(th.highlight, kind == BitKind::Padding ? 0.2 : 0.45));
            p.drawRect(r.adjusted(1, 1, -1, -1));
        }
        p.setFont(now ? bitBold : bitFont);
        p.setPen(kind == BitKind::Padding ? th.faint : th.foreground);
        p.drawText(r, Qt::AlignCenter, QString(QChar(w.bits[j])));
    }

    // Tokens over their bits: complete ones with their value, the one filling outlined.
    const QFont tokenFont = scaledFont(0.95, true);
    for (uint64_t t = j0 / k; t * k < j1; ++t) {
        const uint64_t a = std::max(t * k, j0), e = std::min((t + 1) * k, j1);
        if (a >= e) continue;
        // A token may wrap across lines when k does not divide a line: draw each line's part.
        for (uint64_t s = a; s < e;) {
            const uint64_t lineEnd = std::min(e, (s / perLine + 1) * perLine);
            const QRectF first = bitRect(s), last = bitRect(lineEnd - 1);
            const QRectF r(first.left() + 1, first.top() - lh * kTokenHeight + 2, last.right() - first.left() - 2,
                           lh * kTokenHeight - 5);
            if (t < complete) {
                const uint32_t v = tokens_[t];
                const bool fresh = (t + 1) * k > stepBegin;  // completed at this step
                p.setPen(fresh ? QPen(th.highlight, 2.5) : Qt::NoPen);
                p.setBrush(th.tokenColour(v));
                p.drawRoundedRect(r, 4, 4);
                p.setFont(tokenFont);
                p.setPen(th.foreground);
                const QString label = QString::number(v);
                if (p.fontMetrics().horizontalAdvance(label) + 4 <= r.width()) p.drawText(r, Qt::AlignCenter, label);
            } else {
                p.setPen(QPen(th.faint, 1.2, Qt::DashLine));
                p.setBrush(Qt::NoBrush);
                p.drawRoundedRect(r, 4, 4);
            }
            s = lineEnd;
        }
    }

    // Where each window or chunk begins.
    p.setPen(Qt::NoPen);
    p.setBrush(th.boundary);
    for (const StepSegment& s : w.segments) {
        if (s.bitBegin < j0 || s.bitBegin > std::min(end, j1) || j1 == 0) continue;
        const bool atEnd = s.bitBegin == j1;
        const QRectF r = atEnd ? bitRect(s.bitBegin - 1) : bitRect(s.bitBegin);
        const double x = atEnd ? r.right() : r.left();
        p.drawRect(QRectF(x - 1.5, r.top() - lh * kTokenHeight, 3, lh * (kTokenHeight + kBitHeight)));
    }
}

}  // namespace eqlab::ui
