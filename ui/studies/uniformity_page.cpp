#include "studies/uniformity_page.h"

#include <qcustomplot.h>

#include <QFormLayout>
#include <QSpinBox>

#include "analysis/paper_figures.h"
#include "studies/study_widgets.h"
#include "theme.h"

namespace eqlab::ui {

namespace {
constexpr double kLogFloor = 1e-6;  // bits: KL values below this are drawn at it (a log axis has no 0)
constexpr int kMaxPartitions = 1000;

QString kl(double v) {
    return QString::number(v, 'g', 4);
}
}  // namespace

UniformityPage::UniformityPage(QWidget* parent)
    : StudyPage("uniformity", "Uniformity (KL)", kPaperUniformityNote, parent) {
    const UniformityOptions defaults;
    maxN_ = new QSpinBox;
    maxN_->setRange(1, 16);
    maxN_->setValue(defaults.maxN);
    maxN_->setToolTip("Bit n-grams for n = 1 .. this (16 at most: 65,536 values).");
    partitions_ = new QSpinBox;
    partitions_->setRange(2, kMaxPartitions);
    partitions_->setValue(defaults.partitions);
    partitions_->setToolTip(
        "Each stream is cut into this many disjoint parts; the band spans their 5th-95th percentile.");
    seed_ = new QSpinBox;
    seed_->setRange(0, 1 << 30);
    seed_->setValue(int(defaults.seed));
    seed_->setToolTip("Seed of the random bytes measured as the reference.");
    methods_ = new MethodChecks;
    form()->addRow("n up to", maxN_);
    form()->addRow("partitions", partitions_);
    form()->addRow("random seed", seed_);
    form()->addRow("methods", methods_);
    redraw();  // empty axes, labelled, until the first run
}

void UniformityPage::startRun(const StudyInput& input) {
    UniformityOptions u;
    u.maxN = maxN_->value();
    u.partitions = partitions_->value();
    u.seed = uint64_t(seed_->value());
    u.methods = methods_->selected();
    start<Uniformity>(
        input.options,
        [text = input.text, u](const StudyOptions& o) { return runUniformity(text->data(), text->size(), u, o); },
        [this, name = input.textName](const Uniformity& r) { return show(r, name); });
}

QString UniformityPage::show(const Uniformity& r, const QString& textName) {
    result_ = std::make_shared<const Uniformity>(r);
    QStringList header{"method", "bits", "token KL", "k", "token p5", "token p95"};
    int maxN = 0;
    for (const UniformityMethod& m : r.methods) maxN = std::max(maxN, int(m.ngramKl.size()));
    for (int n = 1; n <= maxN; ++n) header << QString("n=%1").arg(n);
    std::vector<QStringList> rows;
    std::vector<const UniformityMethod*> all;
    for (const UniformityMethod& m : r.methods) all.push_back(&m);
    all.push_back(&r.random);
    for (const UniformityMethod* m : all) {
        QStringList row{QString::fromStdString(m->method), QString("%L1").arg(m->bits), kl(m->tokenKl.kl),
                        QString::number(m->tokenKl.n),     kl(m->tokenKl.p5),           kl(m->tokenKl.p95)};
        for (const KlEstimate& e : m->ngramKl) row << kl(e.kl);
        rows.push_back(row);
    }
    QStringList tips{"The method (random: seeded random bytes, as long as the longest stream).",
                     "Bits in the stream analysed.",
                     "KL from uniform of its non-overlapping k-bit tokens, in bits (Miller-Madow corrected).",
                     "Token bits.",
                     "5th percentile over the partitions.",
                     "95th percentile over the partitions."};
    for (int n = 1; n <= maxN; ++n) tips << QString("KL from uniform of overlapping %1-bit n-grams, in bits.").arg(n);
    fillTable(table(), header, rows, tips);
    // eqlab's finding: which streams stay within the random reference's band at the largest n.
    QStringList nearRandom;
    if (!r.random.ngramKl.empty())
        for (const UniformityMethod& m : r.methods)
            if (!m.ngramKl.empty() && m.ngramKl.back().kl <= r.random.ngramKl.back().p95)
                nearRandom << QString::fromStdString(m.method);
    setFinding(nearRandom.isEmpty()
                   ? QString("every method's stream is further from uniform than random bytes at n = %1.").arg(maxN)
                   : QString("at n = %1, %2 %3 as close to uniform as random bytes.")
                         .arg(maxN)
                         .arg(nearRandom.join(", ").toHtmlEscaped())
                         .arg(nearRandom.size() == 1 ? "is" : "are"));
    return QString("Analysed %1 of %2.").arg(QString::fromStdString(r.scope.describe()), textName.toHtmlEscaped());
}

void UniformityPage::redraw() {
    QCustomPlot* p = plot();
    const Theme& th = Theme::current();
    p->clearPlottables();
    p->legend->setVisible(true);
    p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    double maxY = 1, maxX = 16;
    auto add = [&](const UniformityMethod& m, const QColor& colour, bool reference) {
        QVector<double> xs, ys, lo, hi;
        for (const KlEstimate& e : m.ngramKl) {
            xs << e.n;
            ys << std::max(e.kl, kLogFloor);
            lo << std::max(e.p5, kLogFloor);
            hi << std::max(e.p95, kLogFloor);
            maxY = std::max(maxY, e.p95);
        }
        maxX = std::max(maxX, double(m.ngramKl.size()));
        QColor band = colour;
        band.setAlpha(reference ? 35 : 45);
        QCPGraph* low = p->addGraph();
        low->setPen(Qt::NoPen);
        low->setData(xs, lo, true);
        low->removeFromLegend();
        QCPGraph* high = p->addGraph();
        high->setPen(Qt::NoPen);
        high->setBrush(band);
        high->setChannelFillGraph(low);
        high->setData(xs, hi, true);
        high->removeFromLegend();
        QCPGraph* line = p->addGraph();
        line->setName(QString::fromStdString(m.method));
        line->setPen(QPen(colour, 2, reference ? Qt::DashLine : Qt::SolidLine));
        line->setData(xs, ys, true);
        if (!reference) {
            QCPGraph* token = p->addGraph();
            token->removeFromLegend();
            token->setLineStyle(QCPGraph::lsNone);
            token->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(colour, 2), Qt::NoBrush, 10));
            token->setData({double(m.tokenKl.n)}, {std::max(m.tokenKl.kl, kLogFloor)});
        }
    };
    if (result_) {
        for (size_t i = 0; i < result_->methods.size(); ++i) add(result_->methods[i], Theme::series(int(i)), false);
        add(result_->random, th.foreground, true);
    }
    p->xAxis->setLabel("n (bits per n-gram); diamonds: the method's k-bit tokens");
    p->yAxis->setLabel("KL from uniform (bits, log scale)");
    p->yAxis->setScaleType(QCPAxis::stLogarithmic);
    p->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog));
    p->xAxis->setRange(0.5, maxX + 0.5);
    p->yAxis->setRange(kLogFloor, maxY * 2);
    th.stylePlot(p);
}

}  // namespace eqlab::ui
