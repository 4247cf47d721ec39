#include "token_strip.h"

#include <QEvent>
#include <QHelpEvent>
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
// The strip's layout at 100% (px); the presenter zoom scales it (TokenStrip::rescale).
constexpr int kTokenTop = 4, kTokenHeight = 26, kBitTop = 34, kBitHeight = 16, kHeight = 56;
constexpr int kBitWidth = 7, kPieceWidth = 56;

QString textOf(const TraceModel& m, uint64_t b0, uint64_t b1) {
    const auto& bytes = m.bytes();
    b1 = std::min<uint64_t>(b1, bytes.size());
    QString s;
    for (uint64_t b = b0; b < b1 && s.size() < 40;) {
        const Cell& c = m.cells()[m.cellOfByte(b)];
        s += c.display();
        b = c.byte + c.length;
    }
    return s.toHtmlEscaped();
}
}  // namespace

TokenStrip::TokenStrip(TraceModel* model, QWidget* parent) : QAbstractScrollArea(parent), model_(model) {
    viewport()->setMouseTracking(true);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    rescale();
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setWhatsThis(
        "Tokens (upper row) over the bits they are made of (lower row). Window boundaries are bars; padding "
        "bits are hatched. Hover a token to see the text it covers.");
    connect(model_, &TraceModel::resultChanged, this, [this] { relayout(); });
    connect(model_, &TraceModel::highlightChanged, viewport(), qOverload<>(&QWidget::update));
    connect(model_, &TraceModel::scrollToBits, this, &TokenStrip::scrollToBits);
    connect(horizontalScrollBar(), &QScrollBar::valueChanged, viewport(), qOverload<>(&QWidget::update));
}

QSize TokenStrip::sizeHint() const {
    return {600, g_.height + 20};
}

void TokenStrip::rescale() {
    const double zoom = Theme::current().zoom;
    const auto px = [zoom](int size) { return int(std::lround(size * zoom)); };
    g_ = {px(kTokenTop), px(kTokenHeight), px(kBitTop), px(kBitHeight), px(kHeight)};
    bitWidth_ = px(kBitWidth);
    pieceWidth_ = px(kPieceWidth);
    setMinimumHeight(g_.height + px(18));
    updateGeometry();
    relayout();
}

void TokenStrip::changeEvent(QEvent* e) {
    QAbstractScrollArea::changeEvent(e);
    if (e->type() == QEvent::FontChange) rescale();
}

void TokenStrip::setHex(bool hex) {
    hex_ = hex;
    viewport()->update();
}

void TokenStrip::resizeEvent(QResizeEvent* e) {
    QAbstractScrollArea::resizeEvent(e);
    relayout();
}

void TokenStrip::relayout() {
    const Trace* t = model_->trace();
    int64_t width = 0;
    if (t && !t->tokens.empty()) width = tokenExtent(t->tokens.size() - 1).second + 4;
    horizontalScrollBar()->setRange(0, int(std::max<int64_t>(0, width - viewport()->width())));
    horizontalScrollBar()->setPageStep(viewport()->width());
    horizontalScrollBar()->setSingleStep(bitWidth_ * 8);
    viewport()->update();
}

std::pair<int64_t, int64_t> TokenStrip::tokenExtent(size_t i) const {
    if (!model_->hasBitstream()) return {int64_t(i) * pieceWidth_, int64_t(i + 1) * pieceWidth_};
    const TokenSpan& s = model_->trace()->tokens[i];
    return {int64_t(s.bitBegin) * bitWidth_, int64_t(s.bitEnd) * bitWidth_};
}

int64_t TokenStrip::tokenAt(QPoint pos) const {
    const Trace* t = model_->trace();
    if (!t || t->tokens.empty() || pos.y() < g_.tokenTop || pos.y() >= g_.bitTop + g_.bitHeight) return -1;
    const int64_t x = pos.x() + horizontalScrollBar()->value();
    if (!model_->hasBitstream()) {
        const int64_t i = x / pieceWidth_;
        return i >= 0 && size_t(i) < t->tokens.size() ? i : -1;
    }
    const auto it = std::partition_point(t->tokens.begin(), t->tokens.end(),
                                         [&](const TokenSpan& s) { return int64_t(s.bitEnd) * bitWidth_ <= x; });
    if (it == t->tokens.end() || int64_t(it->bitBegin) * bitWidth_ > x) return -1;
    return it - t->tokens.begin();
}

QPoint TokenStrip::centreOfToken(size_t i) const {
    const auto [x0, x1] = tokenExtent(i);
    return {int((x0 + x1) / 2 - horizontalScrollBar()->value()), g_.tokenTop + g_.tokenHeight / 2};
}

int64_t TokenStrip::bitAt(QPoint pos) const {
    if (!model_->hasBitstream() || pos.y() < g_.bitTop || pos.y() >= g_.bitTop + g_.bitHeight) return -1;
    const int64_t j = (pos.x() + horizontalScrollBar()->value()) / bitWidth_;
    return j >= 0 && uint64_t(j) < model_->totalBits() ? j : -1;
}

void TokenStrip::scrollToBits(uint64_t t0, uint64_t) {
    if (!model_->hasBitstream()) {
        const size_t i = size_t(std::max<int64_t>(0, model_->highlight().tokenBegin));
        horizontalScrollBar()->setValue(int(int64_t(i) * pieceWidth_ - viewport()->width() / 3));
        return;
    }
    const int64_t x = int64_t(t0) * bitWidth_;
    const int v = horizontalScrollBar()->value();
    if (x < v || x > v + viewport()->width() - 40) horizontalScrollBar()->setValue(int(x - viewport()->width() / 3));
}

void TokenStrip::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    const Theme& th = Theme::current();
    p.fillRect(viewport()->rect(), th.background);
    const Trace* t = model_->trace();
    if (!t || t->tokens.empty()) {
        p.setPen(th.faint);
        p.drawText(viewport()->rect(), Qt::AlignCenter, "no tokens");
        return;
    }
    const int scroll = horizontalScrollBar()->value();
    const int width = viewport()->width();
    const auto& h = model_->highlight();
    QFont small = font();
    small.setPointSizeF(std::max(7.0, font().pointSizeF() * 0.8));
    p.setFont(small);

    // Bits: used bits tinted, padding hatched, each 0/1 drawn when there is room.
    if (model_->hasBitstream()) {
        const uint64_t j0 = uint64_t(std::max(0, scroll / bitWidth_));
        const uint64_t j1 = std::min<uint64_t>(model_->totalBits(), uint64_t((scroll + width) / bitWidth_ + 1));
        for (uint64_t j = j0; j < j1; ++j) {
            const QRect r(int(int64_t(j) * bitWidth_ - scroll), g_.bitTop, bitWidth_ - 1, g_.bitHeight);
            const int64_t seg = model_->segmentOfBit(j);
            const bool padding = seg >= 0 && j >= t->segments[size_t(seg)].bitBegin + t->segments[size_t(seg)].bitsUsed;
            QColor used = th.used;
            used.setAlpha(th.dark ? 90 : 45);
            p.fillRect(r, padding ? th.padding : used);
            if (j >= h.bitBegin && j < h.bitEnd) {
                QColor hc = th.highlight;
                hc.setAlpha(120);
                p.fillRect(r, hc);
            }
            p.setPen(padding ? th.faint : th.foreground);
            p.drawText(r, Qt::AlignCenter, model_->bitAt(j) ? "1" : "0");
        }
        // Window (segment) boundaries across both rows.
        auto seg = std::partition_point(t->segments.begin(), t->segments.end(),
                                        [&](const Segment& s) { return int64_t(s.bitBegin) * bitWidth_ < scroll; });
        for (; seg != t->segments.end() && int64_t(seg->bitBegin) * bitWidth_ <= scroll + width; ++seg) {
            const int x = int(int64_t(seg->bitBegin) * bitWidth_ - scroll);
            const int bw = std::max(2, int(std::lround(th.lineWidth(2))));
            p.fillRect(QRect(x - bw / 2, g_.tokenTop - 2, bw, g_.bitTop + g_.bitHeight - g_.tokenTop + 6), th.boundary);
        }
    }

    // Tokens.
    size_t i = 0;
    if (model_->hasBitstream())
        i = size_t(std::partition_point(t->tokens.begin(), t->tokens.end(),
                                        [&](const TokenSpan& s) { return int64_t(s.bitEnd) * bitWidth_ <= scroll; }) -
                   t->tokens.begin());
    else
        i = size_t(std::max(0, scroll / pieceWidth_));
    p.setFont(font());
    for (; i < t->tokens.size(); ++i) {
        const auto [x0, x1] = tokenExtent(i);
        if (x0 > scroll + width) break;
        const QRect r(int(x0 - scroll) + 1, g_.tokenTop, int(x1 - x0) - 2, g_.tokenHeight);
        const uint32_t v = t->tokens[i].value;
        p.setPen(Qt::NoPen);
        p.setBrush(th.tokenColour(v));
        p.drawRoundedRect(r, 3, 3);
        if (i >= h.tokenBegin && i < h.tokenEnd) {
            p.setPen(QPen(th.highlight, th.lineWidth(3)));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 3, 3);
        }
        if (model_->tokenSplitsCharacter(i)) {
            p.setPen(Qt::NoPen);
            p.setBrush(th.bad);
            p.drawPolygon(QPolygon({r.topRight() + QPoint(-8, 0), r.topRight(), r.topRight() + QPoint(0, 8)}));
        }
        p.setPen(readableOn(th.tokenColour(v), th.foreground));
        const QString label =
            hex_ ? QString("%1")
                       .arg(v, model_->hasBitstream() ? (model_->tokenBits() + 3) / 4 : 1, 16, QChar('0'))
                       .toUpper()
                 : QString::number(v);
        p.drawText(r, Qt::AlignCenter, p.fontMetrics().elidedText(label, Qt::ElideRight, r.width()));
    }
}

QString TokenStrip::tooltipAt(QPoint pos) const {
    const Trace* t = model_->trace();
    if (!t) return {};
    const int64_t j = bitAt(pos);
    if (j >= 0) {
        QString s = QString("bit %L1 = %2").arg(j).arg(model_->bitAt(uint64_t(j)));
        const int64_t seg = model_->segmentOfBit(uint64_t(j));
        if (seg >= 0 && uint64_t(j) >= t->segments[size_t(seg)].bitBegin + t->segments[size_t(seg)].bitsUsed)
            return s + QString("<br>padding of %1 %2: carries no information")
                           .arg(QString::fromStdString(t->segmentKind))
                           .arg(seg);
        const int64_t b = model_->byteOfBit(uint64_t(j));
        if (b >= 0)
            s += QString("<br>emitted while coding byte %L1 (%2)")
                     .arg(b)
                     .arg(textOf(*model_, uint64_t(b), uint64_t(b) + 1));
        else
            s += "<br>emitted by the stream's termination";
        return s;
    }
    const int64_t i = tokenAt(pos);
    if (i < 0) return {};
    const TokenSpan& s = t->tokens[size_t(i)];
    QString tip = QString("token %L1 = %2 (0x%3)").arg(i).arg(s.value).arg(s.value, 0, 16);
    if (model_->hasBitstream()) tip += QString("<br>bits %L1&ndash;%L2").arg(s.bitBegin).arg(s.bitEnd - 1);
    if (s.byteBegin < s.byteEnd)
        tip += QString("<br>covers bytes %L1&ndash;%L2: <tt>%3</tt>")
                   .arg(s.byteBegin)
                   .arg(s.byteEnd - 1)
                   .arg(textOf(*model_, s.byteBegin, s.byteEnd));
    else
        tip += "<br>covers no byte (padding or termination bits)";
    if (model_->tokenSplitsCharacter(size_t(i))) tip += "<br><b>splits a multi-byte UTF-8 character</b>";
    return tip;
}

bool TokenStrip::viewportEvent(QEvent* e) {
    if (showTooltip(e, viewport(), [this](QPoint p) { return tooltipAt(p); })) return true;
    // The mouse left the tokens: the hovered one lets go, the selection stays.
    if (e->type() == QEvent::Leave) model_->clearHover();
    return QAbstractScrollArea::viewportEvent(e);
}

void TokenStrip::mouseMoveEvent(QMouseEvent* e) {
    const int64_t i = tokenAt(e->position().toPoint());
    if (i < 0)
        model_->clearHover();
    else if (i != model_->hoveredToken())
        model_->highlightToken(i);
}

void TokenStrip::mousePressEvent(QMouseEvent* e) {
    const int64_t i = tokenAt(e->position().toPoint());
    if (i >= 0) model_->selectToken(i);
}

void TokenStrip::leaveEvent(QEvent* e) {
    model_->clearHover();
    QAbstractScrollArea::leaveEvent(e);
}

}  // namespace eqlab::ui
