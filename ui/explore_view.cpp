#include "explore_view.h"

#include <QComboBox>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QThread>
#include <QVBoxLayout>
#include <cstdio>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "bit_chart.h"
#include "go_to_dialog.h"
#include "input_editor.h"
#include "methods/container.h"
#include "methods/default_models.h"
#include "models/model_files.h"
#include "path_field.h"
#include "summary_panel.h"
#include "text_view.h"
#include "theme.h"
#include "token_strip.h"
#include "trace_model.h"
#include "window_inspector.h"
#include "zoom.h"

namespace eqlab::ui {

namespace {
constexpr int kDebounceMs = 300;                         // quiet time after an edit before re-analysing
constexpr uint64_t kMaxOpenBytes = uint64_t(256) << 20;  // larger files are refused with a message
constexpr size_t kMaxEditorBytes = size_t(32) << 20;     // larger texts are shown cut and read-only
constexpr int kProgressMax = 100;                        // the side panel's progress bar runs 0..100
constexpr char kRuns[] = "runs";                         // markStale's `what` while an analysis runs
const std::pair<const char*, uint64_t> kLimits[] = {{"16 KiB", 16 << 10},   {"64 KiB", 64 << 10},
                                                    {"256 KiB", 256 << 10}, {"1 MiB", 1 << 20},
                                                    {"4 MiB", 4 << 20},     {"everything", UINT64_MAX}};

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

ExploreView::ExploreView(QWidget* parent) : QWidget(parent) {
    model_ = new TraceModel(this);

    // Input editor, the analysed text, tokens over bits, bit allocation.
    auto* exploreLayout = new QHBoxLayout(this);
    exploreLayout->setContentsMargins(4, 4, 4, 4);
    auto* sideScroll = new QScrollArea;
    sideScroll->setWidget(buildMethodPanel());
    sideScroll->setWidgetResizable(true);
    Zoom::scaleBounds(sideScroll, {300, 0}, {380, QWIDGETSIZE_MAX});
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
    editor_ = new InputEditor;
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
    inspector_ = new WindowInspector(model_);
    inspector_->setMinimumWidth(260);
    inspectorSplitter_ = new QSplitter(Qt::Horizontal);
    inspectorSplitter_->addWidget(splitter_);
    inspectorSplitter_->addWidget(inspector_);
    inspectorSplitter_->setStretchFactor(0, 1);
    inspectorSplitter_->setStretchFactor(1, 0);
    inspectorSplitter_->setSizes({900, 360});
    exploreLayout->addWidget(inspectorSplitter_, 1);

    debounce_.setSingleShot(true);
    debounce_.setInterval(kDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &ExploreView::runAnalysis);
    connect(editor_, &QPlainTextEdit::textChanged, this, [this] {
        if (!bytesFromEditor_) return;
        scheduleAnalysis();
    });
    // A large text goes into the editor in slices (InputEditor): progress on the status bar.
    connect(editor_, &InputEditor::loadProgress, this, [this](int percent) {
        emit statusMessage(
            percent < kProgressMax ? QString("Loading the text into the editor: %1%").arg(percent) : QString(), 0);
    });
    connect(editor_, &InputEditor::loaded, this, [this] {
        if (bytesFromEditor_) return scheduleAnalysis();  // a paste: analysed once it is all in
        // setBytes(): its analysis is scheduled already; edits count from now on.
        bytesFromEditor_ = editorExact_;
    });
    connect(&worker_, &AnalysisWorker::progress, progress_, &QProgressBar::setValue);
    connect(&worker_, &AnalysisWorker::progressText, progress_, &QProgressBar::setFormat);  // phase, time left
    connect(&worker_, &AnalysisWorker::coded, this, &ExploreView::showResult);
    connect(&worker_, &AnalysisWorker::finished, this, [this](std::shared_ptr<AnalysisResult> r) {
        // The coded result of this run is on screen: only the round trip's verdict is new.
        if (!result_ || !result_->roundTripPending || result_->run != r->run) return showResult(r);
        result_->roundTripOk = r->roundTripOk;
        result_->roundTripPending = false;
        result_->seconds = r->seconds;
        cancel_->setEnabled(decoder_.busy());
        progress_->setValue(kProgressMax);
        summary_->showResult(result_.get(), bytes_.size());
        showScope();
    });
    connect(&worker_, &AnalysisWorker::failed, this, &ExploreView::showError);
    connect(&decoder_, &BackgroundJob::progress, progress_, &QProgressBar::setValue);
    connect(&decoder_, &BackgroundJob::failed, this, &ExploreView::openingFailed);
}

QWidget* ExploreView::buildMethodPanel() {
    auto* panel = new QWidget;
    auto* layout = new QVBoxLayout(panel);
    auto* box = new QGroupBox("Method");
    auto* form = new QFormLayout(box);
    method_ = new QComboBox;
    method_->setObjectName("method");
    for (Method m : allMethods()) method_->addItem(QString::fromStdString(methodName(m)), int(m));
    method_->setCurrentIndex(int(Method::EqualInfoAc));
    method_->setToolTip(
        "How the text becomes tokens: raw bytes, gzip, arithmetic coding under a static model "
        "(static-ac) or under M1 (ac), Equal-Info windows (eqinfo-ac), or SentencePiece.");
    windowBits_ = new QSpinBox;
    windowBits_->setObjectName("windowBits");
    windowBits_->setRange(kMinWindowBits, kMaxWindowBits);
    windowBits_->setValue(16);
    windowBits_->setToolTip(
        "b: every Equal-Info window compresses to exactly this many bits; the coder resets at each window.");
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
    modelPath_ = new PathField("The M1 weights (.eqm1) that drive ac and eqinfo-ac. Empty: the bundled model.");
    modelPath_->setPlaceholderText("bundled M1");
    auto* browse = new QPushButton("...");
    Zoom::scaleBounds(browse, {0, 0}, {32, QWIDGETSIZE_MAX});
    browse->setToolTip("Choose an M1 weights file.");
    modelRow->addWidget(modelPath_, 1);
    modelRow->addWidget(browse);
    limit_ = new QComboBox;
    for (const auto& [name, n] : kLimits) limit_->addItem(name, QVariant::fromValue<qulonglong>(n));
    limit_->setCurrentIndex(1);
    limit_->setToolTip(
        "Only the leading part of a long text is analysed (M1 codes about 10 KB/s); raise this to see more.");
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
    colouring_->setToolTip(
        "Windows: alternating backgrounds per window, bars at boundaries. Surprisal: each character "
        "coloured by the bits the model spent on it.");
    legend_ = new QLabel;
    legend_->setToolTip("Surprisal colour scale: bits the model spent on a character, 0 (light) to 12 or more (dark).");
    viewLayout->addWidget(colouring_);
    viewLayout->addWidget(legend_);
    layout->addWidget(viewBox);

    auto* runRow = new QHBoxLayout;
    progress_ = new QProgressBar;
    progress_->setRange(0, kProgressMax);
    progress_->setToolTip(
        "Progress of the analysis (encode, then the decode check), or of decoding an opened container.");
    cancel_ = new QPushButton("Cancel");
    cancel_->setEnabled(false);
    cancel_->setToolTip("Stop the analysis or the decoding in flight (Esc).");
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
    connect(windowBits_, &QSpinBox::valueChanged, this, &ExploreView::scheduleAnalysis);
    connect(tokenBits_, &QSpinBox::valueChanged, this, &ExploreView::scheduleAnalysis);
    connect(chunkKiB_, &QSpinBox::valueChanged, this, &ExploreView::scheduleAnalysis);
    connect(limit_, &QComboBox::currentIndexChanged, this, &ExploreView::scheduleAnalysis);
    connect(modelPath_, &QLineEdit::editingFinished, this, [this] {
        emit modelPathChanged(modelPath_->text());
        scheduleAnalysis();
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString p =
            QFileDialog::getOpenFileName(this, "M1 weights", modelPath_->text(), "M1 weights (*.eqm1);;All files (*)");
        if (!p.isEmpty()) setModelPath(p);
    });
    connect(colouring_, &QComboBox::currentIndexChanged, this, [this](int i) {
        textView_->setColouring(i == 1 ? TextTraceView::Colouring::Surprisal : TextTraceView::Colouring::Windows);
        legend_->setVisible(i == 1);
    });
    connect(cancel_, &QPushButton::clicked, this, [this] {
        const QString opening = opening_;
        worker_.cancel();
        decoder_.cancel();
        opening_.clear();
        cancel_->setEnabled(false);
        progress_->setValue(0);
        if (opening.isEmpty()) {
            stopRoundTrip();
            summary_->showMessage("<i>Analysis cancelled.</i>");
            markStale("was cancelled", requestedBytes_, requestedParams_);
            emit statusMessage("Analysis cancelled", 3000);
        } else {
            emit statusMessage("Opening " + QFileInfo(opening).fileName() + " cancelled", 3000);
            scheduleAnalysis();  // the text stays: its analysis was dropped when the decoding began
        }
    });
    legend_->setPixmap(surprisalLegend(260, 10, font()));
    legend_->setVisible(false);
    return panel;
}

void ExploreView::restyle() {
    bitChart_->restyle();
    legend_->setPixmap(surprisalLegend(260, 10, font()));
    textView_->viewport()->update();
    tokenStrip_->viewport()->update();
    summary_->showResult(result_.get(), bytes_.size());
    summary_->setStale(model_->staleReason());
}

void ExploreView::setInspectorVisible(bool visible) {
    inspector_->setVisible(visible);
}

bool ExploreView::inspectorVisible() const {
    return !inspector_->isHidden();
}

void ExploreView::showGoToDialog() {
    if (!model_->trace()) return;
    GoToDialog d(model_, this);
    d.exec();
}

void ExploreView::markStale(const QString& what, uint64_t bytes, const CodecParams& params) {
    if (!result_) {
        // Nothing shown yet: the text view says "Analysing..." while one runs, else why there is none.
        showStale(what == kRuns ? QString()
                                : QString("No analysis: the analysis of the text (%L1 bytes, %2) %3.")
                                      .arg(bytes)
                                      .arg(QString::fromStdString(params.label()), what));
        return;
    }
    const Encoded& shown = result_->encoded;
    const QString label = QString::fromStdString(shown.params.label());
    QString why;
    if (shown.inputBytes != bytes || model_->bytes().size() != shown.inputBytes ||
        !std::equal(model_->bytes().begin(), model_->bytes().end(), bytes_.begin(),
                    bytes_.begin() + std::ptrdiff_t(std::min<uint64_t>(bytes_.size(), shown.inputBytes))))
        why = QString(
                  "Stale: showing the previous text's analysis (%L1 bytes, %2); the analysis of the current "
                  "text (%L3 bytes) %4.")
                  .arg(shown.inputBytes)
                  .arg(label)
                  .arg(bytes)
                  .arg(what);
    else if (shown.params.label() != params.label())
        why = QString("Stale: showing the analysis with %1; the analysis with %2 %3.")
                  .arg(label, QString::fromStdString(params.label()), what);
    else
        why = QString("Stale: showing the previous analysis of this text; the new one %1.").arg(what);
    showStale(why);
}

void ExploreView::showStale(const QString& why) {
    model_->setStale(why);
    summary_->setStale(why);
}

void ExploreView::toggleColouring() {
    colouring_->setCurrentIndex(1 - colouring_->currentIndex());
}

void ExploreView::setMethod(Method m, int windowBits, int tokenBits) {
    windowBits_->setValue(windowBits);
    tokenBits_->setValue(tokenBits);
    method_->setCurrentIndex(method_->findData(int(m)));
    scheduleAnalysis();
}

QString ExploreView::modelPath() const {
    return modelPath_->text();
}

void ExploreView::setModelPath(const QString& path) {
    modelPath_->setText(path);
    emit modelPathChanged(path);
    scheduleAnalysis();
}

void ExploreView::setBytes(const std::vector<uint8_t>& bytes) {
    bytes_ = bytes;
    const bool exact = bytes.size() <= kMaxEditorBytes && isExactText(bytes.data(), bytes.size());
    bytesFromEditor_ = false;  // until the editor holds them all (InputEditor::loaded)
    editorExact_ = exact;
    editor_->setReadOnly(!exact);
    const qsizetype shown = qsizetype(std::min(bytes.size(), kMaxEditorBytes));
    editor_->setTextInSlices(QString::fromUtf8(reinterpret_cast<const char*>(bytes.data()), shown));
    if (!exact) {
        editorBanner_->setText(
            QString("<b>Not plain text</b> (invalid UTF-8, control bytes or over 32 MiB): the editor shows "
                    "a lossy view and is read-only so the bytes stay exact; the analysis below shows "
                    "every byte, with escapes like <tt>\\xFF</tt>. <a href='#'>Edit anyway</a>"));
        editorBanner_->show();
    } else {
        editorBanner_->hide();
    }
    updateBytesLabel();
    emit textChanged();
    scheduleAnalysis();
}

void ExploreView::loadSample() {
    try {
        setBytes(readFile(resourcePath(kSampleTextFile)));
    } catch (const Error& e) {
        summary_->showMessage(QString("Could not load the sample text: %1").arg(QString(e.what()).toHtmlEscaped()));
    }
}

bool ExploreView::openFile(const QString& path) {
    try {
        std::vector<uint8_t> data = readFile(path.toStdString(), kMaxOpenBytes);
        if (!looksLikeContainer(data.data(), data.size())) {
            decoder_.cancel();  // a container still decoding would replace this text
            opening_.clear();
            setBytes(data);
            emit fileOpened(path);
            return true;
        }
        const Container c = readContainer(data.data(), data.size());
        // Explore holds at most kMaxOpenBytes of text: a container claiming more
        // (a decompression bomb, or just too large) is refused before decoding.
        if (c.encoded.inputBytes > kMaxOpenBytes)
            throw InvalidArgument(QString("its header claims %L1 bytes of text, more than the %L2 bytes Explore "
                                          "opens (eqlab-cli decompress has no limit)")
                                      .arg(c.encoded.inputBytes)
                                      .arg(kMaxOpenBytes)
                                      .toStdString());
        const QString modelPath = modelPath_->text();
        const ModelSet models = c.models([&]() -> std::shared_ptr<ByteModel> {
            return std::shared_ptr<ByteModel>(
                loadByteModel(modelPath.isEmpty() ? defaultM1Path() : modelPath.toStdString()));
        });
        decodeContainer(path, c.encoded, models);
        return true;
    } catch (const std::exception& e) {
        reportOpenFailure(QString("Cannot open %1:\n%2").arg(path, e.what()));
        return false;
    }
}

void ExploreView::decodeContainer(const QString& path, Encoded encoded, ModelSet models) {
    // The text is about to be replaced: analysing it now would only slow the decoding down.
    debounce_.stop();
    worker_.cancel();
    opening_ = path;
    if (result_)
        showStale(QString("Stale: showing the previous text's analysis (%L1 bytes, %2) while %3 decodes.")
                      .arg(result_->encoded.inputBytes)
                      .arg(QString::fromStdString(result_->encoded.params.label()), QFileInfo(path).fileName()));
    progress_->setValue(0);
    progress_->setFormat("decoding · %p%");
    cancel_->setEnabled(true);
    summary_->showMessage(QString("<i>Decoding %1...</i>").arg(QFileInfo(path).fileName().toHtmlEscaped()));
    emit statusMessage("Decoding " + QFileInfo(path).fileName() + "...", 0);
    const int threads = std::max(1, QThread::idealThreadCount());
    decoder_.start([this, encoded = std::move(encoded), models = std::move(models), threads](JobControl& control) {
        std::vector<uint8_t> out = decode(encoded, models, control.progressFn(0, kProgressMax), threads);
        control.onEnd([this, out = std::move(out), params = encoded.params] { showDecoded(out, params); });
    });
}

void ExploreView::showDecoded(const std::vector<uint8_t>& bytes, const CodecParams& p) {
    const QString path = opening_;
    opening_.clear();
    cancel_->setEnabled(false);
    progress_->setValue(kProgressMax);
    chunkKiB_->setValue(int(std::max<uint64_t>(1, p.chunkBytes / 1024)));
    setMethod(p.method, p.windowBits, p.tokenBits);
    setBytes(bytes);
    emit statusMessage(QString("Decoded %1: %L2 bytes, %3")
                           .arg(QFileInfo(path).fileName())
                           .arg(bytes.size())
                           .arg(QString::fromStdString(p.label())),
                       8000);
    emit fileOpened(path);
}

void ExploreView::openingFailed(const QString& message) {
    const QString path = opening_;
    opening_.clear();
    cancel_->setEnabled(false);
    progress_->setValue(0);
    emit statusMessage(QString(), 0);
    scheduleAnalysis();  // the text stays: its analysis was dropped when the decoding began
    reportOpenFailure(QString("Cannot open %1:\n%2").arg(path, message));
}

void ExploreView::reportOpenFailure(const QString& message) {
    if (headless_)
        std::fprintf(stderr, "eqlab: %s\n", qPrintable(QString(message).replace('\n', ' ')));
    else
        QMessageBox::warning(this, "eqlab", message);
    emit openFailed(message);
}

void ExploreView::cancel() {
    if (cancel_->isEnabled()) cancel_->click();
}

void ExploreView::cancelAndWait() {
    debounce_.stop();
    worker_.cancelAndWait();
    decoder_.cancelAndWait();
}

void ExploreView::saveContainer(const QString& path) const {
    // The models the shown analysis was coded with, not what the model field says now.
    writeFile(path.toStdString(), writeContainer(result_->encoded, result_->models));
}

CodecParams ExploreView::currentParams() const {
    CodecParams p;
    p.method = Method(method_->currentData().toInt());
    p.windowBits = windowBits_->value();
    p.tokenBits = p.method == Method::Bytes ? 8 : tokenBits_->value();
    p.chunkBytes = uint64_t(chunkKiB_->value()) * 1024;
    return p;
}

uint64_t ExploreView::analysisLimit() const {
    return limit_->currentData().toULongLong();
}

void ExploreView::updateBytesLabel() {
    const uint64_t limit = analysisLimit();
    QString s = QString("%L1 bytes").arg(bytes_.size());
    if (bytes_.size() > limit) s += QString(" (first %L1 analysed)").arg(limit);
    emit bytesLabelChanged(s);
}

void ExploreView::scheduleAnalysis() {
    debounce_.start();
}

void ExploreView::runAnalysisNow() {
    debounce_.stop();
    runAnalysis();
}

void ExploreView::runAnalysis() {
    debounce_.stop();
    if (bytesFromEditor_ && editor_->loading()) return;  // a paste going in: analysed once loaded()
    if (bytesFromEditor_) {
        const QByteArray utf8 = editor_->toPlainText().toUtf8();
        bytes_.assign(utf8.begin(), utf8.end());
        emit textChanged();
    }
    updateBytesLabel();
    const CodecParams p = currentParams();
    try {
        p.validate();
    } catch (const Error& e) {
        summary_->showMessage(QString("<b>Invalid parameters:</b> %1").arg(QString(e.what()).toHtmlEscaped()));
        return;
    }
    // Only the part analysed is copied (a 20 MB text, 64 KiB analysed, costs the GUI thread nothing).
    std::vector<uint8_t> data(bytes_.begin(),
                              bytes_.begin() + std::ptrdiff_t(std::min<uint64_t>(bytes_.size(), analysisLimit())));
    requestedBytes_ = data.size();
    requestedParams_ = p;
    emit sessionChanged();
    markStale(kRuns, requestedBytes_, requestedParams_);
    progress_->setValue(0);
    cancel_->setEnabled(true);
    summary_->showMessage(
        bytes_.size() > analysisLimit()
            ? QString("<i>Analysing the first %L1 of %L2 bytes (raise 'analyse at most' to see more)...</i>")
                  .arg(analysisLimit())
                  .arg(bytes_.size())
            : QString("<i>Analysing...</i>"));
    worker_.start(std::move(data), p, modelPath_->text());
}

void ExploreView::showResult(std::shared_ptr<AnalysisResult> r) {
    result_ = r;
    cancel_->setEnabled(decoder_.busy() || r->roundTripPending);
    if (!r->roundTripPending) progress_->setValue(kProgressMax);
    std::vector<uint8_t> analysed(
        bytes_.begin(), bytes_.begin() + std::ptrdiff_t(std::min<uint64_t>(bytes_.size(), r->encoded.inputBytes)));
    model_->setResult(r, std::move(analysed));
    summary_->showResult(r.get(), bytes_.size());
    summary_->setStale({});
    showScope();
}

void ExploreView::showScope() {
    if (bytes_.size() > result_->encoded.inputBytes)
        summary_->showMessage(QString("<b>Showing the first %L1 of %L2 bytes.</b> Raise 'analyse at most' to see more.")
                                  .arg(result_->encoded.inputBytes)
                                  .arg(bytes_.size()));
}

void ExploreView::showError(const QString& message) {
    cancel_->setEnabled(decoder_.busy());
    progress_->setValue(0);
    progress_->setFormat("failed");
    stopRoundTrip();
    summary_->showMessage("<b>Analysis failed:</b> " + message.toHtmlEscaped());
    markStale("failed", requestedBytes_, requestedParams_);
}

void ExploreView::stopRoundTrip() {
    if (!result_ || !result_->roundTripPending) return;
    result_->roundTripPending = false;
    result_->roundTripStopped = true;
    summary_->showResult(result_.get(), bytes_.size());
}

bool ExploreView::eventFilter(QObject* watched, QEvent* event) {
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
            const auto urls = e->mimeData()->urls();
            if (!urls.isEmpty()) {
                if (urls.first().isLocalFile()) openFile(urls.first().toLocalFile());
                return true;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ExploreView::restoreSettings(const QSettings& s) {
    splitter_->restoreState(s.value("window/splitter").toByteArray());
    if (s.contains("window/inspectorSplitter"))
        inspectorSplitter_->restoreState(s.value("window/inspectorSplitter").toByteArray());
    setInspectorVisible(s.value("view/inspector", true).toBool());
    QVariantMap m;
    for (const QString& key : methodSettings().keys())
        if (s.contains(key)) m[key] = s.value(key);
    applyMethodSettings(m);
}

void ExploreView::saveSettings(QSettings& s) const {
    s.setValue("window/splitter", splitter_->saveState());
    s.setValue("window/inspectorSplitter", inspectorSplitter_->saveState());
    s.setValue("view/inspector", inspectorVisible());
    const QVariantMap m = methodSettings();
    for (auto it = m.begin(); it != m.end(); ++it) s.setValue(it.key(), it.value());
}

QVariantMap ExploreView::methodSettings() const {
    return {{"method/name", method_->currentText()},
            {"method/b", windowBits_->value()},
            {"method/k", tokenBits_->value()},
            {"method/chunkKiB", chunkKiB_->value()},
            {"method/model", modelPath_->text()},
            {"method/limit", limit_->currentIndex()},
            {"view/colouring", colouring_->currentIndex()}};
}

void ExploreView::applyMethodSettings(const QVariantMap& m) {
    const int method = method_->findText(m.value("method/name", method_->currentText()).toString());
    if (method >= 0) method_->setCurrentIndex(method);
    windowBits_->setValue(m.value("method/b", windowBits_->value()).toInt());
    tokenBits_->setValue(m.value("method/k", tokenBits_->value()).toInt());
    chunkKiB_->setValue(m.value("method/chunkKiB", chunkKiB_->value()).toInt());
    if (m.contains("method/model")) setModelPath(m.value("method/model").toString());
    limit_->setCurrentIndex(
        std::clamp(m.value("method/limit", limit_->currentIndex()).toInt(), 0, limit_->count() - 1));
    colouring_->setCurrentIndex(std::clamp(m.value("view/colouring", colouring_->currentIndex()).toInt(), 0, 1));
}

}  // namespace eqlab::ui
