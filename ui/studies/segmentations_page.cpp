#include "studies/segmentations_page.h"

#include <qcustomplot.h>

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QSpinBox>

#include "studies/segmentation_strip.h"
#include "theme.h"

namespace eqlab::ui {

namespace {
constexpr int kRerunMs = 400;              // quiet time after the b slider moves before the study re-runs
constexpr int kBitsStep = 8;               // the b slider moves in whole bytes (k = 8)
constexpr int kMaxSliderBits = 128;        // its upper end
constexpr int kThresholdSteps = 10;        // slider steps per bit of entropy
constexpr int kMaxHistogramBytes = 40;     // longer segments are counted at this length ("40+")
constexpr uint64_t kMaxFixedBytes = 4096;  // the fixed chunk size's upper end

}  // namespace

SegmentationsPage::SegmentationsPage(QWidget* parent)
    : StudyPage("segmentations", "Segmentations",
                "Equal-Info windows cut where the coded bits run out; the Byte Latent Transformer's entropy patches "
                "cut where M1 is unsure of the next byte (or grows less sure); SentencePiece cuts at learned pieces; "
                "fixed chunks ignore the text.",
                parent) {
    const SegmentationsOptions defaults;
    auto sliderRow = [this](QSlider* s, QLabel* label) {
        auto* row = new QHBoxLayout;
        row->addWidget(s, 1);
        label->setMinimumWidth(70);
        row->addWidget(label);
        return row;
    };
    windowBits_ = new QSlider(Qt::Horizontal);
    windowBits_->setObjectName("windowBits");
    windowBits_->setRange(kMinWindowBits / kBitsStep, kMaxSliderBits / kBitsStep);
    windowBits_->setValue(defaults.windowBits / kBitsStep);
    windowBits_->setToolTip("b: bits per Equal-Info window (k = 8). Moving it cuts the windows again.");
    windowBitsLabel_ = new QLabel;
    threshold_ = new QSlider(Qt::Horizontal);
    threshold_->setObjectName("entropyThreshold");
    threshold_->setRange(0, int(kMaxEntropyThreshold) * kThresholdSteps);
    threshold_->setValue(int(std::lround(defaults.entropyThreshold * kThresholdSteps)));
    threshold_->setToolTip("A patch starts where M1's next-byte entropy exceeds this (bits). Redrawn at once.");
    thresholdLabel_ = new QLabel;
    rise_ = new QSlider(Qt::Horizontal);
    rise_->setObjectName("entropyRise");
    rise_->setRange(0, int(kMaxEntropyThreshold) * kThresholdSteps);
    rise_->setValue(int(std::lround(defaults.monotonicThreshold * kThresholdSteps)));
    rise_->setToolTip(
        "Monotonic patches: one starts where the entropy rises by more than this over the previous "
        "byte's. Redrawn at once.");
    riseLabel_ = new QLabel;
    fixedBytes_ = new QSpinBox;
    fixedBytes_->setRange(1, int(kMaxFixedBytes));
    fixedBytes_->setValue(int(defaults.fixedBytes));
    fixedBytes_->setSuffix(" bytes");
    fixedBytes_->setToolTip("The fixed chunks' length. Redrawn at once.");
    form()->addRow("b (window bits)", sliderRow(windowBits_, windowBitsLabel_));
    form()->addRow("entropy threshold", sliderRow(threshold_, thresholdLabel_));
    form()->addRow("entropy rise", sliderRow(rise_, riseLabel_));
    form()->addRow("fixed chunks", fixedBytes_);

    strip_ = new SegmentationStrip;
    strip_->setObjectName("segmentationStrip");
    addAboveChart(strip_);
    setChartShare(2, 1);  // the strip and the histogram; the table has a row per segmentation

    rerun_.setSingleShot(true);
    rerun_.setInterval(kRerunMs);
    connect(&rerun_, &QTimer::timeout, this, &SegmentationsPage::recutWindows);
    connect(windowBits_, &QSlider::valueChanged, this, [this] {
        updateLabels();
        rerun_.start();
    });
    for (QSlider* s : {threshold_, rise_})
        connect(s, &QSlider::valueChanged, this, [this] {
            updateLabels();
            recomputeLiveRows();
        });
    connect(fixedBytes_, &QSpinBox::valueChanged, this, &SegmentationsPage::recomputeLiveRows);
    updateLabels();
    redraw();  // empty axes, labelled, until the first run
}

double SegmentationsPage::thresholdBits() const {
    return double(threshold_->value()) / kThresholdSteps;
}

double SegmentationsPage::riseBits() const {
    return double(rise_->value()) / kThresholdSteps;
}

void SegmentationsPage::updateLabels() {
    windowBitsLabel_->setText(QString("%1 bits").arg(windowBits_->value() * kBitsStep));
    thresholdLabel_->setText(QString("%1 bits").arg(thresholdBits(), 0, 'f', 1));
    riseLabel_->setText(QString("%1 bits").arg(riseBits(), 0, 'f', 1));
}

void SegmentationsPage::startRun(const StudyInput& input) {
    rerun_.stop();
    SegmentationsOptions seg;
    seg.windowBits = windowBits_->value() * kBitsStep;
    seg.entropyThreshold = thresholdBits();
    seg.monotonicThreshold = riseBits();
    seg.fixedBytes = uint64_t(fixedBytes_->value());
    running_ = Job::Run;
    start<Segmentations>(
        input.options,
        [text = input.text, seg](const StudyOptions& o) {
            return runSegmentations(text->data(), text->size(), seg, o);
        },
        [this, input](std::shared_ptr<const Segmentations> r) { return show(std::move(r), input); });
}

QString SegmentationsPage::show(std::shared_ptr<const Segmentations> result, const StudyInput& input) {
    result_ = std::move(result);
    const Segmentations& r = *result_;
    resultInput_ = input;
    strip_->setText(input.text, r.scope.analysedBytes);
    rows_ = r.rows;
    recomputeLiveRows();
    return QString("Analysed %1 of %2 with %3.")
        .arg(QString::fromStdString(r.scope.describe()), input.textName.toHtmlEscaped(),
             QString::fromStdString(r.modelName).toHtmlEscaped());
}

void SegmentationsPage::recutWindows() {
    // Nothing to re-cut yet, or a whole run on its way (with the b it started with): a whole run with this b.
    // A re-cut in flight is superseded by this one.
    if (!result_ || (busy() && running_ == Job::Run)) return run();
    const int b = windowBits_->value() * kBitsStep;
    running_ = Job::Recut;
    const uint64_t size = result_->scope.analysedBytes;
    start<SegmentationRow>(
        resultInput_.options,
        [text = resultInput_.text, size, b](const StudyOptions& o) {
            const ModelSet models = studyModels(Method::EqualInfoAc, o);
            return equalInfoRow(text->data(), size_t(size), b, models, o.clampedThreads(), o.progress);
        },
        [this, b](std::shared_ptr<const SegmentationRow> row) { return showWindows(*row, b); });
}

QString SegmentationsPage::showWindows(const SegmentationRow& row, int windowBits) {
    for (SegmentationRow& r : rows_)
        if (r.kind == SegmentationKind::EqualInfo) r = row;
    recomputeLiveRows();
    return QString("Equal-Info windows cut again at b = %1 over the same %2 of %3.")
        .arg(windowBits)
        .arg(QString::fromStdString(result_->scope.describe()), resultInput_.textName.toHtmlEscaped());
}

void SegmentationsPage::recomputeLiveRows() {
    if (!result_) return;
    const uint64_t size = result_->scope.analysedBytes;
    for (SegmentationRow& row : rows_) {
        if (row.kind == SegmentationKind::Entropy)
            row = entropyRow(result_->entropy, thresholdBits(), /*monotonic=*/false);
        else if (row.kind == SegmentationKind::EntropyRise)
            row = entropyRow(result_->entropy, riseBits(), /*monotonic=*/true);
        else if (row.kind == SegmentationKind::Fixed)
            row = segmentationRow(SegmentationKind::Fixed, QString("fixed %1").arg(fixedBytes_->value()).toStdString(),
                                  fixedChunkStarts(size, uint64_t(fixedBytes_->value())), size);
    }
    strip_->setRows(rows_);
    strip_->setEntropy(result_->entropy, thresholdBits());
    std::vector<QStringList> table;
    for (const SegmentationRow& row : rows_)
        table.push_back({QString::fromStdString(row.name), QString("%L1").arg(row.starts.size()),
                         fixed(row.meanBytes, 2), QString::number(row.shortestBytes),
                         QString::number(row.longestBytes)});
    fillTable(this->table(), {"segmentation", "segments", "mean bytes", "shortest", "longest"}, table,
              {"How the text is cut.", "Segments over the analysed bytes.", "Mean bytes per segment.",
               "The shortest segment (bytes).", "The longest segment (bytes)."});
    QStringList finding;
    for (const SegmentationRow& row : rows_)
        finding << QString("%1 %2").arg(QString::fromStdString(row.name).toHtmlEscaped()).arg(row.meanBytes, 0, 'f', 2);
    setFinding("mean bytes per segment: " + finding.join(", ") + ".");
    redraw();
}

void SegmentationsPage::redraw() {
    QCustomPlot* p = plot();
    p->clearPlottables();
    p->legend->setVisible(true);
    p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    double maxY = 0.1;
    int maxLength = 8;
    for (size_t r = 0; r < rows_.size(); ++r) {
        const SegmentationRow& row = rows_[r];
        std::vector<double> counts(kMaxHistogramBytes + 1, 0);
        double segments = 0;
        for (size_t n = 1; n < row.lengthHistogram.size(); ++n) {
            counts[std::min<size_t>(n, kMaxHistogramBytes)] += double(row.lengthHistogram[n]);
            segments += double(row.lengthHistogram[n]);
        }
        QVector<double> xs, ys;
        for (int n = 1; n <= kMaxHistogramBytes; ++n) {
            xs << n;
            ys << (segments > 0 ? counts[size_t(n)] / segments : 0.0);
            if (counts[size_t(n)] > 0) maxLength = std::max(maxLength, n);
            maxY = std::max(maxY, ys.back());
        }
        QCPGraph* g = p->addGraph();
        g->setName(QString::fromStdString(row.name));
        g->setPen(QPen(Theme::series(int(r)), 2));
        g->setLineStyle(QCPGraph::lsStepCenter);
        g->setData(xs, ys, true);
    }
    p->xAxis->setLabel(QString("segment length in bytes (%1: %1 or more)").arg(kMaxHistogramBytes));
    p->yAxis->setLabel("share of segments");
    p->xAxis->setRange(0.5, maxLength + 0.5);
    p->yAxis->setRange(0, std::min(1.05, maxY * 1.15));
    finishPlot(p);
}

}  // namespace eqlab::ui
