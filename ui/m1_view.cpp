#include "m1_view.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QThread>
#include <QVBoxLayout>
#include <optional>

#include "base/file_io.h"
#include "export.h"
#include "methods/default_models.h"
#include "nn/m1_trainer.h"
#include "path_field.h"
#include "point_tooltip.h"
#include "theme.h"
#include "zoom.h"

namespace eqlab::ui {

namespace {
QLineEdit* fileField(QWidget* parent, QFormLayout* form, const QString& label, const QString& tip, bool save) {
    auto* row = new QHBoxLayout;
    auto* edit = new PathField(tip);
    auto* browse = new QPushButton("...");
    Zoom::scaleBounds(browse, {0, 0}, {32, QWIDGETSIZE_MAX});
    row->addWidget(edit, 1);
    row->addWidget(browse);
    form->addRow(label, row);
    QObject::connect(browse, &QPushButton::clicked, parent, [parent, edit, save] {
        const QString p =
            save ? QFileDialog::getSaveFileName(parent, "Weights file", edit->text(), "M1 weights (*.eqm1)")
                 : QFileDialog::getOpenFileName(parent, "Text file", edit->text());
        if (!p.isEmpty()) edit->setText(p);
    });
    return edit;
}
}  // namespace

M1View::M1View(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    auto* left = new QVBoxLayout;
    card_ = new QLabel;
    card_->setWordWrap(true);
    card_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    card_->setFrameShape(QFrame::StyledPanel);
    card_->setMargin(8);
    left->addWidget(card_);

    auto* form = new QFormLayout;
    corpus_ = fileField(this, form, "Corpus", "Training text: any file, read as bytes.", false);
    valid_ = fileField(this, form, "Validation", "Held-out text scored in bits/byte during training.", false);
    out_ = fileField(this, form, "Save as", "The weights file to write; checkpoints go beside it.", true);
    fineTune_ = new QCheckBox("Fine-tune the current model");
    fineTune_->setChecked(true);
    fineTune_->setToolTip("Start from the current model's weights (and its size) instead of random ones.");
    form->addRow("", fineTune_);
    minutes_ = new QDoubleSpinBox;
    minutes_->setRange(0, 600);
    minutes_->setValue(1);
    minutes_->setSuffix(" min");
    minutes_->setToolTip("Time budget: the learning-rate schedule runs on elapsed time. 0: run by steps.");
    steps_ = new QSpinBox;
    steps_->setRange(1, 10000000);
    steps_->setValue(200);
    steps_->setToolTip("Optimiser steps at most.");
    batch_ = new QSpinBox;
    batch_->setRange(1, 1024);
    batch_->setValue(8);
    batch_->setToolTip("Sequences per step.");
    seq_ = new QSpinBox;
    seq_->setRange(16, 1024);
    seq_->setValue(256);
    seq_->setToolTip("Bytes per training sequence.");
    lr_ = new QDoubleSpinBox;
    lr_->setDecimals(5);
    lr_->setRange(1e-5, 1e-1);
    lr_->setSingleStep(1e-4);
    lr_->setValue(3e-4);
    lr_->setToolTip("Peak learning rate (AdamW; warmup, then cosine decay to 10%).");
    augment_ = new QDoubleSpinBox;
    augment_->setRange(0, 1);
    augment_->setSingleStep(0.1);
    augment_->setValue(0.5);
    augment_->setToolTip(
        "Probability of line wraps and of curly quotes/dashes per sequence: makes the model robust to layout it never "
        "saw.");
    form->addRow("Budget", minutes_);
    form->addRow("Steps", steps_);
    form->addRow("Batch", batch_);
    form->addRow("Sequence", seq_);
    form->addRow("Learning rate", lr_);
    form->addRow("Augment", augment_);
    left->addLayout(form);

    auto* buttons = new QHBoxLayout;
    startButton_ = new QPushButton("Train");
    stopButton_ = new QPushButton("Stop");
    stopButton_->setEnabled(false);
    stopButton_->setToolTip("Stops after writing a checkpoint; the weights so far are kept.");
    useButton_ = new QPushButton("Use as current model");
    useButton_->setEnabled(false);
    buttons->addWidget(startButton_);
    buttons->addWidget(stopButton_);
    buttons->addWidget(useButton_);
    left->addLayout(buttons);
    progress_ = new QProgressBar;
    left->addWidget(progress_);
    status_ = new QLabel;
    status_->setObjectName("status");
    status_->setTextFormat(Qt::RichText);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    left->addWidget(status_);
    left->addStretch();
    auto* leftWidget = new QWidget;
    leftWidget->setLayout(left);
    Zoom::scaleBounds(leftWidget, {0, 0}, {460, QWIDGETSIZE_MAX});
    layout->addWidget(leftWidget);

    auto* right = new QVBoxLayout;
    plot_ = new QCustomPlot;
    plot_->setObjectName("m1Chart");
    plot_->xAxis->setLabel("step");
    plot_->yAxis->setLabel("bits per byte");
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    trainGraph_ = plot_->addGraph();
    trainGraph_->setName("training loss (smoothed)");
    validGraph_ = plot_->addGraph();
    validGraph_->setName("validation");
    validGraph_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    plot_->legend->setVisible(true);
    chartTip_ = new PointTooltip(plot_, [this](QCPAbstractPlottable* pl, int i) { return pointTip(pl, i); });
    right->addWidget(plot_, 1);
    auto* exportChart = new QPushButton("Export chart...");
    auto* row = new QHBoxLayout;
    row->addStretch();
    row->addWidget(exportChart);
    right->addLayout(row);
    layout->addLayout(right, 1);

    QSettings s;
    const QString sample = QString::fromStdString(resourcePath(kSampleTextFile));
    // The SOTU splits when scripts/fetch-corpora.sh has run here, else the bundled sample.
    const QFileInfo train("data/sotu-train.txt"), test("data/sotu-test.txt");
    const bool sotu = train.exists() && test.exists();
    corpus_->setText(s.value("m1/corpus", sotu ? train.absoluteFilePath() : sample).toString());
    valid_->setText(s.value("m1/valid", sotu ? test.absoluteFilePath() : sample).toString());
    out_->setText(
        s.value("m1/out", QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/m1-trained.eqm1")
            .toString());

    connect(startButton_, &QPushButton::clicked, this, &M1View::start);
    connect(stopButton_, &QPushButton::clicked, this, &M1View::stop);
    connect(useButton_, &QPushButton::clicked, this, [this] { emit useModel(out_->text()); });
    connect(exportChart, &QPushButton::clicked, this, [this] {
        exportWithDialog(this, "Export chart", "eqlab-m1-training.png", "PNG (*.png);;PDF (*.pdf)",
                         [this](const QString& p) { savePlot(plot_, p); });
    });
    restyle();
}

int M1View::points() const {
    return trainGraph_->data()->size() + validGraph_->data()->size();
}

QString M1View::pointTip(QCPAbstractPlottable* plottable, int index) const {
    auto* graph = qobject_cast<QCPGraph*>(plottable);
    if (!graph || index < 0 || index >= graph->data()->size()) return {};
    const double step = graph->data()->at(index)->key;
    // Both curves at that step, where each has a point there.
    const auto at = [step](const QCPGraph* g) -> std::optional<double> {
        const auto it = g->data()->findBegin(step, /*expandedRange=*/false);
        if (it == g->data()->constEnd() || it->key != step) return std::nullopt;
        return it->value;
    };
    QString tip = QString("<b>step %L1</b>").arg(step, 0, 'f', 0);
    if (const auto loss = at(trainGraph_))
        tip += QString("<br>training loss (smoothed): %1 bits/byte").arg(*loss, 0, 'f', 3);
    if (const auto valid = at(validGraph_)) tip += QString("<br>validation: %1 bits/byte").arg(*valid, 0, 'f', 3);
    return tip;
}

QString M1View::chartTooltipAt(QPoint pos) const {
    return chartTip_->tipAt(pos);
}

void M1View::restyle() {
    const Theme& t = Theme::current();
    trainGraph_->setPen(QPen(t.series(0), 1.5));
    validGraph_->setPen(QPen(t.series(1), 2));
    t.stylePlot(plot_);
}

void M1View::setCorpus(const QString& corpus, const QString& valid) {
    corpus_->setText(corpus);
    valid_->setText(valid);
}

void M1View::setBudget(double minutes, int steps) {
    minutes_->setValue(minutes);
    steps_->setValue(steps);
}

void M1View::setOutput(const QString& path) {
    out_->setText(path);
}

void M1View::setCurrentModel(const QString& path) {
    currentModel_ = path;
    showCard();
}

void M1View::showCard() {
    const QString path = currentModel_.isEmpty() ? QString::fromStdString(defaultM1Path()) : currentModel_;
    try {
        const m1::M1Weights w = m1::M1Weights::load(path.toStdString());
        currentContext_ = w.config.context;
        card_->setText(QString("<b>Current model</b> %1<br>%2, %3M non-embedding parameters<br>trained %L4 steps "
                               "on %5 (%6 s)<br>validation: <b>%7 bits/byte</b>")
                           .arg(QFileInfo(path).fileName().toHtmlEscaped(), QString::fromStdString(w.config.describe()))
                           .arg(double(w.config.nonEmbeddingParams()) / 1e6, 0, 'f', 2)
                           .arg(w.provenance.steps)
                           .arg(QString::fromStdString(w.provenance.corpusName).toHtmlEscaped())
                           .arg(w.provenance.trainSeconds, 0, 'f', 0)
                           .arg(w.provenance.validBitsPerByte, 0, 'f', 3));
    } catch (const std::exception& e) {
        currentContext_ = 0;
        card_->setText(QString("<b>Current model</b> %1<br>cannot be read: %2")
                           .arg(path.toHtmlEscaped(), QString(e.what()).toHtmlEscaped()));
    }
}

void M1View::stop() {
    job_.requestStop();
    stopButton_->setEnabled(false);
}

void M1View::start() {
    if (busy()) return;
    m1::TrainOptions o;
    o.corpus = corpus_->text().toStdString();
    o.valid = valid_->text().toStdString();
    o.out = out_->text().toStdString();
    o.steps = steps_->value();
    o.batch = batch_->value();
    o.seq = seq_->value();
    o.lr = lr_->value();
    o.augment = augment_->value();
    o.maxSeconds = 60.0 * minutes_->value();
    o.validEvery = std::max(1, steps_->value() / 20);
    o.validBytes = 1 << 16;
    o.checkpointSeconds = 120;
    o.threads = std::max(1, QThread::idealThreadCount());
    o.keepBest = false;
    o.note = "eqlab GUI";
    const QString base = currentModel_.isEmpty() ? QString::fromStdString(defaultM1Path()) : currentModel_;
    if (fineTune_->isChecked()) {
        if (currentContext_ == 0) {  // as read for the card (the trainer checks the file again)
            status_->setText("<b>Cannot fine-tune:</b> the current model cannot be read (see above).");
            return;
        }
        o.init = base.toStdString();
        o.seq = std::min(o.seq, currentContext_);  // a sequence cannot be longer than the model's context
    }
    const QString clamped =
        o.seq < seq_->value() ? QString(" Sequences of %1 bytes: the model's context.").arg(o.seq) : QString();
    QDir().mkpath(QFileInfo(out_->text()).absolutePath());
    QSettings s;
    s.setValue("m1/corpus", corpus_->text());
    s.setValue("m1/valid", valid_->text());
    s.setValue("m1/out", out_->text());

    trainGraph_->data()->clear();
    validGraph_->data()->clear();
    plot_->replot();
    startButton_->setEnabled(false);
    stopButton_->setEnabled(true);
    useButton_->setEnabled(false);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    status_->setText("Starting..." + clamped);
    job_.start([this, o, clamped](JobControl& control) {
        QString error;
        bool ok = true;
        try {
            m1::M1Config config;
            config.context = std::max(config.context, o.seq);
            m1::train(config, o, [this, &control, o](const m1::TrainProgress& p) {
                const double frac = o.maxSeconds > 0
                                        ? std::max(double(p.step) / double(p.steps), p.seconds / o.maxSeconds)
                                        : double(p.step) / double(p.steps);
                const QString line = QString::fromStdString(m1::describe(p)).toHtmlEscaped();
                control.post([this, p, frac, line] {
                    trainGraph_->addData(double(p.step), p.loss);
                    if (p.validBitsPerByte) validGraph_->addData(double(p.step), *p.validBitsPerByte);
                    plot_->rescaleAxes();
                    plot_->yAxis->scaleRange(1.1, plot_->yAxis->range().center());
                    plot_->replot(QCustomPlot::rpQueuedReplot);
                    progress_->setValue(int(1000 * std::min(1.0, frac)));
                    status_->setText(line);
                });
                return !control.cancelled();
            });
        } catch (const std::exception& e) {
            ok = false;
            error = QString::fromStdString(e.what());
        }
        control.onEnd([this, ok, error, clamped] {
            startButton_->setEnabled(true);
            stopButton_->setEnabled(false);
            useButton_->setEnabled(ok);
            if (ok) {
                progress_->setValue(progress_->maximum());
                status_->setText(status_->text() + "<br><b>Done.</b> Saved to " + out_->text().toHtmlEscaped() + "." +
                                 clamped);
            } else {
                status_->setText("<b>Training failed:</b> " + error.toHtmlEscaped());
            }
            emit finished(ok);
        });
    });
}

}  // namespace eqlab::ui
