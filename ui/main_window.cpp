#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>
#include <atomic>
#include <QVBoxLayout>
#include <thread>

#include "bit_chart.h"
#include "compare_view.h"
#include "methods/container.h"
#include "methods/default_models.h"
#include "models/model_files.h"
#include "base/errors.h"
#include "export.h"
#include "base/file_io.h"
#include "m1/m1_format.h"
#include "m1_view.h"
#include "m2_view.h"
#include "summary_panel.h"
#include "text_view.h"
#include "theme.h"
#include "token_strip.h"
#include "trace_model.h"

namespace eqlab::ui {

namespace {
constexpr int kDebounceMs = 300;                    // quiet time after an edit before re-analysing
constexpr uint64_t kMaxOpenBytes = uint64_t(256) << 20;  // larger files are refused with a message
const std::pair<const char*, uint64_t> kLimits[] = {{"16 KiB", 16 << 10}, {"64 KiB", 64 << 10}, {"256 KiB", 256 << 10},
                                                    {"1 MiB", 1 << 20},   {"4 MiB", 4 << 20},   {"everything", UINT64_MAX}};

// The surprisal colour scale with its ticks: 0, 3, 6, 9 and 12+ bits.
QPixmap surprisalLegend(int width, int barHeight, const QFont& font) {
    const QFontMetrics fm(font);
    QPixmap pm(width, barHeight + fm.height() + 2);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setFont(font);
    const Theme& t = Theme::current();
    const int inner = width - 24;
    for (int x = 0; x < inner; ++x) {
        p.setPen(t.surprisal(Theme::kSurprisalMax * x / std::max(1, inner - 1)));
        p.drawLine(x + 8, 0, x + 8, barHeight);
    }
    p.setPen(t.foreground);
    for (int bits = 0; bits <= 12; bits += 3) {
        const int x = 8 + inner * bits / 12;
        const QString label = bits == 12 ? "12+ bits" : QString::number(bits);
        const int w = fm.horizontalAdvance(label);
        p.drawText(std::clamp(x - w / 2, 0, width - w), barHeight + fm.ascent() + 1, label);
    }
    return pm;
}
}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle("eqlab");
    setAcceptDrops(true);
    model_ = new TraceModel(this);

    // Explore: input editor, the analysed text, tokens over bits, bit allocation.
    auto* explore = new QWidget;
    auto* exploreLayout = new QHBoxLayout(explore);
    exploreLayout->setContentsMargins(4, 4, 4, 4);
    auto* sideScroll = new QScrollArea;
    sideScroll->setWidget(buildMethodPanel());
    sideScroll->setWidgetResizable(true);
    sideScroll->setMinimumWidth(300);
    sideScroll->setMaximumWidth(380);
    sideScroll->setFrameShape(QFrame::NoFrame);
    exploreLayout->addWidget(sideScroll);

    splitter_ = new QSplitter(Qt::Vertical);
    auto* editorBox = new QWidget;
    auto* editorLayout = new QVBoxLayout(editorBox);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorBanner_ = new QLabel;
    editorBanner_->setWordWrap(true);
    editorBanner_->hide();
    connect(editorBanner_, &QLabel::linkActivated, this, [this] {
        editor_->setReadOnly(false);
        bytesFromEditor_ = true;
        editorBanner_->hide();
    });
    editor_ = new QPlainTextEdit;
    editor_->setObjectName("editor");
    editor_->setPlaceholderText("Type, paste or drop text here (or File > Open).");
    editor_->setToolTip("The input. Every edit is re-analysed after a short pause.");
    editor_->viewport()->installEventFilter(this);
    editorLayout->addWidget(editorBanner_);
    editorLayout->addWidget(editor_);
    splitter_->addWidget(editorBox);
    textView_ = new TextTraceView(model_);
    textView_->setObjectName("textView");
    splitter_->addWidget(textView_);
    tokenStrip_ = new TokenStrip(model_);
    tokenStrip_->setObjectName("tokenStrip");
    splitter_->addWidget(tokenStrip_);
    bitChart_ = new BitChart(model_);
    splitter_->addWidget(bitChart_);
    splitter_->setStretchFactor(0, 1);
    splitter_->setStretchFactor(1, 4);
    splitter_->setStretchFactor(2, 0);
    splitter_->setStretchFactor(3, 3);
    splitter_->setSizes({110, 330, 80, 260});
    exploreLayout->addWidget(splitter_, 1);

    compare_ = new CompareView;
    m1_ = new M1View;
    m2_ = new M2View;
    tabs_ = new QTabWidget;
    tabs_->addTab(explore, "Explore");
    tabs_->addTab(compare_, "Compare");
    tabs_->addTab(m1_, "M1");
    tabs_->addTab(m2_, "Learnability");
    tabs_->setTabToolTip(0, "One method on the text: windows, tokens, bits (Ctrl+1).");
    tabs_->setTabToolTip(1, "Every method on the text, beside the paper's figures (Ctrl+2).");
    tabs_->setTabToolTip(2, "Train or fine-tune the byte model M1 (Ctrl+3).");
    tabs_->setTabToolTip(3, "Train M2 on each method's tokens: can a model learn compressed text? (Ctrl+4)");
    setCentralWidget(tabs_);

    bytesLabel_ = new QLabel;
    statusBar()->addPermanentWidget(bytesLabel_);
    buildMenus();

    debounce_.setSingleShot(true);
    debounce_.setInterval(kDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &MainWindow::runAnalysis);
    connect(editor_, &QPlainTextEdit::textChanged, this, [this] {
        if (!bytesFromEditor_) return;
        scheduleAnalysis();
    });
    connect(&worker_, &AnalysisWorker::progress, progress_, &QProgressBar::setValue);
    connect(&worker_, &AnalysisWorker::finished, this, &MainWindow::showResult);
    connect(&worker_, &AnalysisWorker::failed, this, &MainWindow::showError);
    connect(tabs_, &QTabWidget::currentChanged, this, [this](int i) {
        if (i == int(View::Compare)) compare_->setInput(bytes_, modelPath_->text());
    });
    connect(m1_, &M1View::useModel, this, [this](const QString& path) {
        setModelPath(path);
        showView(View::Explore);
        statusBar()->showMessage("Now coding with " + path, 5000);
    });

    resize(1280, 860);
    restoreSettings();
    try {
        setBytes(readFile(resourcePath(kSampleTextFile)));
    } catch (const Error& e) {
        summary_->showMessage(QString("Could not load the sample text: %1").arg(QString(e.what()).toHtmlEscaped()));
    }
    m1_->setCurrentModel(modelPath_->text());
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::buildMethodPanel() {
    auto* panel = new QWidget;
    auto* layout = new QVBoxLayout(panel);
    auto* box = new QGroupBox("Method");
    auto* form = new QFormLayout(box);
    method_ = new QComboBox;
    method_->setObjectName("method");
    for (Method m : allMethods()) method_->addItem(QString::fromStdString(methodName(m)), int(m));
    method_->setCurrentIndex(int(Method::EqualInfoAc));
    method_->setToolTip("How the text becomes tokens: raw bytes, gzip, arithmetic coding under a static model "
                        "(static-ac) or under M1 (ac), Equal-Info windows (eqinfo-ac), or SentencePiece.");
    windowBits_ = new QSpinBox;
    windowBits_->setObjectName("windowBits");
    windowBits_->setRange(kMinWindowBits, kMaxWindowBits);
    windowBits_->setValue(16);
    windowBits_->setToolTip("b: every Equal-Info window compresses to exactly this many bits; the coder resets at each window.");
    tokenBits_ = new QSpinBox;
    tokenBits_->setObjectName("tokenBits");
    tokenBits_->setRange(kMinTokenBits, kMaxTokenBits);
    tokenBits_->setValue(8);
    tokenBits_->setToolTip("k: bits per token; the vocabulary has 2^k tokens (8: v = 256, 16: v = 65,536).");
    chunkKiB_ = new QSpinBox;
    chunkKiB_->setRange(1, 1024);
    chunkKiB_->setValue(10);
    chunkKiB_->setSuffix(" KiB");
    chunkKiB_->setToolTip("ac and static-ac code the text in independent chunks of this size (the paper: 10 KiB).");
    auto* modelRow = new QHBoxLayout;
    modelPath_ = new QLineEdit;
    modelPath_->setPlaceholderText("bundled M1");
    modelPath_->setToolTip("The M1 weights (.eqm1) that drive ac and eqinfo-ac. Empty: the bundled model.");
    auto* browse = new QPushButton("...");
    browse->setMaximumWidth(32);
    browse->setToolTip("Choose an M1 weights file.");
    modelRow->addWidget(modelPath_, 1);
    modelRow->addWidget(browse);
    limit_ = new QComboBox;
    for (const auto& [name, n] : kLimits) limit_->addItem(name, QVariant::fromValue<qulonglong>(n));
    limit_->setCurrentIndex(1);
    limit_->setToolTip("Only the leading part of a long text is analysed (M1 codes about 10 KB/s); raise this to see more.");
    form->addRow("method", method_);
    form->addRow("b (window bits)", windowBits_);
    form->addRow("k (token bits)", tokenBits_);
    form->addRow("chunk", chunkKiB_);
    form->addRow("model", modelRow);
    form->addRow("analyse at most", limit_);
    layout->addWidget(box);

    auto* viewBox = new QGroupBox("Text colouring");
    auto* viewLayout = new QVBoxLayout(viewBox);
    colouring_ = new QComboBox;
    colouring_->setObjectName("colouring");
    colouring_->addItem("windows");
    colouring_->addItem("surprisal");
    colouring_->setToolTip("Windows: alternating backgrounds per window, bars at boundaries. Surprisal: each character "
                           "coloured by the bits the model spent on it.");
    legend_ = new QLabel;
    legend_->setToolTip("Surprisal colour scale: bits the model spent on a character, 0 (light) to 12 or more (dark).");
    viewLayout->addWidget(colouring_);
    viewLayout->addWidget(legend_);
    layout->addWidget(viewBox);

    auto* runRow = new QHBoxLayout;
    progress_ = new QProgressBar;
    progress_->setRange(0, 100);
    progress_->setToolTip("Progress of the analysis (encode, then the decode check).");
    cancel_ = new QPushButton("Cancel");
    cancel_->setEnabled(false);
    cancel_->setToolTip("Stop the analysis in flight (Esc).");
    runRow->addWidget(progress_, 1);
    runRow->addWidget(cancel_);
    layout->addLayout(runRow);

    auto* sumBox = new QGroupBox("Summary");
    auto* sumLayout = new QVBoxLayout(sumBox);
    summary_ = new SummaryPanel;
    sumLayout->addWidget(summary_);
    layout->addWidget(sumBox, 1);

    connect(method_, &QComboBox::currentIndexChanged, this, [this] {
        const Method m = Method(method_->currentData().toInt());
        windowBits_->setEnabled(m == Method::EqualInfoAc);
        tokenBits_->setEnabled(m != Method::SentencePiece && m != Method::Bytes);
        chunkKiB_->setEnabled(m == Method::Ac || m == Method::StaticAc);
        scheduleAnalysis();
    });
    connect(windowBits_, &QSpinBox::valueChanged, this, &MainWindow::scheduleAnalysis);
    connect(tokenBits_, &QSpinBox::valueChanged, this, &MainWindow::scheduleAnalysis);
    connect(chunkKiB_, &QSpinBox::valueChanged, this, &MainWindow::scheduleAnalysis);
    connect(limit_, &QComboBox::currentIndexChanged, this, &MainWindow::scheduleAnalysis);
    connect(modelPath_, &QLineEdit::editingFinished, this, [this] {
        m1_->setCurrentModel(modelPath_->text());
        scheduleAnalysis();
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, "M1 weights", modelPath_->text(), "M1 weights (*.eqm1);;All files (*)");
        if (!p.isEmpty()) setModelPath(p);
    });
    connect(colouring_, &QComboBox::currentIndexChanged, this, [this](int i) {
        textView_->setColouring(i == 1 ? TextTraceView::Colouring::Surprisal : TextTraceView::Colouring::Windows);
        legend_->setVisible(i == 1);
    });
    connect(cancel_, &QPushButton::clicked, this, [this] {
        worker_.cancel();
        cancel_->setEnabled(false);
        progress_->setValue(0);
        summary_->showMessage("<i>Analysis cancelled.</i>");
        statusBar()->showMessage("Analysis cancelled", 3000);
    });
    legend_->setPixmap(surprisalLegend(260, 10, font()));
    legend_->setVisible(false);
    return panel;
}

void MainWindow::buildMenus() {
    auto* file = menuBar()->addMenu("&File");
    file->addAction("&Open text or container...", QKeySequence::Open, this, [this] {
        QSettings s;
        const QString path = QFileDialog::getOpenFileName(this, "Open", s.value("open/dir").toString(),
                                                          "Text or eqlab container (*);;eqlab containers (*.eqlc)");
        if (path.isEmpty()) return;
        s.setValue("open/dir", QFileInfo(path).absolutePath());
        openFile(path);
    });
    file->addAction("Open the &sample text", this, [this] { setBytes(readFile(resourcePath(kSampleTextFile))); });
    file->addAction("Save as &container...", QKeySequence::Save, this, [this] {
        if (!result_) return;
        exportWithDialog(this, "Save container", "text.eqlc", "eqlab container (*.eqlc)", [this](const QString& p) {
            const ModelSet models = loadModelsFor(result_->encoded.params.method, modelPath_->text().toStdString());
            writeFileAtomic(p.toStdString(), writeContainer(result_->encoded, models));
        });
    });
    file->addSeparator();
    file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

    auto* edit = menuBar()->addMenu("&Edit");
    edit->addAction("Copy &summary", QKeySequence("Ctrl+Shift+C"), this,
                    [this] { QApplication::clipboard()->setText(summary_->plainText()); });
    edit->addAction("Copy bit &chart image", this, [this] { QApplication::clipboard()->setPixmap(bitChart_->grab()); });

    auto* view = menuBar()->addMenu("&View");
    view->addAction("&Explore", QKeySequence("Ctrl+1"), this, [this] { showView(View::Explore); });
    view->addAction("&Compare methods", QKeySequence("Ctrl+2"), this, [this] { showView(View::Compare); });
    view->addAction("&M1 training", QKeySequence("Ctrl+3"), this, [this] { showView(View::M1); });
    view->addAction("&Learnability (M2)", QKeySequence("Ctrl+4"), this, [this] { showView(View::M2); });
    view->addSeparator();
    view->addAction("Colour by &windows / surprisal", QKeySequence("Ctrl+Shift+S"), this,
                    [this] { colouring_->setCurrentIndex(1 - colouring_->currentIndex()); });
    hexAction_ = view->addAction("Tokens in &hex", QKeySequence("Ctrl+Shift+H"), this, [this](bool on) { tokenStrip_->setHex(on); });
    hexAction_->setCheckable(true);
    darkAction_ = view->addAction("&Dark theme", QKeySequence("Ctrl+Shift+D"), this, [this](bool on) { setDark(on); });
    darkAction_->setCheckable(true);
    view->addAction("Zoom &in", QKeySequence::ZoomIn, this, [this] {
        QFont f = textView_->font();
        f.setPointSizeF(std::min(32.0, f.pointSizeF() + 1));
        textView_->setFont(f);
    });
    view->addAction("Zoom &out", QKeySequence::ZoomOut, this, [this] {
        QFont f = textView_->font();
        f.setPointSizeF(std::max(6.0, f.pointSizeF() - 1));
        textView_->setFont(f);
    });

    auto* nav = menuBar()->addMenu("&Navigate");
    nav->addAction("&Next window", QKeySequence("Alt+Right"), model_, [this] { model_->stepSegment(+1); });
    nav->addAction("&Previous window", QKeySequence("Alt+Left"), model_, [this] { model_->stepSegment(-1); });
    nav->addAction("Next &token", QKeySequence("Alt+Shift+Right"), model_, [this] { model_->stepToken(+1); });
    nav->addAction("Previous t&oken", QKeySequence("Alt+Shift+Left"), model_, [this] { model_->stepToken(-1); });
    nav->addAction("Clear &highlight", QKeySequence("Ctrl+Shift+X"), model_, &TraceModel::clearHighlight);
    nav->addSeparator();
    nav->addAction("&Re-analyse", QKeySequence::Refresh, this, [this] {
        if (tabs_->currentIndex() == int(View::Compare)) {
            compare_->setInput(bytes_, modelPath_->text());
            compare_->run();
        } else {
            runAnalysis();
        }
    });
    nav->addAction("&Cancel", QKeySequence::Cancel, this, [this] {
        if (cancel_->isEnabled()) cancel_->click();
        compare_->cancel();
    });

    auto* exp = menuBar()->addMenu("E&xport");
    auto plotExport = [this](const QString& suffix) {
        exportWithDialog(this, "Export bit-allocation chart", "eqlab-bits." + suffix, suffix.toUpper() + " (*." + suffix + ")",
                         [this](const QString& p) { savePlot(bitChart_->plot(), p); });
    };
    exp->addAction("Bit-allocation chart as &PNG...", this, [plotExport] { plotExport("png"); });
    exp->addAction("Bit-allocation chart as P&DF...", this, [plotExport] { plotExport("pdf"); });
    exp->addAction("&Explore view as PNG...", this, [this] {
        exportWithDialog(this, "Export view", "eqlab-view.png", "PNG (*.png)", [this](const QString& p) { saveWidgetPng(this, p); });
    });
    exp->addSeparator();
    exp->addAction("&Windows as CSV...", QKeySequence("Ctrl+E"), this, [this] {
        exportWithDialog(this, "Export windows", "eqlab-windows.csv", "CSV (*.csv)", [this](const QString& p) { saveText(p, windowsCsv(*model_)); });
    });
    exp->addAction("&Tokens as CSV...", this, [this] {
        exportWithDialog(this, "Export tokens", "eqlab-tokens.csv", "CSV (*.csv)", [this](const QString& p) { saveText(p, tokensCsv(*model_)); });
    });
    exp->addAction("&Bytes (surprisal, bits) as CSV...", this, [this] {
        exportWithDialog(this, "Export bytes", "eqlab-bytes.csv", "CSV (*.csv)", [this](const QString& p) { saveText(p, bytesCsv(*model_)); });
    });
    exp->addAction("Whole analysis as &JSON...", QKeySequence("Ctrl+Shift+E"), this, [this] {
        exportWithDialog(this, "Export analysis", "eqlab-analysis.json", "JSON (*.json)", [this](const QString& p) { saveText(p, analysisJson(*model_)); });
    });

    auto* help = menuBar()->addMenu("&Help");
    help->addAction("&About eqlab", this, &MainWindow::showAbout);
    help->addAction("&Keyboard shortcuts", this, [this] {
        QMessageBox::information(this, "Keyboard shortcuts",
                                 "Ctrl+O open, Ctrl+S save container, F5 re-analyse, Esc cancel\n"
                                 "Alt+Right / Alt+Left: next / previous window\n"
                                 "Alt+Shift+Right / Alt+Shift+Left: next / previous token\n"
                                 "Ctrl+1 / 2 / 3 / 4: Explore / Compare / M1 / Learnability\n"
                                 "Ctrl+Shift+S: colour by windows or surprisal; Ctrl+Shift+H: hex tokens\n"
                                 "Ctrl+Shift+D: dark theme; Ctrl++ / Ctrl+-: text size\n"
                                 "Ctrl+E: windows CSV; Ctrl+Shift+E: analysis JSON; Ctrl+Shift+C: copy summary");
    });
}

void MainWindow::showAbout() {
    QString model = modelPath_->text().isEmpty() ? QString::fromStdString(defaultM1Path()) : modelPath_->text();
    QString modelLine;
    try {
        const m1::M1Weights w = m1::M1Weights::load(model.toStdString());
        modelLine = QString("M1: %1 (%2), validation %3 bits/byte after %L4 steps on %5")
                        .arg(QFileInfo(model).fileName(), QString::fromStdString(w.config.describe()))
                        .arg(w.provenance.validBitsPerByte, 0, 'f', 3)
                        .arg(w.provenance.steps)
                        .arg(QString::fromStdString(w.provenance.corpusName));
    } catch (const std::exception& e) {
        modelLine = QString("M1: %1 cannot be read (%2)").arg(model, e.what());
    }
    QMessageBox::about(this, "About eqlab",
                       QString("<b>eqlab %1</b><br>A laboratory for language models over neurally compressed text "
                               "(Equal-Info Windows).<br><br>%2")
                           .arg(QApplication::applicationVersion(), modelLine.toHtmlEscaped()));
}

void MainWindow::setDark(bool dark) {
    Theme::setDark(dark);
    darkAction_->setChecked(dark);
    bitChart_->restyle();
    compare_->restyle();
    m1_->restyle();
    m2_->restyle();
    legend_->setPixmap(surprisalLegend(260, 10, font()));
    textView_->viewport()->update();
    tokenStrip_->viewport()->update();
    summary_->showResult(result_.get(), bytes_.size());
}

void MainWindow::setMethod(Method m, int windowBits, int tokenBits) {
    windowBits_->setValue(windowBits);
    tokenBits_->setValue(tokenBits);
    method_->setCurrentIndex(method_->findData(int(m)));
    scheduleAnalysis();
}

void MainWindow::setModelPath(const QString& path) {
    modelPath_->setText(path);
    m1_->setCurrentModel(path);
    scheduleAnalysis();
}

void MainWindow::showView(View v) {
    tabs_->setCurrentIndex(int(v));
}

void MainWindow::setBytes(const std::vector<uint8_t>& bytes) {
    bytes_ = bytes;
    const bool exact = bytes.size() <= (uint64_t(32) << 20) && isExactText(bytes.data(), bytes.size());
    bytesFromEditor_ = false;
    editor_->setReadOnly(!exact);
    const qsizetype shown = qsizetype(std::min<size_t>(bytes.size(), size_t(32) << 20));
    editor_->setPlainText(QString::fromUtf8(reinterpret_cast<const char*>(bytes.data()), shown));
    bytesFromEditor_ = exact;
    if (!exact) {
        editorBanner_->setText(QString("<b>Not plain text</b> (invalid UTF-8, control bytes or over 32 MiB): the editor shows "
                                       "a lossy view and is read-only so the bytes stay exact; the analysis below shows "
                                       "every byte, with escapes like <tt>\\xFF</tt>. <a href='#'>Edit anyway</a>"));
        editorBanner_->show();
    } else {
        editorBanner_->hide();
    }
    updateBytesLabel();
    scheduleAnalysis();
}

bool MainWindow::openFile(const QString& path) {
    try {
        std::vector<uint8_t> data = readFile(path.toStdString(), kMaxOpenBytes);
        if (looksLikeContainer(data.data(), data.size())) {
            const Container c = readContainer(data.data(), data.size());
            const QString modelPath = modelPath_->text();
            const ModelSet models = c.models([&]() -> std::shared_ptr<ByteModel> {
                return std::shared_ptr<ByteModel>(loadByteModel(modelPath.isEmpty() ? defaultM1Path() : modelPath.toStdString()));
            });
            statusBar()->showMessage("Decoding " + QFileInfo(path).fileName() + "...");
            QApplication::setOverrideCursor(Qt::BusyCursor);
            std::vector<uint8_t> out;
            std::string error;
            std::atomic<bool> done{false};
            std::thread t([&] {
                try {
                    out = decode(c.encoded, models, {}, std::max(1, QThread::idealThreadCount()));
                } catch (const std::exception& e) {
                    error = e.what();
                }
                done = true;
            });
            while (!done) {  // keep painting while the decoder works
                QApplication::processEvents(QEventLoop::ExcludeUserInputEvents, 50);
                QThread::msleep(10);
            }
            t.join();
            QApplication::restoreOverrideCursor();
            if (!error.empty()) throw FormatError(error);
            const CodecParams& p = c.encoded.params;
            chunkKiB_->setValue(int(std::max<uint64_t>(1, p.chunkBytes / 1024)));
            setMethod(p.method, p.windowBits, p.tokenBits);
            setBytes(out);
            statusBar()->showMessage(QString("Decoded %1: %L2 bytes, %3").arg(QFileInfo(path).fileName()).arg(out.size())
                                         .arg(QString::fromStdString(p.label())), 8000);
        } else {
            setBytes(data);
        }
        setWindowTitle("eqlab - " + QFileInfo(path).fileName());
        return true;
    } catch (const std::exception& e) {
        QApplication::restoreOverrideCursor();
        QMessageBox::warning(this, "eqlab", QString("Cannot open %1:\n%2").arg(path, e.what()));
        return false;
    }
}

CodecParams MainWindow::currentParams() const {
    CodecParams p;
    p.method = Method(method_->currentData().toInt());
    p.windowBits = windowBits_->value();
    p.tokenBits = p.method == Method::Bytes ? 8 : tokenBits_->value();
    p.chunkBytes = uint64_t(chunkKiB_->value()) * 1024;
    return p;
}

uint64_t MainWindow::analysisLimit() const { return limit_->currentData().toULongLong(); }

void MainWindow::updateBytesLabel() {
    const uint64_t limit = analysisLimit();
    QString s = QString("%L1 bytes").arg(bytes_.size());
    if (bytes_.size() > limit) s += QString(" (first %L1 analysed)").arg(limit);
    bytesLabel_->setText(s);
}

void MainWindow::scheduleAnalysis() { debounce_.start(); }

void MainWindow::runAnalysisNow() {
    debounce_.stop();
    runAnalysis();
}

void MainWindow::runAnalysis() {
    debounce_.stop();
    if (bytesFromEditor_) {
        const QByteArray utf8 = editor_->toPlainText().toUtf8();
        bytes_.assign(utf8.begin(), utf8.end());
    }
    updateBytesLabel();
    const CodecParams p = currentParams();
    try {
        p.validate();
    } catch (const Error& e) {
        summary_->showMessage(QString("<b>Invalid parameters:</b> %1").arg(QString(e.what()).toHtmlEscaped()));
        return;
    }
    std::vector<uint8_t> data = bytes_;
    if (data.size() > analysisLimit()) data.resize(analysisLimit());
    progress_->setValue(0);
    cancel_->setEnabled(true);
    summary_->showMessage(bytes_.size() > analysisLimit()
                              ? QString("<i>Analysing the first %L1 of %L2 bytes (raise 'analyse at most' to see more)...</i>")
                                    .arg(analysisLimit()).arg(bytes_.size())
                              : QString("<i>Analysing...</i>"));
    worker_.start(std::move(data), p, modelPath_->text());
}

void MainWindow::showResult(std::shared_ptr<AnalysisResult> r) {
    result_ = r;
    cancel_->setEnabled(false);
    progress_->setValue(100);
    std::vector<uint8_t> analysed(bytes_.begin(), bytes_.begin() + std::ptrdiff_t(std::min<uint64_t>(bytes_.size(), r->encoded.inputBytes)));
    model_->setResult(r, std::move(analysed));
    summary_->showResult(r.get(), bytes_.size());
    if (bytes_.size() > r->encoded.inputBytes)
        summary_->showMessage(QString("<b>Showing the first %L1 of %L2 bytes.</b> Raise 'analyse at most' to see more.")
                                  .arg(r->encoded.inputBytes).arg(bytes_.size()));
}

void MainWindow::showError(const QString& message) {
    cancel_->setEnabled(false);
    progress_->setValue(0);
    summary_->showMessage("<b>Analysis failed:</b> " + message.toHtmlEscaped());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
    if (e->mimeData()->hasUrls()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
    const auto urls = e->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile()) openFile(urls.first().toLocalFile());
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    // A file dropped on the editor opens it, rather than pasting its URL.
    if (watched == editor_->viewport()) {
        if (event->type() == QEvent::DragEnter || event->type() == QEvent::DragMove) {
            auto* e = static_cast<QDragMoveEvent*>(event);
            if (e->mimeData()->hasUrls()) {
                e->acceptProposedAction();
                return true;
            }
        } else if (event->type() == QEvent::Drop) {
            auto* e = static_cast<QDropEvent*>(event);
            if (e->mimeData()->hasUrls()) {
                dropEvent(e);
                return true;
            }
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::restoreSettings() {
    QSettings s;
    restoreGeometry(s.value("window/geometry").toByteArray());
    splitter_->restoreState(s.value("window/splitter").toByteArray());
    const int m = method_->findText(s.value("method/name", "eqinfo-ac").toString());
    if (m >= 0) method_->setCurrentIndex(m);
    windowBits_->setValue(s.value("method/b", 16).toInt());
    tokenBits_->setValue(s.value("method/k", 8).toInt());
    chunkKiB_->setValue(s.value("method/chunkKiB", 10).toInt());
    modelPath_->setText(s.value("method/model").toString());
    limit_->setCurrentIndex(std::clamp(s.value("method/limit", 1).toInt(), 0, limit_->count() - 1));
    colouring_->setCurrentIndex(s.value("view/colouring", 0).toInt());
    hexAction_->setChecked(s.value("view/hex", false).toBool());
    tokenStrip_->setHex(hexAction_->isChecked());
    setDark(s.value("view/dark", false).toBool());
}

void MainWindow::saveSettings() const {
    QSettings s;
    s.setValue("window/geometry", saveGeometry());
    s.setValue("window/splitter", splitter_->saveState());
    s.setValue("method/name", method_->currentText());
    s.setValue("method/b", windowBits_->value());
    s.setValue("method/k", tokenBits_->value());
    s.setValue("method/chunkKiB", chunkKiB_->value());
    s.setValue("method/model", modelPath_->text());
    s.setValue("method/limit", limit_->currentIndex());
    s.setValue("view/colouring", colouring_->currentIndex());
    s.setValue("view/hex", hexAction_->isChecked());
    s.setValue("view/dark", darkAction_->isChecked());
}

void MainWindow::closeEvent(QCloseEvent* e) {
    saveSettings();
    worker_.cancel();
    compare_->cancel();
    m1_->stop();
    m2_->stop();
    QMainWindow::closeEvent(e);
}

bool MainWindow::saveScreenshotWhenReady(const QString& path, View view) {
    show();
    QEventLoop loop;
    QTimer::singleShot(600000, &loop, &QEventLoop::quit);
    if (view == View::Explore) {
        auto c1 = connect(&worker_, &AnalysisWorker::finished, &loop, &QEventLoop::quit);
        auto c2 = connect(&worker_, &AnalysisWorker::failed, &loop, &QEventLoop::quit);
        runAnalysisNow();
        loop.exec();
        disconnect(c1);
        disconnect(c2);
        // Point at something worth seeing: a window in the text, a token in the strip.
        if (model_->trace() && model_->trace()->segments.size() > 3) model_->selectSegment(3);
    } else if (view == View::Compare) {
        showView(View::Compare);
        compare_->setInput(bytes_, modelPath_->text());
        connect(compare_, &CompareView::finished, &loop, &QEventLoop::quit);
        compare_->run();
        loop.exec();
    } else if (view == View::M2) {
        showView(View::M2);
        if (m2_->runs().empty()) {  // nothing saved yet: a short run on the text shows the curves
            m2_->setBudget(0.25);
            connect(m2_, &M2View::finished, &loop, &QEventLoop::quit);
            m2_->train({"eqinfo-ac[b=16,v=256]"});
            loop.exec();
        }
    } else {
        showView(View::M1);
        m1_->setBudget(0, 24);
        connect(m1_, &M1View::finished, &loop, &QEventLoop::quit);
        m1_->start();
        loop.exec();
    }
    QApplication::processEvents();
    QApplication::processEvents();
    try {
        saveWidgetPng(this, path);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace eqlab::ui
