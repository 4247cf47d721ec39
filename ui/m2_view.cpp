#include "m2_view.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QStandardPaths>
#include <QThread>
#include <QVBoxLayout>
#include <cmath>

#include "base/file_io.h"
#include "export.h"
#include "m2/experiment.h"
#include "m2/m2_dataset.h"
#include "methods/default_models.h"
#include "path_field.h"
#include "progress_text.h"
#include "theme.h"
#include "zoom.h"

namespace eqlab::ui {

namespace {

enum Metric { ValidBitsPerToken = 0, ValidBitsPerByte = 1, TrainBitsPerToken = 2 };
enum XAxis { Steps = 0, Tokens = 1, Bytes = 2, WallTime = 3 };

constexpr int kProgressSteps = 1000;   // the progress bar's range
constexpr int kLeftPanelWidth = 400;   // pixels: the settings and the list of runs
constexpr int kFaintAlpha = 70;        // raw (unsmoothed) values under the smoothed curve
constexpr double kBestMarkerSize = 9;  // pixels: the ring on each run's best point
constexpr double kBaselinePenWidth = 1.2;

// A run's colour: its place in the list (two runs of one method differ).
QColor runColour(int i) {
    return Theme::series(i);
}

QString learnedText(m2::Learned l) {
    switch (l) {
        case m2::Learned::AtEnd:
            return "learned";
        case m2::Learned::AtBestStep:
            return "learned at its best step";
        default:
            return {};
    }
}

double xOf(const m2::EvalPoint& p, int mode) {
    switch (mode) {
        case Tokens:
            return double(p.tokensSeen);
        case Bytes:
            return double(p.bytesSeen);
        case WallTime:
            return p.seconds;
        default:
            return double(p.step);
    }
}

double yOf(const m2::EvalPoint& p, int metric) {
    switch (metric) {
        case ValidBitsPerByte:
            return p.validBitsPerByte;
        case TrainBitsPerToken:
            return p.trainBitsPerToken;
        default:
            return p.validBitsPerToken;
    }
}

M2Run toRun(m2::SavedRun saved) {
    const QString dir = QString::fromStdString(saved.dir);
    M2Run r;
    r.dir = dir;
    r.parts = m2::labelPartsOf(saved.record, saved.dir);
    r.method = QString::fromStdString(saved.record.method);
    r.base = saved.record.base;
    r.tokensPerWindow = saved.record.tokensPerWindow;
    r.points = std::move(saved.points);
    return r;
}

}  // namespace

const m2::EvalPoint* M2Run::best() const {
    const m2::EvalPoint* b = nullptr;
    for (const m2::EvalPoint& p : points)
        if (!b || p.validBitsPerToken < b->validBitsPerToken) b = &p;
    return b;
}

m2::Learned M2Run::learned() const {
    const m2::EvalPoint* b = best();
    return b ? m2::learnedState(*b, points.back(), base) : m2::Learned::No;
}

std::vector<double> smoothSeries(const std::vector<double>& x, double a) {
    std::vector<double> out;
    out.reserve(x.size());
    double s = 0, debias = 1;
    for (double v : x) {
        s = a * s + (1 - a) * v;
        debias *= a;
        out.push_back(a > 0 ? s / (1 - debias) : v);
    }
    return out;
}

M2View::M2View(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    auto* left = new QVBoxLayout;
    auto* form = new QFormLayout;
    auto* corpusRow = new QHBoxLayout;
    corpus_ = new PathField("The text M2's datasets are cut from (its last 5% is held out for validation).");
    auto* browse = new QPushButton("...");
    Zoom::scaleBounds(browse, {0, 0}, {32, QWIDGETSIZE_MAX});
    corpusRow->addWidget(corpus_, 1);
    corpusRow->addWidget(browse);
    form->addRow("Corpus", corpusRow);
    method_ = new QComboBox;
    for (const std::string& m : m2::reproduceMethods()) method_->addItem(QString::fromStdString(m));
    method_->setCurrentText("eqinfo-ac[b=16,v=256]");
    method_->setToolTip("The method whose tokens M2 learns from.");
    form->addRow("Method", method_);
    minutes_ = new QDoubleSpinBox;
    minutes_->setRange(0.05, 600);
    minutes_->setValue(2);
    minutes_->setSuffix(" min");
    minutes_->setToolTip("Training budget per run (dataset building is extra, and cached).");
    form->addRow("Budget", minutes_);
    size_ = new QComboBox;
    size_->addItem("tiny: d 64, 1 layer", QSize(64, 1));
    size_->addItem("small: d 128, 2 layers (default)", QSize(128, 2));
    size_->addItem("medium: d 256, 4 layers", QSize(256, 4));
    size_->addItem("paper's smallest: d 512, 6 layers", QSize(512, 6));
    size_->setCurrentIndex(1);
    size_->setToolTip("M2's size. The paper's smallest model needs a GPU to learn in reasonable time.");
    form->addRow("M2", size_);
    left->addLayout(form);
    auto* buttons = new QHBoxLayout;
    trainButton_ = new QPushButton("Train");
    trainButton_->setToolTip("Train M2 on this method's tokens.");
    reproduceButton_ = new QPushButton("Reproduce");
    reproduceButton_->setToolTip(
        "Train on all seven methods of the paper's comparison, one after another, same budget each.");
    stopButton_ = new QPushButton("Stop");
    stopButton_->setEnabled(false);
    stopButton_->setToolTip("Stop after a checkpoint; Resume continues the selected run.");
    resumeButton_ = new QPushButton("Resume");
    resumeButton_->setToolTip(
        "Continue the selected run from its checkpoint until it has trained for the budget above.");
    for (auto* b : {trainButton_, reproduceButton_, stopButton_, resumeButton_}) buttons->addWidget(b);
    left->addLayout(buttons);
    progress_ = new QProgressBar;
    progress_->setObjectName("m2Progress");
    progress_->setToolTip("What the work is doing (building the dataset, training), how far it is and the time left.");
    left->addWidget(progress_);
    status_ = new QLabel;
    status_->setObjectName("m2Status");
    status_->setWordWrap(true);
    status_->setTextFormat(Qt::RichText);
    left->addWidget(status_);
    list_ = new QListWidget;
    list_->setObjectName("m2Runs");
    list_->setToolTip("Runs: tick to show; select one to see its accuracy by position inside a window.");
    left->addWidget(new QLabel("Runs"));
    left->addWidget(list_, 1);
    auto* runButtons = new QHBoxLayout;
    auto* open = new QPushButton("Open runs...");
    open->setToolTip("Reopen runs saved earlier (a folder of run folders, or one run folder).");
    auto* exportCsv = new QPushButton("Export CSV...");
    auto* exportChart = new QPushButton("Export chart...");
    for (auto* b : {open, exportCsv, exportChart}) runButtons->addWidget(b);
    left->addLayout(runButtons);
    auto* leftWidget = new QWidget;
    leftWidget->setLayout(left);
    // Room for a run's name (method · corpus · date time), at any zoom.
    Zoom::scaleBounds(leftWidget, {kLeftPanelWidth, 0}, {kLeftPanelWidth + 60, QWIDGETSIZE_MAX});
    layout->addWidget(leftWidget);

    auto* right = new QVBoxLayout;
    auto* controls = new QHBoxLayout;
    metric_ = new QComboBox;
    metric_->addItems({"validation bits/token", "validation bits/byte", "training bits/token"});
    xAxis_ = new QComboBox;
    xAxis_->addItems({"steps", "tokens seen", "bytes seen", "wall time (s)"});
    logX_ = new QCheckBox("log x");
    logY_ = new QCheckBox("log y");
    baselines_ = new QCheckBox("baselines");
    baselines_->setChecked(true);
    baselines_->setToolTip(
        "Dashed: the uniform model (log2 v bits per token). Dotted: the token unigram of the training split.");
    smoothing_ = new QSlider(Qt::Horizontal);
    smoothing_->setRange(0, 99);
    smoothing_->setValue(60);
    Zoom::scaleBounds(smoothing_, {0, 0}, {140, QWIDGETSIZE_MAX});
    smoothing_->setToolTip(
        "Smoothing: exponential moving average weight (0 = raw), with start-of-series bias correction.");
    controls->addWidget(metric_);
    controls->addWidget(new QLabel("x:"));
    controls->addWidget(xAxis_);
    controls->addWidget(logX_);
    controls->addWidget(logY_);
    controls->addWidget(baselines_);
    controls->addWidget(new QLabel("smoothing"));
    controls->addWidget(smoothing_);
    controls->addStretch();
    right->addLayout(controls);
    auto* charts = new QSplitter(Qt::Vertical);
    loss_ = new QCustomPlot;
    loss_->setObjectName("m2LossChart");
    loss_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    loss_->legend->setVisible(true);
    // Top right: loss curves fall from the left, so that corner is free once they have.
    loss_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignRight | Qt::AlignTop);
    loss_->setMouseTracking(true);
    position_ = new QCustomPlot;
    position_->setObjectName("m2PositionChart");
    position_->legend->setVisible(true);
    position_->yAxis->setLabel("accuracy");
    charts->addWidget(loss_);
    charts->addWidget(position_);
    charts->setSizes({420, 200});
    right->addWidget(charts, 1);
    readout_ = new QLabel(" ");
    readout_->setTextFormat(Qt::RichText);
    right->addWidget(readout_);
    layout->addLayout(right, 1);

    QSettings s;
    // The SOTU corpus when scripts/fetch-corpora.sh has run here, else the bundled sample.
    const QFileInfo sotu("data/sotu-train.txt");
    const QString fallback =
        sotu.exists() ? sotu.absoluteFilePath() : QString::fromStdString(resourcePath(kSampleTextFile));
    corpus_->setText(s.value("m2/corpus", fallback).toString());
    runsDir_ =
        s.value("m2/runs", QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/m2-runs").toString();

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, "Corpus", corpus_->text());
        if (!p.isEmpty()) corpus_->setText(p);
    });
    connect(trainButton_, &QPushButton::clicked, this, [this] { train({method_->currentText()}); });
    connect(reproduceButton_, &QPushButton::clicked, this, [this] {
        QStringList all;
        for (const std::string& m : m2::reproduceMethods()) all << QString::fromStdString(m);
        train(all);
    });
    connect(stopButton_, &QPushButton::clicked, this, &M2View::stop);
    connect(&job_, &BackgroundJob::status, this, [this](double fraction, const QString& phase, double secondsLeft) {
        progress_->setValue(int(std::lround(kProgressSteps * fraction)));
        progress_->setFormat(progressText(phase, fraction, secondsLeft));
    });
    connect(resumeButton_, &QPushButton::clicked, this, [this] {
        const int row = list_->currentRow();
        if (row < 0 || row >= int(runs_.size())) {
            status_->setText("Select a run to resume.");
            return;
        }
        resume(runs_[size_t(row)].dir);
    });
    connect(open, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, "Runs folder", runsDir_);
        if (dir.isEmpty()) return;
        const QString opened = QString("Opened %1 run(s).").arg(loadRuns(dir));
        status_->setText(unreadableRuns_.isEmpty() ? opened : opened + "<br>" + unreadableText());
    });
    connect(exportChart, &QPushButton::clicked, this, [this] {
        exportWithDialog(this, "Export loss curves", "eqlab-m2-loss.png", "PNG (*.png);;PDF (*.pdf)",
                         [this](const QString& p) { savePlot(loss_, p); });
    });
    connect(exportCsv, &QPushButton::clicked, this, [this] {
        exportWithDialog(this, "Export runs", "eqlab-m2-runs.csv", "CSV (*.csv)", [this](const QString& p) {
            std::vector<QStringList> rows;
            for (const M2Run& r : runs_)
                for (const m2::EvalPoint& e : r.points)
                    rows.push_back(
                        {r.name, r.method, QString::number(e.step), QString::number(e.tokensSeen),
                         QString::number(e.bytesSeen), QString::number(e.seconds),
                         QString::number(e.trainBitsPerToken, 'g', 8), QString::number(e.validBitsPerToken, 'g', 8),
                         QString::number(e.validBitsPerByte, 'g', 8), QString::number(e.validAccuracy, 'g', 6)});
            saveText(p, toCsv({"run", "method", "step", "tokens_seen", "bytes_seen", "seconds", "train_bits_per_token",
                               "valid_bits_per_token", "valid_bits_per_byte", "valid_accuracy"},
                              rows));
        });
    });
    for (QComboBox* c : {metric_, xAxis_}) connect(c, &QComboBox::currentIndexChanged, this, &M2View::redraw);
    for (QCheckBox* c : {logX_, logY_, baselines_}) connect(c, &QCheckBox::toggled, this, &M2View::redraw);
    connect(smoothing_, &QSlider::valueChanged, this, &M2View::redraw);
    connect(list_, &QListWidget::itemChanged, this, &M2View::redraw);
    connect(list_, &QListWidget::currentRowChanged, this, &M2View::redraw);
    connect(loss_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        const double x = loss_->xAxis->pixelToCoord(e->position().x());
        QStringList parts;
        for (size_t i = 0; i < runs_.size(); ++i) {
            if (list_->item(int(i)) && list_->item(int(i))->checkState() != Qt::Checked) continue;
            const M2Run& r = runs_[i];
            const m2::EvalPoint* best = nullptr;
            for (const m2::EvalPoint& p : r.points)
                if (!best ||
                    std::abs(xOf(p, xAxis_->currentIndex()) - x) < std::abs(xOf(*best, xAxis_->currentIndex()) - x))
                    best = &p;
            if (best)
                parts << QString("<span style='color:%1'>&#9632;</span> %2: step %L3, %4 %5")
                             .arg(runColour(int(i)).name(), r.name.toHtmlEscaped())
                             .arg(best->step)
                             .arg(yOf(*best, metric_->currentIndex()), 0, 'f', 4)
                             .arg(metric_->currentText());
        }
        readout_->setText(parts.join("&nbsp;&nbsp; "));
    });
    restyle();
    loadRuns(runsDir_);
}

void M2View::setCorpus(const QString& path) {
    corpus_->setText(path);
}
void M2View::setBudget(double minutes) {
    minutes_->setValue(minutes);
}
void M2View::setSize(int dModel, int layers) {
    dModel_ = dModel;
    layers_ = layers;
    size_->setCurrentIndex(-1);
}
void M2View::setRunsDir(const QString& dir) {
    runsDir_ = dir;
    runs_.clear();
    list_->clear();
    loadRuns(dir);
}

void M2View::stop() {
    job_.requestStop();
    stopButton_->setEnabled(false);
}

int M2View::loadRuns(const QString& dir) {
    m2::Experiment::RunScan scan = m2::Experiment::openRunsIn(dir.toStdString());
    for (m2::SavedRun& saved : scan.runs) {
        const int i = runIndex(QString::fromStdString(saved.dir));
        runs_[size_t(i)] = toRun(std::move(saved));
    }
    // Runs that cannot be read are not skipped without a word.
    unreadableRuns_.clear();
    for (const std::string& w : scan.unreadable) unreadableRuns_ << QString::fromStdString(w);
    if (!unreadableRuns_.isEmpty()) status_->setText(unreadableText());
    relabel();
    redraw();
    return int(scan.runs.size());
}

QString M2View::unreadableText() const {
    QStringList why;
    for (const QString& w : unreadableRuns_) why << w.toHtmlEscaped();
    return QString("%1 run(s) could not be opened:<br>%2").arg(why.size()).arg(why.join("<br>"));
}

QString M2View::currentRunDir() const {
    const int row = list_->currentRow();
    return row >= 0 && row < int(runs_.size()) ? runs_[size_t(row)].dir : QString();
}

bool M2View::selectRun(const QString& dir) {
    for (size_t i = 0; i < runs_.size(); ++i)
        if (QFileInfo(runs_[i].dir) == QFileInfo(dir)) {
            list_->setCurrentRow(int(i));
            return true;
        }
    if (loadRuns(dir) == 0) return false;
    for (size_t i = 0; i < runs_.size(); ++i)
        if (QFileInfo(runs_[i].dir) == QFileInfo(dir)) list_->setCurrentRow(int(i));
    return true;
}

int M2View::runIndex(const QString& dir) {
    for (size_t i = 0; i < runs_.size(); ++i)
        if (runs_[i].dir == dir) return int(i);
    M2Run r;
    r.dir = dir;
    r.parts.name = QFileInfo(dir).fileName().toStdString();  // until the run says what it is
    r.parts.started = m2::runStarted({}, dir.toStdString());
    runs_.push_back(r);
    auto* item = new QListWidgetItem;
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Checked);
    {
        const QSignalBlocker block(list_);
        list_->addItem(item);
    }
    relabel();
    return int(runs_.size()) - 1;
}

void M2View::relabel() {
    std::vector<m2::RunLabelParts> parts;
    for (const M2Run& r : runs_) parts.push_back(r.parts);
    const std::vector<std::string> labels = m2::uniqueRunLabels(parts);
    for (size_t i = 0; i < runs_.size(); ++i) {
        runs_[i].name = QString::fromStdString(labels[i]);
        updateItem(int(i));
    }
}

void M2View::updateItem(int i) {
    const M2Run& r = runs_[size_t(i)];
    QListWidgetItem* item = list_->item(i);
    const QSignalBlocker block(list_);  // not a user's tick: no redraw per item
    const m2::Learned learned = r.learned();
    item->setText(r.name + (learned == m2::Learned::No ? QString() : "  (" + learnedText(learned) + ")"));
    QPixmap swatch(12, 12);
    swatch.fill(runColour(i));
    item->setIcon(QIcon(swatch));
    QString verdict = "not (yet) learned: no validation 2% below the token unigram";
    if (const m2::EvalPoint* b = r.best(); b && learned != m2::Learned::No)
        verdict =
            QString("%1: best validation %2 bits/token at step %L3 (unigram %4)%5")
                .arg(learnedText(learned))
                .arg(b->validBitsPerToken, 0, 'f', 4)
                .arg(b->step)
                .arg(r.base.unigramBitsPerToken, 0, 'f', 4)
                .arg(learned == m2::Learned::AtBestStep ? QString("; the last, %1 at step %L2, is not 2% below it")
                                                              .arg(r.points.back().validBitsPerToken, 0, 'f', 4)
                                                              .arg(r.points.back().step)
                                                        : QString("; the last validation is too"));
    item->setToolTip(QString("%1<br>%2<br>%3").arg(r.name.toHtmlEscaped(), r.dir.toHtmlEscaped(), verdict));
}

void M2View::addPoint(const QString& dir, const m2::EvalPoint& p) {
    const int i = runIndex(dir);
    runs_[size_t(i)].points.push_back(p);
    updateItem(i);  // its learned mark follows the curve
    redraw();
}

void M2View::train(const QStringList& methods) {
    std::vector<Job> jobs;
    for (const QString& m : methods) jobs.push_back({m, {}});
    start(jobs);
}

void M2View::resume(const QString& runDir) {
    start({Job{{}, runDir}});
}

void M2View::start(const std::vector<Job>& jobs) {
    if (busy()) return;
    QSettings().setValue("m2/corpus", corpus_->text());
    QSettings().setValue("m2/runs", runsDir_);
    const QSize sz = size_->currentIndex() >= 0 ? size_->currentData().toSize() : QSize(dModel_, layers_);
    const m2::M2Config c = m2::Experiment::modelConfig(sz.width(), sz.height());
    const double budget = 60.0 * minutes_->value();
    const std::string corpus = corpus_->text().toStdString();
    const QString runsDir = runsDir_;
    trainButton_->setEnabled(false);
    reproduceButton_->setEnabled(false);
    resumeButton_->setEnabled(false);
    stopButton_->setEnabled(true);
    progress_->setRange(0, kProgressSteps);
    progress_->setValue(0);
    progress_->setFormat("starting");
    job_.start([this, jobs, c, budget, corpus, runsDir](JobControl& control) {
        QString error;
        int done = 0;
        auto post = [&control](auto f) { control.post(f); };
        try {
            for (const Job& job : jobs) {
                if (control.cancelled()) break;
                const QString& spec = job.method;
                m2::TrainOptions o;
                o.maxSeconds = budget;
                o.threads = 1;  // the CPU-sized M2 trains fastest on one thread (see eqlab-cli bench-m2)
                o.evalEvery = 25;
                m2::PreparedRun run;
                const bool resuming = !job.resumeDir.isEmpty();
                if (resuming) {
                    run = m2::Experiment::prepareResume(job.resumeDir.toStdString(), o);
                } else {
                    m2::DatasetOptions dopt;
                    dopt.threads = std::max(1, QThread::idealThreadCount());
                    post(
                        [this, spec] { status_->setText("Building the dataset for " + spec.toHtmlEscaped() + "..."); });
                    const m2::Experiment experiment(runsDir.toStdString());
                    // Its phases (loading M1, coding, checking windows decode, ...) through job_'s status().
                    run = experiment.prepareRun(spec.toStdString(), corpus, dopt, o, control.statusFn());
                }
                const m2::Dataset& d = run.dataset;
                o = run.options;
                const QString dir = QString::fromStdString(o.runDir);
                const QString method = QString::fromStdString(d.method);
                const m2::Baselines base = m2::baselines(d);
                const int tpw = d.tokensPerWindow;
                const std::string name = o.name.empty() ? d.method : o.name;
                post([this, dir, method, name, corpus = d.corpusName, resuming, base, tpw] {
                    const int i = runIndex(dir);
                    M2Run& r = runs_[size_t(i)];
                    // As the trainer records it (run.json): a resumed run keeps its start.
                    const std::string started =
                        resuming && !r.parts.started.empty() ? r.parts.started : m2::runStarted({}, dir.toStdString());
                    r.parts = {name, corpus, started};
                    r.method = method;
                    r.base = base;
                    r.tokensPerWindow = tpw;
                    relabel();
                    list_->setCurrentRow(i);
                    status_->setText("Training M2 on " + method.toHtmlEscaped() + "...");
                });
                // A resumed run keeps its own model shape, whatever the size box says now.
                const m2::TrainResult r = m2::train(d, run.runConfig.value_or(c), o, [&](const m2::EvalPoint& p) {
                    // Training runs on a time budget: the time left is the budget's.
                    const double f = std::min(1.0, p.seconds / budget);
                    post([this, dir, p, f, budget] {
                        addPoint(dir, p);
                        progress_->setValue(int(std::lround(kProgressSteps * f)));
                        progress_->setFormat(progressText("training", f, budget - p.seconds));
                    });
                    return !control.cancelled();
                });
                const bool nothingLeft = resuming && uint64_t(r.last.step) == r.resumedAt;
                post([this, dir, r, nothingLeft] {
                    const int i = runIndex(dir);
                    updateItem(i);
                    if (nothingLeft) {
                        status_->setText(
                            QString("This run has already trained for %1 s: raise the budget to continue it.")
                                .arg(r.last.seconds, 0, 'f', 0));
                        return;
                    }
                    const m2::Learned learned = m2::learnedState(r.best, r.last, r.base);
                    status_->setText(QString("%1: best %2 bits/token at step %L3, last %4 (unigram %5): <b>%6</b>")
                                         .arg(runs_[size_t(i)].name.toHtmlEscaped())
                                         .arg(r.best.validBitsPerToken, 0, 'f', 4)
                                         .arg(r.best.step)
                                         .arg(r.last.validBitsPerToken, 0, 'f', 4)
                                         .arg(r.base.unigramBitsPerToken, 0, 'f', 4)
                                         .arg(learned == m2::Learned::No ? "not learned" : learnedText(learned)));
                });
                ++done;
            }
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        const bool stopped = control.cancelled();
        control.onEnd([this, error, stopped] {
            trainButton_->setEnabled(true);
            reproduceButton_->setEnabled(true);
            resumeButton_->setEnabled(true);
            stopButton_->setEnabled(false);
            if (!error.isEmpty())
                status_->setText("<b>Failed:</b> " + error.toHtmlEscaped());
            else if (stopped)
                status_->setText(status_->text() + "<br>Stopped; a checkpoint was kept (Resume continues it).");
            progress_->setValue(progress_->maximum());
            progress_->setFormat(!error.isEmpty() ? QString("failed") : stopped ? QString("stopped") : QString("done"));
            emit finished(error.isEmpty());
        });
    });
}

void M2View::restyle() {
    Theme::current().stylePlot(loss_);
    Theme::current().stylePlot(position_);
    redraw();
}

void M2View::redraw() {
    const Theme& th = Theme::current();
    const int metric = metric_->currentIndex(), mode = xAxis_->currentIndex();
    const double a = smoothing_->value() / 100.0;
    loss_->clearGraphs();
    loss_->clearItems();
    double ymin = 1e300, ymax = -1e300, xmax = 1;
    for (size_t i = 0; i < runs_.size(); ++i) {
        if (list_->item(int(i)) && list_->item(int(i))->checkState() != Qt::Checked) continue;
        const M2Run& r = runs_[i];
        const QColor colour = runColour(int(i));
        QVector<double> xs, ys;
        std::vector<double> raw;
        for (const m2::EvalPoint& p : r.points) {
            if (logX_->isChecked() && xOf(p, mode) <= 0) continue;
            xs << xOf(p, mode);
            raw.push_back(yOf(p, metric));
        }
        const std::vector<double> smooth = smoothSeries(raw, a);
        for (double v : raw) {
            ymin = std::min(ymin, v);
            ymax = std::max(ymax, v);
        }
        for (double v : xs) xmax = std::max(xmax, v);
        ys = QVector<double>(raw.begin(), raw.end());
        QCPGraph* faint = loss_->addGraph();
        QColor fc = colour;
        fc.setAlpha(kFaintAlpha);
        faint->setPen(QPen(fc, 1));
        faint->setData(xs, ys, true);
        faint->removeFromLegend();
        QCPGraph* line = loss_->addGraph();
        line->setPen(QPen(colour, 2));
        line->setName(r.name);
        line->setData(xs, QVector<double>(smooth.begin(), smooth.end()), true);
        // The best point (lowest validation bits/token), ringed on the raw values of the metric shown.
        if (const m2::EvalPoint* b = r.best(); b && !(logX_->isChecked() && xOf(*b, mode) <= 0)) {
            QCPGraph* mark = loss_->addGraph();
            mark->setLineStyle(QCPGraph::lsNone);
            mark->setScatterStyle(
                QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(colour, 2), Qt::NoBrush, kBestMarkerSize));
            mark->setData({xOf(*b, mode)}, {yOf(*b, metric)});
            mark->removeFromLegend();
        }
        if (baselines_->isChecked()) {
            const bool perByte = metric == ValidBitsPerByte;
            const double uniform = perByte ? r.base.uniformBitsPerByte : r.base.uniformBitsPerToken;
            const double unigram = perByte ? r.base.unigramBitsPerByte : r.base.unigramBitsPerToken;
            for (auto [y, style] : {std::pair<double, Qt::PenStyle>{uniform, Qt::DashLine}, {unigram, Qt::DotLine}}) {
                if (y <= 0) continue;
                auto* ln = new QCPItemStraightLine(loss_);
                ln->point1->setCoords(0, y);
                ln->point2->setCoords(1, y);
                QPen pen(colour, kBaselinePenWidth, style);
                ln->setPen(pen);
                ymin = std::min(ymin, y);
                ymax = std::max(ymax, y);
            }
        }
    }
    // The legend names what every run draws alike: its best point and its two baselines.
    auto legendEntry = [&](const QString& name, const QPen& pen, const QCPScatterStyle& scatter) {
        QCPGraph* g = loss_->addGraph();
        g->setName(name);
        g->setPen(pen);
        g->setScatterStyle(scatter);
        if (scatter.shape() != QCPScatterStyle::ssNone) g->setLineStyle(QCPGraph::lsNone);
    };
    if (!runs_.empty()) {
        legendEntry("best validation (lowest bits/token)", Qt::NoPen,
                    QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(th.foreground, 2), Qt::NoBrush, kBestMarkerSize));
        if (baselines_->isChecked()) {
            legendEntry("uniform baseline (log2 v)", QPen(th.foreground, kBaselinePenWidth, Qt::DashLine), {});
            legendEntry("unigram baseline", QPen(th.foreground, kBaselinePenWidth, Qt::DotLine), {});
        }
    }
    if (ymin > ymax) {
        ymin = 0;
        ymax = 8;
    }
    loss_->xAxis->setLabel(xAxis_->currentText());
    loss_->yAxis->setLabel(metric_->currentText());
    for (auto [axis, log] :
         {std::pair<QCPAxis*, bool>{loss_->xAxis, logX_->isChecked()}, {loss_->yAxis, logY_->isChecked()}}) {
        axis->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        axis->setTicker(log ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog)
                            : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
    loss_->xAxis->setRange(logX_->isChecked() ? 1 : 0, xmax * 1.02);
    const double pad = std::max(0.02, 0.06 * (ymax - ymin));
    loss_->yAxis->setRange(std::max(logY_->isChecked() ? 1e-3 : -1e9, ymin - pad), ymax + pad);
    th.stylePlot(loss_);

    // Accuracy by position inside a window, for the selected run (or the first with windows).
    position_->clearGraphs();
    const M2Run* sel = nullptr;
    const int row = list_->currentRow();
    if (row >= 0 && row < int(runs_.size()) && runs_[size_t(row)].tokensPerWindow > 0) sel = &runs_[size_t(row)];
    for (size_t i = 0; !sel && i < runs_.size(); ++i)
        if (runs_[i].tokensPerWindow > 0) sel = &runs_[i];
    double pmax = 0.05;
    if (sel) {
        for (int pos = 0; pos < sel->tokensPerWindow; ++pos) {
            QVector<double> xs, ys;
            for (const m2::EvalPoint& p : sel->points)
                if (size_t(pos) < p.accuracyByPosition.size()) {
                    xs << xOf(p, mode);
                    ys << p.accuracyByPosition[size_t(pos)];
                    pmax = std::max(pmax, p.accuracyByPosition[size_t(pos)]);
                }
            QCPGraph* g = position_->addGraph();
            g->setPen(QPen(Theme::series(pos + 2), 2));
            g->setName(QString("token %1 of each window").arg(pos + 1));
            g->setData(xs, ys, true);
        }
        position_->xAxis->setLabel(xAxis_->currentText() + "   (" + sel->name + ")");
    } else {
        position_->xAxis->setLabel("accuracy by position inside a window: train an eqinfo-ac run");
    }
    position_->xAxis->setRange(0, xmax * 1.02);
    position_->yAxis->setRange(0, std::min(1.0, pmax * 1.2));
    th.stylePlot(position_);
}

}  // namespace eqlab::ui
