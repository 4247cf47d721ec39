#include "text_view.h"

#include <QFontDatabase>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "contrast.h"
#include "theme.h"

namespace eqlab::ui {

namespace {
constexpr int kMargin = 6;  // pixels left of the text
// Fonts tried, in order, for characters the monospace font lacks: colour
// emoji, then CJK (Debian: fonts-noto-color-emoji, fonts-wqy-microhei or fonts-noto-cjk).
const QStringList kFallbackFamilies = {"Noto Color Emoji", "WenQuanYi Micro Hei Mono", "Noto Sans Mono CJK SC",
                                       "Noto Sans CJK SC"};

// "U+4E2D"
QString codePointName(char32_t cp) {
    return QString("U+%1").arg(uint(cp), 4, 16, QChar('0')).toUpper();
}

// "byte 1,234: 0xb8, byte 2 of 3 of '中' U+4E2D, 0.41 bits"
QString byteDescription(const TraceModel& m, uint64_t b) {
    const uint8_t v = m.bytes()[b];
    QString s = QString("byte %L1: 0x%2").arg(b).arg(v, 2, 16, QChar('0'));
    const Cell& cell = m.cells()[m.cellOfByte(b)];
    if (cell.kind == Cell::Char && cell.length > 1)
        s += QString(", byte %1 of %2 of '%3' %4")
                 .arg(b - cell.byte + 1)
                 .arg(cell.length)
                 .arg(cell.display().toHtmlEscaped(), codePointName(cell.codePoint));
    else if (v >= 0x20 && v < 0x7f)
        s += QString(" '%1'").arg(QString(QChar(v)).toHtmlEscaped());
    else if (cell.kind == Cell::Newline)
        s += " (line feed)";
    else if (cell.kind == Cell::Tab)
        s += " (tab)";
    const Trace* t = m.trace();
    if (t && b < t->surprisalBits.size()) s += QString(", %1 bits").arg(double(t->surprisalBits[b]), 0, 'f', 2);
    return s;
}
}  // namespace

TextTraceView::TextTraceView(TraceModel* model, QWidget* parent) : QAbstractScrollArea(parent), model_(model) {
    // The family only: the size follows the application font, which the
    // presenter zoom sets. The family the system resolved (e.g. DejaVu Sans
    // Mono, not the alias "Monospace") first: an alias would be skipped, and
    // the emoji font would then draw the digits and spaces it also holds.
    QFont f;
    f.setFamilies(QStringList{QFontInfo(QFontDatabase::systemFont(QFontDatabase::FixedFont)).family()} +
                  kFallbackFamilies);
    f.setStyleHint(QFont::Monospace);
    setFont(f);
    viewport()->setMouseTracking(true);
    viewport()->setCursor(Qt::IBeamCursor);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setToolTip({});
    setWhatsThis(
        "The analysed text. Windows mode: each Equal-Info window (or ac chunk, DEFLATE block) has its own "
        "background, with a bar where one starts. Surprisal mode: each character is coloured by how many "
        "bits the model spent on it. Click selects a window; drag selects bytes. Ctrl+Home / Ctrl+End: "
        "start / end of the text.");
    connect(model_, &TraceModel::resultChanged, this, [this] { relayout(); });
    connect(model_, &TraceModel::highlightChanged, viewport(), qOverload<>(&QWidget::update));
    connect(model_, &TraceModel::scrollToBytes, this, &TextTraceView::scrollTo);
    connect(model_, &TraceModel::staleChanged, viewport(), qOverload<>(&QWidget::update));
    connect(verticalScrollBar(), &QScrollBar::valueChanged, viewport(), qOverload<>(&QWidget::update));
    relayout();
}

void TextTraceView::setColouring(Colouring c) {
    colouring_ = c;
    viewport()->update();
}

void TextTraceView::changeEvent(QEvent* e) {
    QAbstractScrollArea::changeEvent(e);
    if (e->type() == QEvent::FontChange) relayout();
}

void TextTraceView::keyPressEvent(QKeyEvent* e) {
    QScrollBar* v = verticalScrollBar();
    if (e->matches(QKeySequence::MoveToStartOfDocument) || e->key() == Qt::Key_Home) {
        v->setValue(v->minimum());
    } else if (e->matches(QKeySequence::MoveToEndOfDocument) || e->key() == Qt::Key_End) {
        v->setValue(v->maximum());
    } else {
        QAbstractScrollArea::keyPressEvent(e);
        return;
    }
    e->accept();
}

void TextTraceView::resizeEvent(QResizeEvent* e) {
    QAbstractScrollArea::resizeEvent(e);
    relayout();
}

void TextTraceView::relayout() {
    const QFontMetrics fm(font());
    charWidth_ = std::max(1, fm.horizontalAdvance(QLatin1Char('M')));
    lineHeight_ = fm.height() + 4;
    columns_ = std::max(8, (viewport()->width() - 2 * kMargin) / charWidth_);
    const auto& cells = model_->cells();
    lines_.assign(1, 0);
    int col = 0;
    size_t lastSpace = SIZE_MAX;
    for (size_t i = 0; i < cells.size(); ++i) {
        const int w = cells[i].columns();
        if (col + w > columns_ && i > lines_.back()) {
            // Break after the last space of the line when there is one.
            const size_t start = (lastSpace != SIZE_MAX && lastSpace + 1 > lines_.back()) ? lastSpace + 1 : i;
            lines_.push_back(uint32_t(start));
            col = 0;
            for (size_t j = start; j < i; ++j) col += cells[j].columns();
            lastSpace = SIZE_MAX;
        }
        col += w;
        if (cells[i].kind == Cell::Char && cells[i].codePoint == ' ') lastSpace = i;
        if (cells[i].kind == Cell::Newline) {
            lines_.push_back(uint32_t(i + 1));
            col = 0;
            lastSpace = SIZE_MAX;
        }
    }
    const int visible = std::max(1, viewport()->height() / lineHeight_);
    verticalScrollBar()->setRange(0, std::max(0, int(lines_.size()) - visible));
    verticalScrollBar()->setPageStep(visible);
    verticalScrollBar()->setSingleStep(1);
    viewport()->update();
}

int TextTraceView::columnOfCell(size_t cell) const {
    const auto line = size_t(std::upper_bound(lines_.begin(), lines_.end(), uint32_t(cell)) - lines_.begin()) - 1;
    int col = 0;
    for (size_t j = lines_[line]; j < cell; ++j) col += model_->cells()[j].columns();
    return col;
}

QPoint TextTraceView::pointOfByte(uint64_t b) const {
    const size_t cell = model_->cellOfByte(b);
    const auto line = int(std::upper_bound(lines_.begin(), lines_.end(), uint32_t(cell)) - lines_.begin()) - 1;
    return {kMargin + columnOfCell(cell) * charWidth_ + charWidth_ / 2,
            (line - verticalScrollBar()->value()) * lineHeight_ + lineHeight_ / 2};
}

int64_t TextTraceView::byteAt(QPoint pos) const {
    const auto& cells = model_->cells();
    if (cells.empty()) return -1;
    const int line = verticalScrollBar()->value() + pos.y() / lineHeight_;
    if (pos.y() < 0 || line >= int(lines_.size())) return -1;
    const size_t end = size_t(line) + 1 < lines_.size() ? lines_[size_t(line) + 1] : cells.size();
    int x = kMargin;
    for (size_t c = lines_[size_t(line)]; c < end; ++c) {
        const int w = cells[c].columns() * charWidth_;
        if (pos.x() < x + w) return pos.x() < x && c == lines_[size_t(line)] ? -1 : int64_t(cells[c].byte);
        x += w;
    }
    return -1;
}

void TextTraceView::scrollTo(uint64_t b0, uint64_t) {
    if (model_->cells().empty()) return;
    const size_t cell = model_->cellOfByte(b0);
    const int line = int(std::upper_bound(lines_.begin(), lines_.end(), uint32_t(cell)) - lines_.begin()) - 1;
    const int first = verticalScrollBar()->value();
    const int visible = std::max(1, viewport()->height() / lineHeight_);
    if (line < first || line >= first + visible) verticalScrollBar()->setValue(std::max(0, line - visible / 3));
}

void TextTraceView::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    const Theme& th = Theme::current();
    p.fillRect(viewport()->rect(), th.background);
    const auto& cells = model_->cells();
    const Trace* t = model_->trace();
    if (cells.empty()) {
        p.setPen(th.faint);
        p.drawText(viewport()->rect().adjusted(kMargin, 0, -kMargin, 0), Qt::AlignCenter | Qt::TextWordWrap,
                   placeholderText());
        if (model_->result() && model_->stale()) drawStaleBanner(p);
        return;
    }
    const auto& h = model_->highlight();
    const bool hasSegments = t && !t->segmentOfByte.empty();
    const int first = verticalScrollBar()->value();
    const int visible = viewport()->height() / lineHeight_ + 1;
    const QFontMetrics fm(font());
    const int ascent = fm.ascent() + 2;
    for (int line = first; line < std::min<int>(int(lines_.size()), first + visible); ++line) {
        const int y = (line - first) * lineHeight_;
        const size_t end = size_t(line) + 1 < lines_.size() ? lines_[size_t(line) + 1] : cells.size();
        int x = kMargin;
        for (size_t c = lines_[size_t(line)]; c < end; ++c) {
            const Cell& cell = cells[c];
            const int w = cell.columns() * charWidth_;
            const QRect r(x, y + 1, w, lineHeight_ - 2);
            const uint64_t b0 = cell.byte, b1 = cell.byte + cell.length;
            const int64_t seg = hasSegments ? int64_t(t->segmentOfByte[b0]) : -1;
            const QColor bg = backgroundOf(cell);
            p.fillRect(r, bg);
            if (seg >= 0 && seg == model_->currentSegment()) {
                QColor s = th.selection;
                s.setAlpha(70);
                p.fillRect(r, s);
            }
            // Highlighted bytes; a character only partly covered is hatched, never drawn as if whole.
            if (h.byteBegin < h.byteEnd && b0 < h.byteEnd && b1 > h.byteBegin) {
                QColor hc = th.highlight;
                const bool partial = b0 < h.byteBegin || b1 > h.byteEnd;
                hc.setAlpha(partial ? 200 : 110);
                p.fillRect(r, partial ? QBrush(hc, Qt::BDiagPattern) : QBrush(hc));
            }
            // Window boundaries: a bar where a segment starts; mid-character starts get a notch.
            if (hasSegments) {
                for (uint64_t b = b0; b < b1; ++b) {
                    const uint32_t s = t->segmentOfByte[b];
                    if (t->segments[s].byteBegin != b || b == 0) continue;
                    const int bx = x + int(int64_t(w) * int64_t(b - b0) / cell.length);
                    // Thicker with the zoom and in high contrast, never so thick that it hides a glyph.
                    const int bw = std::clamp(int(std::lround(th.lineWidth(2))), 2, std::max(2, charWidth_ / 6));
                    p.fillRect(QRect(bx - bw / 2, y, bw, lineHeight_), th.boundary);
                    if (b != b0) {
                        p.setPen(th.bad);
                        p.drawLine(bx - 3, y, bx + 3, y);
                    }
                }
            }
            const QColor ink = inkOf(cell, bg);
            p.setPen(ink);
            if (cell.kind == Cell::Escape && ink != th.accent) {
                // No longer told apart by colour: a frame marks the escape.
                p.drawRect(r.adjusted(1, 1, -2, -2));
            }
            drawCell(p, cell, x, y + ascent, w);
            x += w;
        }
    }
    if (model_->stale()) drawStaleBanner(p);
}

QColor TextTraceView::backgroundOf(const Cell& cell) const {
    const Theme& th = Theme::current();
    const Trace* t = model_->trace();
    if (colouring_ == Colouring::Surprisal && t && !t->surprisalBits.empty()) {
        double bits = 0;
        for (uint64_t b = cell.byte; b < uint64_t(cell.byte) + cell.length; ++b) bits += double(t->surprisalBits[b]);
        return th.surprisal(bits);
    }
    if (t && !t->segmentOfByte.empty()) return t->segmentOfByte[cell.byte] % 2 == 0 ? th.windowA : th.windowB;
    return th.background;
}

QColor TextTraceView::inkOf(const Cell& cell, const QColor& background) const {
    // Escapes in the accent colour, newlines and tabs faint, where that reads
    // on the background; else black or white, whichever does. Text must
    // read (4.5:1); on the light window colours the marks need only stand
    // out (3:1), but on the surprisal ramp an escape is text to read.
    const Theme& th = Theme::current();
    if (cell.kind == Cell::Char) return readableOn(background, th.foreground);
    const bool surprisal = colouring_ == Colouring::Surprisal;
    return readableOn(background, cell.kind == Cell::Escape ? th.accent : th.faint,
                      surprisal ? kReadableContrast : kMarkContrast);
}

QColor TextTraceView::inkAt(uint64_t b) const {
    const Cell& cell = model_->cells()[model_->cellOfByte(b)];
    return inkOf(cell, backgroundOf(cell));
}

void TextTraceView::drawCell(QPainter& p, const Cell& cell, int x, int baseline, int width) const {
    const QString s = cell.display();
    if (cell.kind != Cell::Char || cell.codePoint < 0x80) {
        p.drawText(x, baseline, s);
        return;
    }
    // A character from a fallback font (CJK, emoji) may be wider than its
    // cells: shrink it to fit rather than overlap its neighbours; centre it.
    const QFontMetricsF fm(font());
    const double advance = fm.horizontalAdvance(s);
    if (advance <= width) {
        p.drawText(QPointF(x + (width - advance) / 2, baseline), s);
        return;
    }
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * width / advance);
    p.setFont(small);
    const double shrunk = QFontMetricsF(small).horizontalAdvance(s);
    p.drawText(QPointF(x + (width - shrunk) / 2, baseline), s);
    p.setFont(font());
}

QString TextTraceView::placeholderText() const {
    if (model_->result()) return "(empty text)";
    // No analysis at all: the reason, when the one asked for failed or was cancelled.
    return model_->stale() ? model_->staleReason() : "Analysing...";
}

void TextTraceView::drawStaleBanner(QPainter& p) const {
    const Theme& th = Theme::current();
    const QFontMetrics fm(font());
    const int h = fm.height() + 8;
    const QRect band(0, 0, viewport()->width(), h);
    QColor shade = th.background;
    shade.setAlpha(110);
    p.fillRect(viewport()->rect(), shade);  // dims the stale text
    QColor banner = th.faint;
    banner.setAlpha(230);
    p.fillRect(band, banner);
    p.setPen(readableOn(banner, th.foreground));
    p.drawText(band.adjusted(kMargin, 0, -kMargin, 0), Qt::AlignVCenter | Qt::AlignLeft,
               fm.elidedText(model_->staleReason(), Qt::ElideRight, band.width() - 2 * kMargin));
}

QString TextTraceView::tooltipAt(QPoint pos) const {
    const int64_t b = byteAt(pos);
    if (b < 0) return {};
    QString s = byteDescription(*model_, uint64_t(b));
    const Cell& cell = model_->cells()[model_->cellOfByte(uint64_t(b))];
    if (cell.kind == Cell::Escape) s += " (not valid text: shown as an escape, coded exactly)";
    const Trace* t = model_->trace();
    const int64_t seg = model_->segmentOfByte(uint64_t(b));
    if (t && seg >= 0) {
        const Segment& g = t->segments[size_t(seg)];
        QString kind = QString::fromStdString(t->segmentKind);
        if (!kind.isEmpty()) kind[0] = kind[0].toUpper();
        s += QString("<br><b>%1 %2</b>: bytes %L3&ndash;%L4 (%L5 bytes), %6 bits used + %7 padding = %8 bits")
                 .arg(kind)
                 .arg(seg)
                 .arg(g.byteBegin)
                 .arg(g.byteEnd - 1)
                 .arg(g.byteEnd - g.byteBegin)
                 .arg(g.bitsUsed)
                 .arg(g.paddingBits())
                 .arg(g.bitsTotal);
        if (g.tokenOnlyDecodable >= 0)
            s += g.tokenOnlyDecodable ? "<br>decodable from its tokens alone" : "<br>needs side information to decode";
    }
    return s;
}

bool TextTraceView::viewportEvent(QEvent* e) {
    if (showTooltip(e, viewport(), [this](QPoint p) { return tooltipAt(p); })) return true;
    return QAbstractScrollArea::viewportEvent(e);
}

void TextTraceView::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton) return;
    dragAnchor_ = byteAt(e->position().toPoint());
}

void TextTraceView::mouseMoveEvent(QMouseEvent* e) {
    if (!(e->buttons() & Qt::LeftButton) || dragAnchor_ < 0) return;
    const int64_t b = byteAt(e->position().toPoint());
    if (b < 0 || b == dragAnchor_) return;
    const uint64_t lo = uint64_t(std::min(b, dragAnchor_)), hi = uint64_t(std::max(b, dragAnchor_));
    const Cell& last = model_->cells()[model_->cellOfByte(hi)];
    model_->highlightBytes(lo, last.byte + last.length);
}

void TextTraceView::mouseReleaseEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton || dragAnchor_ < 0) return;
    const int64_t b = byteAt(e->position().toPoint());
    if (b == dragAnchor_) {
        const int64_t seg = model_->segmentOfByte(uint64_t(b));
        if (seg >= 0)
            model_->selectSegment(seg);
        else {
            const Cell& cell = model_->cells()[model_->cellOfByte(uint64_t(b))];
            model_->highlightBytes(cell.byte, cell.byte + cell.length);
        }
    }
    dragAnchor_ = -1;
}

}  // namespace eqlab::ui
