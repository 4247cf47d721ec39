#include "studies/uniformity_page.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QFormLayout>
#include <QSpinBox>

#include "analysis/paper_figures.h"
#include "studies/study_widgets.h"
#include "theme.h"

namespace eqlab::ui {

namespace {
constexpr double kLogFloor = 1e-6;  // bits: KL values below this are drawn at it (a log axis has no 0)
constexpr int kFindingN = 8;        // eqlab's finding compares the streams at byte-sized n-grams

QString kl(double v) {
    return QString::number(v, 'g', 4);
}
}  // namespace

UniformityPage::UniformityPage(QWidget* parent)
    : StudyPage("uniformity", "Uniformity (KL)", kPaperUniformityNote, parent) {
    const UniformityOptions defaults;
    maxN_ = new QSpinBox;
    maxN_->setRange(1, kMaxNgramBits);
    maxN_->setValue(defaults.maxN);
    maxN_->setToolTip(QString("Bit n-grams for n = 1 .. this (%1 at most: %L2 values).")
                          .arg(kMaxNgramBits)
                          .arg(uint64_t(1) << kMaxNgramBits));
    partitions_ = new QSpinBox;
    partitions_->setRange(1, kMaxPartitions);
    partitions_->setValue(defaults.partitions);
    partitions_->setToolTip(
        "Each stream is cut into this many disjoint parts; the band spans their 5th-95th percentile (1: no "
        "band).");
    seed_ = new QSpinBox;
    seed_->setRange(0, 1 << 30);
    seed_->setValue(int(defaults.seed));
    seed_->setToolTip("Seed of the random bytes measured as the reference.");
    methods_ = new MethodChecks;
    bands_ = new QCheckBox("5th-95th percentile bands");
    bands_->setChecked(true);
    bands_->setToolTip("Shade each line's spread over the partitions of its stream.");
    form()->addRow("n up to", maxN_);
    form()->addRow("partitions", partitions_);
    form()->addRow("random seed", seed_);
    form()->addRow("methods", methods_);
    form()->addRow("chart", bands_);
    connect(bands_, &QCheckBox::toggled, this, &UniformityPage::redraw);
    // The legend beside the chart: the lines fill the plot's every corner.
    QCustomPlot* p = plot();
    p->axisRect()->insetLayout()->take(p->legend);
    auto* side = new QCPLayoutGrid;  // the legend on top, an empty cell below taking the height
    p->plotLayout()->addElement(0, 1, side);
    p->plotLayout()->setColumnStretchFactor(1, 0.001);
    side->addElement(0, 0, p->legend);
    side->addElement(1, 0, new QCPLayoutElement(p));
    side->setRowStretchFactor(0, 0.001);
    p->legend->setVisible(true);
    p->xAxis->setTicker(QSharedPointer<QCPAxisTickerFixed>::create());
    qSharedPointerCast<QCPAxisTickerFixed>(p->xAxis->ticker())->setTickStep(1);
    p->yAxis->setScaleType(QCPAxis::stLogarithmic);
    p->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog));
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
        [this, name = input.textName](std::shared_ptr<const Uniformity> r) { return show(std::move(r), name); });
}

QString UniformityPage::show(std::shared_ptr<const Uniformity> result, const QString& textName) {
    result_ = std::move(result);
    const Uniformity& r = *result_;
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
    // eqlab's finding: which streams stay within random bytes' band at byte-sized n-grams.
    const int n = std::min(kFindingN, maxN);
    QStringList nearRandom, further;
    if (int(r.random.ngramKl.size()) >= n)
        for (const UniformityMethod& m : r.methods)
            if (int(m.ngramKl.size()) >= n)
                (m.ngramKl[size_t(n - 1)].kl <= r.random.ngramKl[size_t(n - 1)].p95 ? nearRandom : further)
                    << QString::fromStdString(m.method).toHtmlEscaped();
    QString finding = QString("at n = %1, ").arg(n);
    if (!nearRandom.isEmpty())
        finding += nearRandom.join(", ") + (nearRandom.size() == 1 ? " is" : " are") +
                   " as close to uniform as random bytes (within their 95th percentile)";
    if (!nearRandom.isEmpty() && !further.isEmpty()) finding += "; ";
    if (!further.isEmpty()) finding += further.join(", ") + (further.size() == 1 ? " keeps" : " keep") + " structure";
    setFinding(finding + ".");
    return QString("Analysed %1 of %2.").arg(QString::fromStdString(r.scope.describe()), textName.toHtmlEscaped());
}

void UniformityPage::redraw() {
    QCustomPlot* p = plot();
    const Theme& th = Theme::current();
    p->clearPlottables();
    std::vector<const UniformityMethod*> all;
    if (result_) {
        for (const UniformityMethod& m : result_->methods) all.push_back(&m);
        all.push_back(&result_->random);
    }
    // The y range: from a little below the smallest value measured to above the largest; zeros
    // (and values below the range) are drawn on its floor, as a log axis has no 0.
    double maxY = 1e-3, minY = 1, maxX = kMaxNgramBits;
    for (const UniformityMethod* m : all) {
        maxX = std::max(maxX, double(m->ngramKl.size()));
        for (const KlEstimate& e : m->ngramKl) {
            maxY = std::max({maxY, e.kl, e.p95});
            for (double v : {e.kl, e.p5})
                if (v > 0) minY = std::min(minY, v);
        }
    }
    const double floor = std::max(kLogFloor, std::min(minY, maxY) / 3);
    auto add = [&](const UniformityMethod& m, const QColor& colour, bool reference) {
        QVector<double> xs, ys, lo, hi;
        for (const KlEstimate& e : m.ngramKl) {
            xs << e.n;
            ys << std::max(e.kl, floor);
            lo << std::max(e.p5, floor);
            hi << std::max(e.p95, floor);
        }
        QColor band = colour;
        band.setAlpha(reference ? 40 : 22);
        QCPGraph* low = p->addGraph();
        low->setPen(Qt::NoPen);
        low->setData(xs, lo, true);
        low->removeFromLegend();
        QCPGraph* high = p->addGraph();
        high->setPen(Qt::NoPen);
        high->setBrush(bands_->isChecked() ? QBrush(band) : QBrush(Qt::NoBrush));
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
            token->setData({double(m.tokenKl.n)}, {std::max(m.tokenKl.kl, floor)});
        }
    };
    for (size_t i = 0; i + 1 < all.size(); ++i) add(*all[i], Theme::series(int(i)), false);
    if (!all.empty()) add(*all.back(), th.foreground, true);
    p->xAxis->setLabel("n (bits per n-gram); diamonds: the method's k-bit tokens");
    p->yAxis->setLabel("KL from uniform (bits, log scale)");
    p->xAxis->setRange(0.5, maxX + 0.5);
    p->yAxis->setRange(floor, maxY * 3);
    p->legend->setVisible(p->graphCount() > 0);
    th.stylePlot(p);
}

}  // namespace eqlab::ui
