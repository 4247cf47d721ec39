#include "bit_chart.h"

#include <qcustomplot.h>

#include <QLabel>
#include <QMouseEvent>
#include <QVBoxLayout>

#include "base/text.h"
#include "theme.h"
#include "window_inspector.h"
#include "zoom.h"

namespace eqlab::ui {

namespace {
constexpr double kVisibleSegments = 60;          // windows shown at first; drag and wheel to see more
constexpr double kProfileBytesPerSegment = 256;  // above this mean, the upper chart is the surprisal profile
constexpr int kProfileBins = 600;                // points of the profile line at most
constexpr size_t kLabelledSegments = 4;          // up to this many segments carry their sizes as labels
constexpr size_t kMaxBoundaryLines = 2000;       // boundaries drawn in the profile at most
constexpr int kClickSlop = 3;                    // pixels a click may move and still be a click

// Ticks at whole numbers only: segments are counted.
QSharedPointer<QCPAxisTicker> integerTicker() {
    QSharedPointer<QCPAxisTickerFixed> t(new QCPAxisTickerFixed);
    t->setTickStep(1);
    t->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    return t;
}
}  // namespace

BitChart::BitChart(TraceModel* model, QWidget* parent) : QWidget(parent), model_(model) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    plot_ = new QCustomPlot;
    plot_->setObjectName("bitChart");
    Zoom::scaleBounds(plot_, {0, 220});
    layout->addWidget(plot_);
    empty_ = new QLabel;
    empty_->setObjectName("bitChartEmpty");
    empty_->setAlignment(Qt::AlignCenter);
    empty_->setWordWrap(true);
    empty_->setMinimumHeight(220);
    empty_->hide();
    layout->addWidget(empty_);
    plot_->installEventFilter(this);  // the tooltip names the window under the pointer
    plot_->setWhatsThis(
        "Bars above: bytes each window holds. Line: bits the model spent on each byte. Below: bits each "
        "window uses for information (solid) and pads with (grey). Click a bar to select its window; "
        "drag or scroll to move along the text. For long chunks or blocks the upper chart is the "
        "surprisal along the text instead.");

    plot_->plotLayout()->clear();
    top_ = new QCPAxisRect(plot_);
    bottom_ = new QCPAxisRect(plot_);
    plot_->plotLayout()->addElement(0, 0, top_);
    plot_->plotLayout()->addElement(1, 0, bottom_);
    auto* margins = new QCPMarginGroup(plot_);
    top_->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    bottom_->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    top_->axis(QCPAxis::atRight)->setVisible(true);
    top_->axis(QCPAxis::atBottom)->setTickLabels(false);
    // One x axis for both charts, except in the profile (bytes above, segments below).
    connect(top_->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            [this](const QCPRange& r) {
                if (!profile_) bottom_->axis(QCPAxis::atBottom)->setRange(r);
            });
    connect(bottom_->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            [this](const QCPRange& r) {
                if (!profile_) top_->axis(QCPAxis::atBottom)->setRange(r);
            });
    for (QCPAxisRect* r : {top_, bottom_}) {
        r->axis(QCPAxis::atLeft)->ticker()->setTickCount(4);
        r->axis(QCPAxis::atRight)->ticker()->setTickCount(4);
        r->setRangeDrag(Qt::Horizontal);
        r->setRangeZoom(Qt::Horizontal);
        for (QCPAxis* a : r->axes()) a->setLayer("axes");
    }
    // No iSelectPlottables: the chart never selects on its own; it shows TraceModel's selection.
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    bottom_->axis(QCPAxis::atBottom)->setTicker(integerTicker());
    bottom_->axis(QCPAxis::atBottom)->setSubTicks(false);
    top_->axis(QCPAxis::atLeft)->setLabel("bytes");
    top_->axis(QCPAxis::atRight)->setLabel("bits per byte");
    bottom_->axis(QCPAxis::atLeft)->setLabel("bits");
    bottom_->axis(QCPAxis::atBottom)->setLabel("window");

    bytes_ = new QCPBars(top_->axis(QCPAxis::atBottom), top_->axis(QCPAxis::atLeft));
    bytes_->setName("bytes per window");
    surprisal_ = new QCPGraph(top_->axis(QCPAxis::atBottom), top_->axis(QCPAxis::atRight));
    surprisal_->setName("surprisal (bits/byte)");
    used_ = new QCPBars(bottom_->axis(QCPAxis::atBottom), bottom_->axis(QCPAxis::atLeft));
    used_->setName("bits used");
    padding_ = new QCPBars(bottom_->axis(QCPAxis::atBottom), bottom_->axis(QCPAxis::atLeft));
    padding_->setName("padding bits");
    padding_->moveAbove(used_);
    for (QCPBars* b : {bytes_, used_, padding_}) {
        b->setWidth(0.8);
        b->setSelectable(QCP::stSingleData);  // lets setSelection() draw the selected bar
    }
    surprisal_->setSelectable(QCP::stNone);

    auto* legend = new QCPLegend;
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(0, 0, legend);
    plot_->plotLayout()->setRowStretchFactor(0, 0.001);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(4);
    legend->setLayer("legend");
    plot_->legend = legend;
    legend->setVisible(true);
    for (QCPAbstractPlottable* pl : std::initializer_list<QCPAbstractPlottable*>{bytes_, surprisal_, used_, padding_})
        pl->addToLegend(legend);
    QFont lf = font();
    lf.setPointSizeF(lf.pointSizeF() * 0.85);
    legend->setFont(lf);

    // Clicks are read here rather than through plottableClick, which names
    // whatever lies on top (often the surprisal line, not the bar).
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) { pressAt_ = e->pos(); });
    connect(plot_, &QCustomPlot::mouseRelease, this, [this](QMouseEvent* e) {
        if (e->button() == Qt::LeftButton && (e->pos() - pressAt_).manhattanLength() <= kClickSlop) clickAt(e->pos());
    });
    connect(model_, &TraceModel::resultChanged, this, &BitChart::rebuild);
    connect(model_, &TraceModel::highlightChanged, this, &BitChart::showSelection);
    restyle();
    rebuild();
}

int BitChart::barCount() const {
    return bytes_->data()->size();
}

void BitChart::restyle() {
    const Theme& t = Theme::current();
    QColor bytesColour = t.used;
    bytesColour.setAlpha(150);
    bytes_->setBrush(bytesColour);
    bytes_->setPen(Qt::NoPen);
    used_->setBrush(t.used);
    used_->setPen(Qt::NoPen);
    padding_->setBrush(QBrush(t.padding, Qt::SolidPattern));
    padding_->setPen(Qt::NoPen);
    QPen line(t.accent);
    line.setWidthF(1.2);
    surprisal_->setPen(line);
    for (QCPBars* b : {bytes_, used_, padding_}) {
        QCPSelectionDecorator* d = new QCPSelectionDecorator;
        d->setBrush(t.selection);
        d->setPen(QPen(t.selection));
        b->setSelectionDecorator(d);
    }
    t.stylePlot(plot_);  // last: it scales the pens set above to the zoom
}

QString BitChart::emptyText() const {
    return plot_->isHidden() ? empty_->text() : QString();
}

int64_t BitChart::segmentAt(QPoint pos) const {
    const Trace* t = model_->trace();
    if (!t || t->segments.empty()) return -1;
    if (profile_ && top_->rect().contains(pos)) {
        const double byte = top_->axis(QCPAxis::atBottom)->pixelToCoord(pos.x());
        return byte >= 0 && byte < double(t->segmentOfByte.size()) ? model_->segmentOfByte(uint64_t(byte)) : -1;
    }
    QCPAxisRect* rect = top_->rect().contains(pos) ? top_ : bottom_->rect().contains(pos) ? bottom_ : nullptr;
    if (!rect) return -1;
    // The window whose column (its bar's width) holds the point.
    const double x = rect->axis(QCPAxis::atBottom)->pixelToCoord(pos.x());
    const double i = std::round(x);
    if (std::abs(x - i) > bytes_->width() / 2 || i < 0 || i >= double(t->segments.size())) return -1;
    return int64_t(i);
}

void BitChart::clickAt(QPoint pos) {
    const int64_t i = segmentAt(pos);
    if (i >= 0) model_->selectSegment(i);
}

QString BitChart::tooltipAt(QPoint pos) const {
    const int64_t i = segmentAt(pos);
    if (i < 0) return plot_->whatsThis();
    const Trace& t = *model_->trace();
    const Segment& s = t.segments[size_t(i)];
    QString kind = QString::fromStdString(t.segmentKind);
    if (!kind.isEmpty()) kind[0] = kind[0].toUpper();
    const uint64_t n = s.byteEnd - s.byteBegin;
    QString text = QString::fromStdString(escapeText(model_->bytes().data() + s.byteBegin, size_t(n)));
    if (text.size() > 60) text = text.left(60) + "...";
    QString tip =
        QString(
            "<b>%1 %L2</b>: bytes %L3&ndash;%L4 (%L5 bytes)<br><tt>&ldquo;%6&rdquo;</tt><br>%L7 bits used + %L8 "
            "padding = %L9 bits")
            .arg(kind)
            .arg(i)
            .arg(s.byteBegin)
            .arg(s.byteEnd - 1)
            .arg(n)
            .arg(text.toHtmlEscaped())
            .arg(s.bitsUsed)
            .arg(s.paddingBits())
            .arg(s.bitsTotal);
    if (!t.surprisalBits.empty()) {
        double sum = 0;
        for (uint64_t b = s.byteBegin; b < s.byteEnd; ++b) sum += double(t.surprisalBits[b]);
        tip += QString("; surprisal %1 bits/byte").arg(sum / double(n), 0, 'f', 2);
    }
    return tip + "<br>" + whyClosed(*model_, size_t(i)).toHtmlEscaped() + "<br><i>Click to select it.</i>";
}

bool BitChart::eventFilter(QObject* watched, QEvent* event) {
    if (watched == plot_ && showTooltip(event, plot_, [this](QPoint p) { return tooltipAt(p); })) return true;
    return QWidget::eventFilter(watched, event);
}

void BitChart::rebuild() {
    plot_->clearItems();
    band_ = nullptr;
    const Trace* t = model_->trace();
    const size_t n = t ? t->segments.size() : 0;
    const QString kind = t && !t->segmentKind.empty() ? QString::fromStdString(t->segmentKind) : QString("segment");
    const bool none = n == 0;
    if (!t)
        empty_->setText("<i>No analysis yet.</i>");
    else if (none)
        empty_->setText(
            QString("<b>%1</b> has no windows, chunks or blocks: its tokens are %2, so there are no "
                    "bits to allocate between segments. The token strip above shows them.")
                .arg(QString::fromStdString(methodName(model_->result()->encoded.params.method)),
                     model_->hasBitstream() ? QString("the input's bytes as they are") : QString("pieces of text")));
    plot_->setVisible(!none);
    empty_->setVisible(none);
    const uint64_t inputBytes = t ? t->segmentOfByte.size() : 0;
    const bool hasSurprisal = t && !t->surprisalBits.empty();
    profile_ = hasSurprisal && n > 0 && double(inputBytes) / double(n) > kProfileBytesPerSegment;

    QVector<double> keys, bytes, used, padding, sx, sy;
    keys.reserve(qsizetype(n));
    for (size_t i = 0; i < n; ++i) {
        const Segment& s = t->segments[i];
        keys.push_back(double(i));
        bytes.push_back(double(s.byteEnd - s.byteBegin));
        used.push_back(double(s.bitsUsed));
        padding.push_back(double(s.paddingBits()));
    }
    uint64_t bin = 1;
    if (t && !t->surprisalBits.empty() && n > 0) {
        const auto& sb = t->surprisalBits;
        if (profile_) {
            // The mean surprisal of each bin of bytes, at the bin's middle.
            bin = std::max<uint64_t>(1, (sb.size() + kProfileBins - 1) / kProfileBins);
            for (uint64_t b0 = 0; b0 < sb.size(); b0 += bin) {
                const uint64_t b1 = std::min<uint64_t>(sb.size(), b0 + bin);
                double sum = 0;
                for (uint64_t b = b0; b < b1; ++b) sum += double(sb[b]);
                sx.push_back(double(b0 + b1) / 2);
                sy.push_back(sum / double(b1 - b0));
            }
        } else {
            sx.reserve(qsizetype(sb.size()));
            for (size_t b = 0; b < sb.size(); ++b) {
                const Segment& s = t->segments[t->segmentOfByte[b]];
                const double frac = double(b - s.byteBegin) / double(std::max<uint64_t>(1, s.byteEnd - s.byteBegin));
                sx.push_back(double(t->segmentOfByte[b]) - 0.4 + 0.8 * frac);
                sy.push_back(double(sb[b]));
            }
        }
    }
    bytes_->setData(profile_ ? QVector<double>() : keys, profile_ ? QVector<double>() : bytes, true);
    used_->setData(keys, used, true);
    padding_->setData(keys, padding, true);
    surprisal_->setData(sx, sy, true);

    // The legend and the axes name the same kind of segment.
    bytes_->setName("bytes per " + kind);
    surprisal_->setName(bin > 1 ? QString("surprisal (bits/byte, mean of %L1 bytes)").arg(bin)
                                : QString("surprisal (bits/byte)"));
    // Legend entries for what is drawn only, in a fixed order.
    for (QCPAbstractPlottable* pl : std::initializer_list<QCPAbstractPlottable*>{bytes_, surprisal_, used_, padding_})
        pl->removeFromLegend();
    if (!profile_) bytes_->addToLegend();
    if (hasSurprisal) surprisal_->addToLegend();
    used_->addToLegend();
    padding_->addToLegend();
    top_->axis(QCPAxis::atRight)->setVisible(hasSurprisal);
    used_->setName("bits used per " + kind);
    padding_->setName("padding bits per " + kind);

    QCPAxis* topX = top_->axis(QCPAxis::atBottom);
    QCPAxis* bottomX = bottom_->axis(QCPAxis::atBottom);
    const double visible = std::min<double>(kVisibleSegments, std::max<double>(1, double(n)));
    const QString count = segmentCount(n, kind.toStdString());
    bottomX->setLabel(n > size_t(kVisibleSegments) ? QString("%1 (%2; drag or scroll)").arg(kind, count)
                                                   : QString("%1 (%2)").arg(kind, count));
    top_->axis(QCPAxis::atLeft)->setVisible(!profile_);
    top_->axis(QCPAxis::atLeft)->setLabel("bytes per " + kind);
    if (profile_) {
        topX->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        topX->setSubTicks(true);
        topX->setTickLabels(true);
        topX->setLabel("byte of the text");
        topX->setRange(0, double(std::max<uint64_t>(1, inputBytes)));
        bottomX->setRange(-0.6, visible - 0.4);
    } else {
        topX->setTicker(integerTicker());
        topX->setSubTicks(false);
        topX->setTickLabels(false);
        topX->setLabel(QString());
        topX->setRange(-0.6, visible - 0.4);
    }
    double maxBytes = 1, maxBits = 1, maxS = 1;
    for (double v : bytes) maxBytes = std::max(maxBytes, v);
    for (int i = 0; i < used.size(); ++i) maxBits = std::max(maxBits, used[i] + padding[i]);
    for (double v : sy) maxS = std::max(maxS, v);
    top_->axis(QCPAxis::atLeft)->setRange(0, maxBytes * 1.15);
    top_->axis(QCPAxis::atRight)->setRange(0, std::min(maxS, 24.0) * 1.05);
    bottom_->axis(QCPAxis::atLeft)->setRange(0, maxBits * (n <= kLabelledSegments ? 1.5 : 1.1));
    if (t && profile_) drawProfileItems(*t);
    // A few segments: each bar says what it holds.
    if (t && n > 0 && n <= kLabelledSegments) {
        for (size_t i = 0; i < n; ++i) {
            const Segment& s = t->segments[i];
            auto* label = new QCPItemText(plot_);
            label->setClipAxisRect(bottom_);
            label->position->setAxes(bottomX, bottom_->axis(QCPAxis::atLeft));
            label->position->setCoords(double(i), used[int(i)] + padding[int(i)]);
            label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
            label->setFont(plot_->legend->font());
            label->setText(
                QString("%L1 bytes\n%L2 + %L3 bits").arg(s.byteEnd - s.byteBegin).arg(s.bitsUsed).arg(s.paddingBits()));
            label->setColor(Theme::current().foreground);
            label->setLayer("legend");
        }
    }
    showSelection();
    plot_->replot();
}

void BitChart::drawProfileItems(const Trace& t) {
    const Theme& th = Theme::current();
    QCPAxis* x = top_->axis(QCPAxis::atBottom);
    QCPAxis* y = top_->axis(QCPAxis::atRight);
    // Segment boundaries along the text.
    for (size_t i = 1; i < t.segments.size() && i < kMaxBoundaryLines; ++i) {
        auto* line = new QCPItemStraightLine(plot_);
        line->setClipAxisRect(top_);
        line->point1->setAxes(x, y);
        line->point2->setAxes(x, y);
        line->point1->setCoords(double(t.segments[i].byteBegin), 0);
        line->point2->setCoords(double(t.segments[i].byteBegin), 1);
        line->setPen(QPen(th.boundary, 1, Qt::DashLine));
    }
    band_ = new QCPItemRect(plot_);
    band_->setClipAxisRect(top_);
    band_->topLeft->setAxes(x, y);
    band_->bottomRight->setAxes(x, y);
    for (QCPItemPosition* p : {band_->topLeft, band_->bottomRight}) {
        p->setAxisRect(top_);
        p->setTypeY(QCPItemPosition::ptAxisRectRatio);
    }
    QColor fill = th.selection;
    fill.setAlpha(60);
    band_->setBrush(fill);
    band_->setPen(Qt::NoPen);
    band_->setVisible(false);
}

void BitChart::showSelection() {
    const int64_t seg = model_->currentSegment();
    for (QCPBars* b : {bytes_, used_, padding_})
        b->setSelection(seg >= 0 && seg < b->data()->size() ? QCPDataSelection(QCPDataRange(int(seg), int(seg) + 1))
                                                            : QCPDataSelection());
    const Trace* t = model_->trace();
    if (band_) band_->setVisible(false);
    if (profile_ && band_ && t && seg >= 0 && size_t(seg) < t->segments.size()) {
        const Segment& s = t->segments[size_t(seg)];
        band_->topLeft->setCoords(double(s.byteBegin), 0);
        band_->bottomRight->setCoords(double(s.byteEnd), 1);
        band_->setVisible(true);
    }
    if (seg >= 0) {
        QCPAxis* x = bottom_->axis(QCPAxis::atBottom);
        if (double(seg) < x->range().lower || double(seg) > x->range().upper) {
            const double size = x->range().size();
            x->setRange(double(seg) - size / 3, double(seg) + 2 * size / 3);
        }
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace eqlab::ui
