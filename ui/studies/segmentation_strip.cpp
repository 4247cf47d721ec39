#include "studies/segmentation_strip.h"

#include <QEvent>
#include <QPainter>
#include <QScrollBar>
#include <algorithm>
#include <cmath>

#include "theme.h"

namespace eqlab::ui {

namespace {
constexpr int kEntropyTrack = 34;  // pixels: height of the entropy track
constexpr int kGap = 3;            // pixels between rows
constexpr size_t kRowsShown = 5;   // rows the strip makes room for before its first run

// What a byte's cell shows: printable ASCII as itself, a few controls as symbols, anything else as a dot.
QChar glyph(uint8_t c) {
    if (c == '\n') return QChar(0x23CE);  // ⏎
    if (c == '\t') return QChar(0x2192);  // →
    if (c == ' ') return QChar(0x00B7);   // ·
    if (c >= 0x21 && c < 0x7F) return QChar(c);
    return QChar(0x2022);  // •: a control byte or part of a multi-byte character
}

// The segment of `row` holding byte b: its index into starts.
size_t segmentOf(const SegmentationRow& row, uint64_t b) {
    const auto it = std::upper_bound(row.starts.begin(), row.starts.end(), b);
    return it == row.starts.begin() ? 0 : size_t(it - row.starts.begin() - 1);
}
}  // namespace

SegmentationStrip::SegmentationStrip(QWidget* parent) : QAbstractScrollArea(parent) {
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    viewport()->setMouseTracking(true);
    QFont f("monospace");
    f.setStyleHint(QFont::Monospace);
    setFont(f);
    setRows({});
}

void SegmentationStrip::changeEvent(QEvent* e) {
    QAbstractScrollArea::changeEvent(e);
    if (e->type() == QEvent::FontChange) relayout();
}

void SegmentationStrip::setText(std::shared_ptr<const std::vector<uint8_t>> text, uint64_t size) {
    text_ = std::move(text);
    size_ = text_ ? std::min<uint64_t>(size, text_->size()) : 0;
    relayout();
}

void SegmentationStrip::setEntropy(std::vector<float> entropy, double threshold) {
    entropy_ = std::move(entropy);
    threshold_ = threshold;
    viewport()->update();
}

void SegmentationStrip::setRows(std::vector<SegmentationRow> rows) {
    rows_ = std::move(rows);
    setFixedHeight(rowTop(int(std::max<size_t>(rows_.size(), kRowsShown))) +
                   horizontalScrollBar()->sizeHint().height() + 2 * frameWidth() + 2);
    relayout();
}

QSize SegmentationStrip::sizeHint() const {
    return {800, rowTop(int(rows_.size())) + horizontalScrollBar()->sizeHint().height() + 4};
}

void SegmentationStrip::resizeEvent(QResizeEvent*) {
    relayout();
}

void SegmentationStrip::relayout() {
    // Cells from the font, so that the presenter zoom (the application font) scales them.
    const QFontMetrics fm(font());
    cellWidth_ = fm.horizontalAdvance('M') + 3;
    rowHeight_ = fm.height() + 6;
    labelWidth_ = fm.horizontalAdvance("entropy rise > 0.0   12.34 B/seg") + 12;
    const int visible = std::max(0, viewport()->width() - labelWidth_);
    const int64_t content = int64_t(size_) * cellWidth_;
    horizontalScrollBar()->setRange(0, int(std::clamp<int64_t>(content - visible, 0, INT32_MAX)));
    horizontalScrollBar()->setPageStep(visible);
    horizontalScrollBar()->setSingleStep(cellWidth_ * 4);
    const int height = rowTop(int(rows_.size()));
    verticalScrollBar()->setRange(0, std::max(0, height - viewport()->height()));
    verticalScrollBar()->setPageStep(viewport()->height());
    updateGeometry();
    viewport()->update();
}

int SegmentationStrip::rowTop(int row) const {
    return rowHeight_ + kGap + kEntropyTrack + kGap + row * (rowHeight_ + kGap);
}

int64_t SegmentationStrip::byteAt(QPoint p) const {
    if (p.x() < labelWidth_) return -1;
    const int64_t b = (int64_t(p.x() - labelWidth_) + horizontalScrollBar()->value()) / cellWidth_;
    return b < int64_t(size_) ? b : -1;
}

void SegmentationStrip::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    const Theme& th = Theme::current();
    p.fillRect(viewport()->rect(), th.background);
    p.setFont(font());
    const int x0 = horizontalScrollBar()->value(), dy = -verticalScrollBar()->value();
    const int width = viewport()->width();
    const uint64_t first = uint64_t(x0 / cellWidth_);
    const uint64_t last = std::min<uint64_t>(size_, uint64_t((x0 + width - labelWidth_) / cellWidth_) + 1);
    auto xOf = [&](uint64_t b) { return labelWidth_ + int(int64_t(b) * cellWidth_ - x0); };

    p.setClipRect(labelWidth_, 0, width - labelWidth_, viewport()->height());
    // The text.
    p.setPen(th.foreground);
    for (uint64_t b = first; b < last && text_; ++b)
        p.drawText(QRect(xOf(b), dy, cellWidth_, rowHeight_), Qt::AlignCenter, QString(glyph((*text_)[b])));
    // The entropy track: bits 0..8, and the global threshold.
    const int trackTop = dy + rowHeight_ + kGap;
    p.fillRect(QRect(labelWidth_, trackTop, width - labelWidth_, kEntropyTrack), th.windowA);
    auto yOfBits = [&](double bits) {
        return trackTop + kEntropyTrack - 1 - int((kEntropyTrack - 2) * std::clamp(bits, 0.0, 8.0) / 8.0);
    };
    p.setPen(QPen(th.accent, th.lineWidth(1.5)));
    for (uint64_t b = first; b + 1 < last && b + 1 < entropy_.size(); ++b)
        p.drawLine(xOf(b) + cellWidth_ / 2, yOfBits(entropy_[b]), xOf(b + 1) + cellWidth_ / 2,
                   yOfBits(entropy_[b + 1]));
    if (threshold_ >= 0) {
        p.setPen(QPen(th.bad, th.lineWidth(1), Qt::DashLine));
        p.drawLine(labelWidth_, yOfBits(threshold_), width, yOfBits(threshold_));
    }
    // The segmentations.
    for (size_t r = 0; r < rows_.size(); ++r) {
        const SegmentationRow& row = rows_[r];
        const int top = dy + rowTop(int(r));
        if (row.starts.empty() || first >= last) continue;
        for (size_t j = segmentOf(row, first); j < row.starts.size() && row.starts[j] < last; ++j) {
            const uint64_t b0 = row.starts[j], b1 = j + 1 < row.starts.size() ? row.starts[j + 1] : size_;
            const QRect cell(xOf(b0), top, int(int64_t(b1 - b0) * cellWidth_), rowHeight_);
            p.fillRect(cell, j % 2 ? th.windowB : th.windowA);
            p.fillRect(QRect(cell.left(), top, std::max(2, int(std::lround(th.lineWidth(2)))), rowHeight_),
                       th.boundary);
        }
    }
    // The labels, over a plain column that does not scroll sideways.
    p.setClipping(false);
    p.fillRect(QRect(0, 0, labelWidth_, viewport()->height()), th.background);
    p.setPen(th.foreground);
    p.drawText(QRect(4, dy, labelWidth_ - 8, rowHeight_), Qt::AlignLeft | Qt::AlignVCenter, "text");
    p.drawText(QRect(4, trackTop, labelWidth_ - 8, kEntropyTrack), Qt::AlignLeft | Qt::AlignVCenter,
               "M1 next-byte entropy (0-8 bits)");
    for (size_t r = 0; r < rows_.size(); ++r) {
        const QRect label(4, dy + rowTop(int(r)), labelWidth_ - 8, rowHeight_);
        p.drawText(label, Qt::AlignLeft | Qt::AlignVCenter, QString::fromStdString(rows_[r].name));
        p.drawText(label, Qt::AlignRight | Qt::AlignVCenter, QString("%1 B/seg").arg(rows_[r].meanBytes, 0, 'f', 2));
    }
}

bool SegmentationStrip::viewportEvent(QEvent* e) {
    if (showTooltip(e, viewport(), [this](QPoint p) { return tooltipAt(p); })) return true;
    return QAbstractScrollArea::viewportEvent(e);
}

QString SegmentationStrip::tooltipAt(QPoint p) const {
    const int64_t b = byteAt(p);
    if (b < 0) return {};
    const int y = p.y() + verticalScrollBar()->value();
    for (size_t r = 0; r < rows_.size(); ++r) {
        const int top = rowTop(int(r));
        if (y < top || y >= top + rowHeight_ || rows_[r].starts.empty()) continue;
        const size_t j = segmentOf(rows_[r], uint64_t(b));
        const uint64_t b0 = rows_[r].starts[j], b1 = j + 1 < rows_[r].starts.size() ? rows_[r].starts[j + 1] : size_;
        return QString("%1: segment %L2, bytes %L3-%L4 (%L5 bytes)")
            .arg(QString::fromStdString(rows_[r].name))
            .arg(j)
            .arg(b0)
            .arg(b1)
            .arg(b1 - b0);
    }
    if (size_t(b) < entropy_.size())
        return QString("byte %L1: M1's next-byte entropy before it %2 bits")
            .arg(b)
            .arg(double(entropy_[size_t(b)]), 0, 'f', 2);
    return {};
}

}  // namespace eqlab::ui
