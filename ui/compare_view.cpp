#include "compare_view.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>
#include <cmath>

#include "analysis/paper_figures.h"
#include "bar_chart.h"
#include "base/errors.h"
#include "export.h"
#include "methods/codec.h"
#include "methods/default_models.h"
#include "methods/work_costs.h"
#include "progress_text.h"
#include "theme.h"
#include "zoom.h"

namespace eqlab::ui {

namespace {

std::vector<CompareRow> plannedRows() {
    std::vector<CompareRow> rows;
    auto add = [&](Method m, int b) {
        CompareRow r;
        r.params.method = m;
        r.params.windowBits = b ? b : 16;
        r.params.tokenBits = 8;
        r.name =
            QString::fromStdString(methodName(m)) + (m == Method::EqualInfoAc ? QString(" b=%1").arg(b) : QString());
        if (const PaperFigure* f = paperFigure(m, b)) {
            r.paper = f->bytesPerToken256;
            r.paper65k = f->bytesPerToken65k;
        }
        r.has65k = m != Method::SentencePiece;
        rows.push_back(r);
    };
    add(Method::Bytes, 0);
    add(Method::SentencePiece, 0);
    add(Method::Gzip, 0);
    add(Method::StaticAc, 0);
    add(Method::Ac, 0);
    for (int b : {16, 32, 64, 128}) add(Method::EqualInfoAc, b);
    return rows;
}

QString num(double v, int decimals = 3) {
    return v > 0 ? QString::number(v, 'f', decimals) : QString("–");
}

constexpr char kWidestProgressText[] = "eqinfo-ac b=128 · loading M1 · 100% · about 10 min left";
constexpr int kProgressSteps = 1000;    // the progress bar's range
constexpr double kMessageScale = 1.25;  // the empty chart's message, against the chart's font

uint64_t fileSizeOf(const std::string& path) {
    return path.empty() ? 0 : uint64_t(std::max<qint64>(0, QFileInfo(QString::fromStdString(path)).size()));
}
constexpr int kMaxErrorChars = 60;  // an error shown in the table is cut here (its tooltip has it whole)

}  // namespace

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    header_ = new QLabel;
    header_->setWordWrap(true);
    runButton_ = new QPushButton("Run comparison");
    runButton_->setToolTip("Code the text with every method and the window sweep (F5 on this tab).");
    cancelButton_ = new QPushButton("Cancel");
    cancelButton_->setEnabled(false);
    progress_ = new QProgressBar;
    progress_->setObjectName("compareProgress");
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setFormat("not run yet");
    // Wide enough for "eqinfo-ac b=128 · 100% · about 10 s left" inside the bar.
    progress_->setMinimumWidth(progress_->fontMetrics().horizontalAdvance(kWidestProgressText) + 24);
    progress_->setToolTip("The method being coded, how much of the comparison is done, and the time left.");
    auto* exportCsv = new QPushButton("Export table...");
    auto* exportChart = new QPushButton("Export chart...");
    auto* copy = new QPushButton("Copy table");
    bar->addWidget(header_, 1);
    bar->addWidget(progress_);
    bar->addWidget(runButton_);
    bar->addWidget(cancelButton_);
    bar->addWidget(exportCsv);
    bar->addWidget(exportChart);
    bar->addWidget(copy);
    layout->addLayout(bar);

    table_ = new QTableWidget(0, 8);
    table_->setObjectName("compareTable");
    table_->setHorizontalHeaderLabels({"method", "bytes/token v=256", "bytes/token v=65,536", "bits/byte", "tokens",
                                       "time (s)", "paper v=256", "paper v=65,536"});
    const char* tips[] = {"The method; eqinfo-ac rows are the window sweep.",
                          "Input bytes per 8-bit token: the compression ratio. Higher is shorter.",
                          "Input bytes per 16-bit token.",
                          "Output bits (padding included) per input byte.",
                          "Tokens at v = 256.",
                          "Encode time on this machine.",
                          "The paper's figure (C4, 3M-parameter M1).",
                          "The paper's figure at v = 65,536."};
    for (int c = 0; c < 8; ++c) table_->horizontalHeaderItem(c)->setToolTip(tips[c]);
    // Every column as wide as its contents; none stretched across the table.
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(false);
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setAlternatingRowColors(true);
    layout->addWidget(table_, 2);

    plot_ = new QCustomPlot;
    plot_->setObjectName("compareChart");
    Zoom::scaleBounds(plot_, {0, 240});
    layout->addWidget(plot_, 3);

    connect(runButton_, &QPushButton::clicked, this, &CompareView::run);
    connect(cancelButton_, &QPushButton::clicked, this, &CompareView::cancel);
    connect(exportCsv, &QPushButton::clicked, this, [this] {
        exportWithDialog(this, "Export comparison", "eqlab-compare.csv", "CSV (*.csv);;JSON (*.json)",
                         [this](const QString& p) { saveTable(table_, p); });
    });
    connect(exportChart, &QPushButton::clicked, this, [this] {
        exportWithDialog(this, "Export chart", "eqlab-compare.png", "PNG (*.png);;PDF (*.pdf)",
                         [this](const QString& p) { savePlot(plot_, p); });
    });
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(tableTsv(table_)); });
    connect(&job_, &BackgroundJob::finished, this, &CompareView::finished);
    connect(&job_, &BackgroundJob::status, this, [this](double fraction, const QString& phase, double secondsLeft) {
        progress_->setValue(int(std::lround(kProgressSteps * fraction)));
        progress_->setFormat(progressText(phase, fraction, secondsLeft));
    });
    restyle();
}

void CompareView::setInput(std::vector<uint8_t> bytes, QString modelPath) {
    const uint64_t total = bytes.size();
    if (bytes.size() > kMaxBytes) bytes.resize(kMaxBytes);
    if (bytes != bytes_ || modelPath != modelPath_) inputCompared_ = false;
    bytes_ = std::move(bytes);
    modelPath_ = std::move(modelPath);
    header_->setText(total > kMaxBytes ? QString("Compares the first %L1 of %L2 bytes.").arg(kMaxBytes).arg(total)
                                       : QString("Compares all %L1 bytes of the text.").arg(total));
    runIfNotCompared();
}

void CompareView::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    runIfNotCompared();
}

void CompareView::runIfNotCompared() {
    if (isVisible() && !inputCompared_ && !bytes_.empty()) run();
}

void CompareView::cancel() {
    if (!job_.busy()) return;
    job_.cancel();
    cancelButton_->setEnabled(false);
    runButton_->setEnabled(true);
    inputCompared_ = false;  // shown again, the view starts over
    progress_->setFormat("cancelled");
    redrawChart();
}

void CompareView::cancelAndWait() {
    cancel();
    job_.cancelAndWait();
}

void CompareView::run() {
    cancel();
    rows_.clear();
    table_->setRowCount(0);
    inputCompared_ = true;
    runButton_->setEnabled(false);
    cancelButton_->setEnabled(true);
    const std::vector<CompareRow> planned = plannedRows();
    const int threads = std::max(1, QThread::idealThreadCount());
    // One phase per row, two for a row that loads M1, each weighted by its measured cost
    // (methods/work_costs.h): the M1 rows take nearly all the time.
    std::vector<ProgressPhase> phases;
    std::vector<size_t> codingPhase;  // planned row -> its coding phase
    std::vector<int> loadPhase;       // planned row -> the phase loading its M1, or -1
    for (const CompareRow& r : planned) {
        bool fallback = false;
        const std::string file = modelFileFor(r.params.method, modelPath_.toStdString(), &fallback);
        const bool m1 = (r.params.method == Method::Ac || r.params.method == Method::EqualInfoAc) && !fallback;
        const std::string load = loadPhaseName(r.params.method, m1);
        loadPhase.push_back(m1 ? int(phases.size()) : -1);
        if (m1) phases.push_back({r.name.toStdString() + " · " + load, modelLoadSeconds(fileSizeOf(file))});
        double perByte = 0;
        for (double c : codingCost(r.params, EncodeOptions{}, m1, threads).passes) perByte += c;
        codingPhase.push_back(phases.size());
        phases.push_back({r.name.toStdString(), perByte * double(bytes_.size())});
    }
    progress_->setRange(0, kProgressSteps);
    progress_->setValue(0);
    progress_->setFormat("starting");
    redrawChart();
    job_.start([this, planned, phases, codingPhase, loadPhase, threads, data = bytes_,
                modelPath = modelPath_](JobControl& control) {
        PhasedProgress plan(phases, control.statusFn());
        for (size_t i = 0; i < planned.size(); ++i) {
            CompareRow r = planned[i];
            if (control.cancelled()) break;
            try {
                if (loadPhase[i] >= 0) plan.begin(size_t(loadPhase[i]));
                QElapsedTimer timer;
                timer.start();
                const ModelSet models = loadModelsFor(r.params.method, modelPath.toStdString(), nullptr);
                plan.begin(codingPhase[i]);
                EncodeOptions o;
                o.threads = threads;
                o.trace = r.params.method == Method::Ac;  // its chunks give the 16-bit token count
                o.progress = plan.of(codingPhase[i]);
                const Encoded e = encode(data.data(), data.size(), r.params, models, o);
                o.progress = {};
                r.seconds = double(timer.nsecsElapsed()) * 1e-9;
                r.bytesPerToken = e.bytesPerToken();
                r.bitsPerByte = e.bitsPerByte();
                r.tokens = e.tokens.size();
                uint64_t tokens16 = 0;
                if (r.params.method == Method::EqualInfoAc) {
                    tokens16 = e.windows * uint64_t((r.params.windowBits + 15) / 16);
                } else if (r.params.method == Method::Ac) {
                    for (const Segment& s : e.trace.segments) tokens16 += (s.bitsUsed + 15) / 16;
                } else if (r.has65k) {
                    CodecParams p16 = r.params;
                    p16.tokenBits = 16;
                    tokens16 = encode(data.data(), data.size(), p16, models, o).tokens.size();
                }
                if (tokens16) r.bytesPerToken65k = double(data.size()) / double(tokens16);
            } catch (const Cancelled&) {
                break;
            } catch (const std::exception& ex) {
                r.error = QString::fromStdString(ex.what());
            }
            control.post([this, r] { addRow(r); });
        }
        if (!control.cancelled()) plan.finish();
        control.onEnd([this] {
            runButton_->setEnabled(true);
            cancelButton_->setEnabled(false);
            progress_->setValue(kProgressSteps);
            progress_->setFormat("done in " + durationText(double(clock_.elapsed()) / 1000.0));
        });
    });
    clock_.start();
}

void CompareView::addRow(const CompareRow& r) {
    rows_.push_back(r);
    const int row = table_->rowCount();
    table_->insertRow(row);
    auto item = [](const QString& s, bool right = true) {
        auto* it = new QTableWidgetItem(s);
        if (right) it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        return it;
    };
    table_->setItem(row, 0, item(r.name, false));
    if (!r.error.isEmpty()) {
        // Cut short and spread over the figures' columns, so that it widens none of them.
        const QString shown = r.error.size() > kMaxErrorChars ? r.error.left(kMaxErrorChars) + "…" : r.error;
        table_->setItem(row, 1, item("error: " + shown, false));
        table_->setSpan(row, 1, 1, 5);
        table_->item(row, 1)->setToolTip(r.error);
    } else {
        table_->setItem(row, 1, item(num(r.bytesPerToken)));
        table_->setItem(row, 2, item(r.has65k ? num(r.bytesPerToken65k) : QString("– (v = 4,096)")));
        table_->setItem(row, 3, item(num(r.bitsPerByte)));
        table_->setItem(row, 4, item(QString("%L1").arg(r.tokens)));
        table_->setItem(row, 5, item(QString::number(r.seconds, 'f', 2)));
    }
    table_->setItem(row, 6, item(num(r.paper, 2)));
    table_->setItem(row, 7, item(num(r.paper65k, 2)));
    redrawChart();
}

void CompareView::restyle() {
    redrawChart();
}

void CompareView::redrawChart() {
    const Theme& th = Theme::current();
    plot_->clearPlottables();
    plot_->clearItems();
    // An empty chart says why it is empty, and how to fill it.
    chartMessage_.clear();
    if (rows_.empty()) {
        chartMessage_ = busy()
                            ? QString("Coding the text with every method...\nEach bar appears as its method finishes.")
                            : QString(
                                  "Not compared yet: press Run comparison (F5) to code the text with every "
                                  "method\nand set the results beside the paper's.");
        auto* text = new QCPItemText(plot_);
        text->setObjectName("compareChartMessage");
        text->position->setType(QCPItemPosition::ptAxisRectRatio);
        text->position->setCoords(0.5, 0.45);
        text->setText(chartMessage_);
        text->setTextAlignment(Qt::AlignCenter);
        text->setColor(th.foreground);
        QFont f = plot_->font();
        f.setPointSizeF(f.pointSizeF() * kMessageScale);
        text->setFont(f);
    }
    auto* ticker = new QCPAxisTickerText;
    QVector<double> keys, ours, paper;
    for (size_t i = 0; i < rows_.size(); ++i) {
        keys << double(i);
        ticker->addTick(double(i), rows_[i].name);
        ours << (rows_[i].error.isEmpty() ? rows_[i].bytesPerToken : 0);
        paper << rows_[i].paper;
    }
    plot_->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(ticker));
    plot_->xAxis->setTickLabelRotation(25);
    plot_->xAxis->setSubTicks(false);
    plot_->xAxis->setRange(-0.7, std::max<double>(9, double(rows_.size())) - 0.3);
    plot_->yAxis->setLabel("bytes per token (v = 256)");
    addOursAndPaperBars(plot_, keys, ours, paper);
    double maxV = 1;
    for (double v : ours) maxV = std::max(maxV, v);
    for (double v : paper) maxV = std::max(maxV, v);
    plot_->yAxis->setRange(0, maxV * 1.15);
    plot_->legend->setVisible(true);
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    th.stylePlot(plot_);
}

}  // namespace eqlab::ui
