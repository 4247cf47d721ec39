#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QEventLoop>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStatusBar>
#include <QVBoxLayout>

#include "default_models.h"
#include "errors.h"
#include "file_io.h"

namespace eqlab::ui {

namespace {
constexpr int kDebounceMs = 300;  // quiet time after an edit before re-analysing
constexpr uint64_t kMaxAnalysedBytes = 1 << 20;  // larger texts: the leading MiB is analysed
}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle("eqlab");
    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);

    auto* controls = new QHBoxLayout;
    method_ = new QComboBox;
    for (Method m : allMethods()) method_->addItem(QString::fromStdString(methodName(m)), int(m));
    method_->setCurrentIndex(int(Method::EqualInfoAc));
    method_->setToolTip("How the text becomes tokens.");
    windowBits_ = new QSpinBox;
    windowBits_->setRange(kMinWindowBits, kMaxWindowBits);
    windowBits_->setValue(16);
    windowBits_->setToolTip("b: every Equal-Info window compresses to exactly this many bits.");
    tokenBits_ = new QSpinBox;
    tokenBits_->setRange(kMinTokenBits, kMaxTokenBits);
    tokenBits_->setValue(8);
    tokenBits_->setToolTip("k: bits per token; the vocabulary has 2^k tokens.");
    controls->addWidget(new QLabel("Method"));
    controls->addWidget(method_);
    controls->addWidget(new QLabel("b"));
    controls->addWidget(windowBits_);
    controls->addWidget(new QLabel("k"));
    controls->addWidget(tokenBits_);
    controls->addStretch();
    progress_ = new QProgressBar;
    progress_->setRange(0, 100);
    progress_->setMaximumWidth(160);
    cancel_ = new QPushButton("Cancel");
    cancel_->setEnabled(false);
    controls->addWidget(progress_);
    controls->addWidget(cancel_);
    layout->addLayout(controls);

    text_ = new QPlainTextEdit;
    text_->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    layout->addWidget(text_, 1);
    summary_ = new QLabel;
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setWordWrap(true);
    layout->addWidget(summary_);
    setCentralWidget(central);
    bytesLabel_ = new QLabel;
    statusBar()->addPermanentWidget(bytesLabel_);

    auto* file = menuBar()->addMenu("&File");
    file->addAction("&Open...", QKeySequence::Open, this, &MainWindow::openFileDialog);
    file->addAction("&Quit", QKeySequence::Quit, qApp, &QApplication::quit);

    debounce_.setSingleShot(true);
    debounce_.setInterval(kDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &MainWindow::runAnalysis);
    connect(text_, &QPlainTextEdit::textChanged, this, [this] {
        const QByteArray utf8 = text_->toPlainText().toUtf8();
        bytes_.assign(utf8.begin(), utf8.end());
        scheduleAnalysis();
    });
    connect(method_, &QComboBox::currentIndexChanged, this, &MainWindow::scheduleAnalysis);
    connect(windowBits_, &QSpinBox::valueChanged, this, &MainWindow::scheduleAnalysis);
    connect(tokenBits_, &QSpinBox::valueChanged, this, &MainWindow::scheduleAnalysis);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        worker_.cancel();
        cancel_->setEnabled(false);
        statusBar()->showMessage("Analysis cancelled", 3000);
    });
    connect(&worker_, &AnalysisWorker::progress, progress_, &QProgressBar::setValue);
    connect(&worker_, &AnalysisWorker::finished, this, &MainWindow::showResult);
    connect(&worker_, &AnalysisWorker::failed, this, &MainWindow::showError);

    resize(1000, 700);
    try {
        setText(readFile(resourcePath(kSampleTextFile)));
    } catch (const Error& e) {
        summary_->setText(QString("Could not load the sample text: %1").arg(e.what()));
    }
}

void MainWindow::setText(const std::vector<uint8_t>& bytes) {
    text_->setPlainText(QString::fromUtf8(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size())));
    bytes_ = bytes;  // exact bytes, even where the text pane shows replacement characters
    scheduleAnalysis();
}

bool MainWindow::openTextFile(const QString& path) {
    try {
        setText(readFile(path.toStdString(), uint64_t(64) << 20));
        setWindowTitle("eqlab - " + path.section('/', -1));
        return true;
    } catch (const Error& e) {
        QMessageBox::warning(this, "eqlab", QString::fromStdString(e.what()));
        return false;
    }
}

void MainWindow::openFileDialog() {
    const QString path = QFileDialog::getOpenFileName(this, "Open text");
    if (!path.isEmpty()) openTextFile(path);
}

CodecParams MainWindow::currentParams() const {
    CodecParams p;
    p.method = Method(method_->currentData().toInt());
    p.windowBits = windowBits_->value();
    p.tokenBits = tokenBits_->value();
    return p;
}

void MainWindow::scheduleAnalysis() { debounce_.start(); }

void MainWindow::runAnalysis() {
    const CodecParams p = currentParams();
    try {
        p.validate();
    } catch (const Error& e) {
        summary_->setText(QString("<b>Invalid parameters:</b> %1").arg(QString(e.what()).toHtmlEscaped()));
        return;
    }
    std::vector<uint8_t> data = bytes_;
    const bool truncated = data.size() > kMaxAnalysedBytes;
    if (truncated) data.resize(kMaxAnalysedBytes);
    bytesLabel_->setText(QString("%L1 bytes%2").arg(bytes_.size()).arg(truncated ? " (first 1 MiB analysed)" : ""));
    progress_->setValue(0);
    cancel_->setEnabled(true);
    worker_.start(std::move(data), p, QString());
}

void MainWindow::showResult(std::shared_ptr<AnalysisResult> r) {
    result_ = r;
    cancel_->setEnabled(false);
    progress_->setValue(100);
    const Encoded& e = r->encoded;
    QString s = QString("<b>%1</b> under %2<br>%L3 bytes &rarr; %L4 tokens, <b>%5 bytes/token</b>, %6 bits/byte")
                    .arg(QString::fromStdString(e.params.label()), QString::fromStdString(r->modelName).toHtmlEscaped())
                    .arg(e.inputBytes).arg(e.tokens.size())
                    .arg(e.bytesPerToken(), 0, 'f', 3).arg(e.bitsPerByte(), 0, 'f', 3);
    if (e.params.method == Method::EqualInfoAc)
        s += QString(", %L1 windows, decodable from the tokens alone: %2%").arg(e.windows).arg(100.0 * e.tokenOnlyDecodable.value_or(0), 0, 'f', 1);
    s += r->roundTripOk ? " &mdash; round trip <span style='color:#1b7837'>passed</span>"
                        : " &mdash; round trip <span style='color:#b2182b'><b>FAILED</b></span>";
    if (!r->note.empty()) s += "<br><i>" + QString::fromStdString(r->note).toHtmlEscaped() + "</i>";
    summary_->setText(s);
}

void MainWindow::showError(const QString& message) {
    cancel_->setEnabled(false);
    summary_->setText("<b>Analysis failed:</b> " + message.toHtmlEscaped());
}

bool MainWindow::saveScreenshotWhenReady(const QString& path) {
    show();
    QEventLoop loop;
    connect(&worker_, &AnalysisWorker::finished, &loop, &QEventLoop::quit);
    connect(&worker_, &AnalysisWorker::failed, &loop, &QEventLoop::quit);
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    runAnalysis();
    loop.exec();
    QApplication::processEvents();
    return grab().save(path);
}

}  // namespace eqlab::ui
