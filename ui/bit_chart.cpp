#include "bit_chart.h"

#include <qcustomplot.h>

#include <QVBoxLayout>

#include "theme.h"
#include "zoom.h"

namespace eqlab::ui {

namespace {
constexpr double kVisibleSegments = 60;  // windows shown at first; drag and wheel to see more
}

BitChart::BitChart(TraceModel* model, QWidget* parent) : QWidget(parent), model_(model) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    plot_ = new QCustomPlot;
    plot_->setObjectName("bitChart");
    Zoom::scaleBounds(plot_, {0, 220});
    layout->addWidget(plot_);
    plot_->setToolTip(
        "Bars above: bytes each window holds. Line: bits the model spent on each byte. Below: bits each "
        "window uses for information (solid) and pads with (grey). Click a bar to select its window; "
        "drag or scroll to move along the text.");

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
    connect(top_->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged),
            bottom_->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::setRange));
    connect(bottom_->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged),
            top_->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::setRange));
    for (QCPAxisRect* r : {top_, bottom_}) {
        r->axis(QCPAxis::atLeft)->ticker()->setTickCount(4);
        r->axis(QCPAxis::atRight)->ticker()->setTickCount(4);
        r->setRangeDrag(Qt::Horizontal);
        r->setRangeZoom(Qt::Horizontal);
        for (QCPAxis* a : r->axes()) a->setLayer("axes");
    }
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom | QCP::iSelectPlottables);
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
        b->setSelectable(QCP::stSingleData);
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

    connect(plot_, &QCustomPlot::plottableClick, this, [this](QCPAbstractPlottable* pl, int index, QMouseEvent*) {
        auto* bars = qobject_cast<QCPBars*>(pl);
        if (!bars || index < 0 || index >= bars->data()->size()) return;
        model_->selectSegment(int64_t(std::llround((bars->data()->begin() + index)->key)));
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

void BitChart::rebuild() {
    const Trace* t = model_->trace();
    QVector<double> keys, bytes, used, padding, sx, sy;
    if (t) {
        const size_t n = t->segments.size();
        keys.reserve(qsizetype(n));
        for (size_t i = 0; i < n; ++i) {
            const Segment& s = t->segments[i];
            keys.push_back(double(i));
            bytes.push_back(double(s.byteEnd - s.byteBegin));
            used.push_back(double(s.bitsUsed));
            padding.push_back(double(s.paddingBits()));
        }
        if (!t->surprisalBits.empty() && !t->segmentOfByte.empty()) {
            sx.reserve(qsizetype(t->surprisalBits.size()));
            for (size_t b = 0; b < t->surprisalBits.size(); ++b) {
                const Segment& s = t->segments[t->segmentOfByte[b]];
                const double frac = double(b - s.byteBegin) / double(std::max<uint64_t>(1, s.byteEnd - s.byteBegin));
                sx.push_back(double(t->segmentOfByte[b]) - 0.4 + 0.8 * frac);
                sy.push_back(double(t->surprisalBits[b]));
            }
        }
        const QString kind = t->segmentKind.empty() ? "segment" : QString::fromStdString(t->segmentKind);
        bottom_->axis(QCPAxis::atBottom)
            ->setLabel(kind +
                       (n ? QString(" (%L1 in all; drag or scroll)").arg(n) : QString(" (this method has none)")));
        top_->axis(QCPAxis::atLeft)->setLabel("bytes per " + kind);
    }
    bytes_->setData(keys, bytes, true);
    used_->setData(keys, used, true);
    padding_->setData(keys, padding, true);
    surprisal_->setData(sx, sy, true);
    top_->axis(QCPAxis::atBottom)
        ->setRange(-0.6, std::min<double>(kVisibleSegments, std::max<double>(1, keys.size())) - 0.4);
    double maxBytes = 1, maxBits = 1, maxS = 1;
    for (double v : bytes) maxBytes = std::max(maxBytes, v);
    for (int i = 0; i < used.size(); ++i) maxBits = std::max(maxBits, used[i] + padding[i]);
    for (double v : sy) maxS = std::max(maxS, v);
    top_->axis(QCPAxis::atLeft)->setRange(0, maxBytes * 1.15);
    top_->axis(QCPAxis::atRight)->setRange(0, std::min(maxS, 24.0) * 1.05);
    bottom_->axis(QCPAxis::atLeft)->setRange(0, maxBits * 1.1);
    plot_->replot();
}

void BitChart::showSelection() {
    const int64_t seg = model_->currentSegment();
    for (QCPBars* b : {bytes_, used_, padding_})
        b->setSelection(seg >= 0 && seg < b->data()->size() ? QCPDataSelection(QCPDataRange(int(seg), int(seg) + 1))
                                                            : QCPDataSelection());
    if (seg >= 0) {
        QCPAxis* x = top_->axis(QCPAxis::atBottom);
        if (double(seg) < x->range().lower || double(seg) > x->range().upper) {
            const double size = x->range().size();
            x->setRange(double(seg) - size / 3, double(seg) + 2 * size / 3);
        }
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace eqlab::ui
