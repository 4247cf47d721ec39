#include "step_view.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QProgressDialog>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStyle>
#include <QToolBar>
#include <QVBoxLayout>

#include "base/errors.h"
#include "export.h"
#include "methods/default_models.h"
#include "step/byte_strip.h"
#include "step/step_canvas.h"
#include "trace_model.h"

namespace eqlab::ui {

namespace {
constexpr int kDebounceMs = 300;        // quiet time after an edit before walking again
constexpr int kProgressMax = 100;       // the progress bar runs 0..100
constexpr int kEditorLines = 2;         // the text field's height in lines
const QSize kHandoutCanvas(1280, 880);  // the canvas each PDF page draws, in pixels, scaled to the page
// Playing speeds: label and milliseconds per step.
const std::pair<const char*, int> kSpeeds[] = {{"0.5 steps/s", 2000}, {"1 step/s", 1000}, {"2 steps/s", 500},
                                               {"4 steps/s", 250},    {"8 steps/s", 125}, {"16 steps/s", 62}};
constexpr int kDefaultSpeed = 2;  // index into kSpeeds
const Method kStepMethods[] = {Method::StaticAc, Method::Ac, Method::EqualInfoAc};

QString shortcutText(const QList<QKeySequence>& keys) {
    QStringList s;
    for (const QKeySequence& k : keys) s << k.toString(QKeySequence::NativeText);
    return s.join(" or ");
}

// The frame of `walk` at the place `shown` (a frame of the walk before a
// parameter changed): a Reset or Close frame stays on its segment's Reset
// or Close while that segment exists; a Code frame (or a segment now gone)
// stays on its byte, and past the text's end goes to the last frame.
size_t samePlace(const StepThrough& walk, const StepFrame& shown) {
    if (walk.frames.empty()) return 0;
    if (shown.kind != StepFrame::Kind::Code && shown.segment < walk.segments.size()) {
        const StepSegment& seg = walk.segments[size_t(shown.segment)];
        return shown.kind == StepFrame::Kind::Reset ? seg.firstFrame : seg.lastFrame;
    }
    if (shown.byteIndex >= walk.bytes.size()) return walk.frames.size() - 1;
    return walk.frameOfByte(shown.byteIndex);
}

}  // namespace

StepView::StepView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(buildParameterRow());
    layout->addWidget(buildControls());
    canvas_ = new StepCanvas;
    canvas_->setFocusPolicy(Qt::StrongFocus);
    canvas_->setEmptyText("Walking the text...");
    auto* scroll = new QScrollArea;
    scroll->setWidget(canvas_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setFocusPolicy(Qt::NoFocus);
    layout->addWidget(scroll, 1);

    debounce_.setSingleShot(true);
    debounce_.setInterval(kDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &StepView::walkNow);
    connect(&play_, &QTimer::timeout, this, [this] {
        if (!walk_ || frame_ + 1 >= walk_->frames.size())
            setPlaying(false);
        else
            step(+1);
    });
    connect(&job_, &BackgroundJob::progress, progress_, &QProgressBar::setValue);
    connect(&job_, &BackgroundJob::failed, this, &StepView::showError);
    connect(canvas_->byteStrip(), &ByteStrip::byteClicked, this, &StepView::jumpToByte);

    const QByteArray text(kDefaultStepText);
    bytes_.assign(text.begin(), text.end());
    {
        const QSignalBlocker block(editor_);
        editor_->setPlainText(kDefaultStepText);
    }
    setWalking(false);
    updateControls();
    // The step keys act on the canvas (which takes focus after every walk); a
    // focused field, box or button keeps its own keys (Space presses a button).
    for (QWidget* w : findChildren<QWidget*>())
        if (w != canvas_ && !canvas_->isAncestorOf(w) && w->focusPolicy() != Qt::NoFocus) w->installEventFilter(this);
}

bool StepView::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::ShortcutOverride) {
        auto* key = static_cast<QKeyEvent*>(event);
        const bool singleKey = !(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier)) &&
                               !key->text().isEmpty() && key->text().at(0).isPrint();
        if (singleKey) {
            event->accept();  // the focused widget takes the key, no shortcut fires
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

QWidget* StepView::buildParameterRow() {
    auto* row = new QWidget;
    auto* outer = new QVBoxLayout(row);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* h = new QHBoxLayout;
    h->setContentsMargins(0, 0, 0, 0);
    editor_ = new QPlainTextEdit;
    editor_->setObjectName("stepText");
    editor_->setTabChangesFocus(true);
    editor_->setPlaceholderText("A short text to step through.");
    editor_->setToolTip(QString("The text to step through (at most %L1 bytes). Every edit is walked again after a "
                                "short pause; Explore's Step through selection (Ctrl+Shift+T) puts its "
                                "selection here.")
                            .arg(kMaxStepBytes));
    editor_->setFixedHeight(editor_->fontMetrics().lineSpacing() * kEditorLines + 14);
    method_ = new QComboBox;
    method_->setObjectName("stepMethod");
    for (Method m : kStepMethods) method_->addItem(QString::fromStdString(methodName(m)), int(m));
    method_->setCurrentIndex(method_->findData(int(Method::EqualInfoAc)));
    method_->setToolTip(
        "The range-coder method: static-ac (a static unigram), ac (M1 over the whole chunk) or eqinfo-ac "
        "(M1 in Equal-Info windows of b bits, the coder and M1 reset at each).");
    windowBits_ = new QSpinBox;
    windowBits_->setObjectName("stepWindowBits");
    windowBits_->setRange(kMinWindowBits, kMaxWindowBits);
    windowBits_->setValue(16);
    windowBits_->setKeyboardTracking(false);
    windowBits_->setToolTip("b: every Equal-Info window holds exactly this many bits (a multiple of k).");
    tokenBits_ = new QSpinBox;
    tokenBits_->setObjectName("stepTokenBits");
    tokenBits_->setRange(kMinTokenBits, kMaxTokenBits);
    tokenBits_->setValue(8);
    tokenBits_->setKeyboardTracking(false);
    tokenBits_->setToolTip("k: bits per token; the bitstream is cut into k-bit tokens.");
    modelPath_ = new QLineEdit;
    modelPath_->setObjectName("stepModel");
    modelPath_->setPlaceholderText("bundled model");
    modelPath_->setToolTip(
        "The model file (.eqm1 for ac and eqinfo-ac, a unigram for static-ac). Empty: the bundled one.");
    modelPath_->setMinimumWidth(fontMetrics().horizontalAdvance('x') * 16);
    auto* browse = new QPushButton("...");
    browse->setToolTip("Choose a model file.");
    browse->setMaximumWidth(fontMetrics().horizontalAdvance("...") * 3);
    decode_ = new QCheckBox("decode");
    decode_->setObjectName("stepDecode");
    decode_->setToolTip("Step through the decoder reading the bits back instead of the encoder (D).");
    walkButton_ = new QPushButton("Walk");
    walkButton_->setToolTip("Compute the step-through now (F5).");
    progress_ = new QProgressBar;
    progress_->setRange(0, kProgressMax);
    progress_->setMaximumWidth(fontMetrics().horizontalAdvance('x') * 14);
    progress_->setTextVisible(false);
    progress_->setToolTip("Progress of the walk: the text is coded once (and, decoding, decoded) with the real model.");
    cancel_ = new QPushButton("Cancel");
    cancel_->setToolTip("Stop the walk in flight (Esc).");
    auto* form = new QHBoxLayout;
    auto label = [](const QString& s) { return new QLabel(s); };
    h->addWidget(label("Text"));
    h->addWidget(editor_, 1);
    form->addWidget(label("method"));
    form->addWidget(method_);
    form->addWidget(label("b"));
    form->addWidget(windowBits_);
    form->addWidget(label("k"));
    form->addWidget(tokenBits_);
    form->addWidget(label("model"));
    form->addWidget(modelPath_);
    form->addWidget(browse);
    form->addWidget(decode_);
    form->addWidget(walkButton_);
    form->addWidget(progress_);
    form->addWidget(cancel_);
    h->addLayout(form);
    outer->addLayout(h);
    info_ = new QLabel;
    info_->setObjectName("stepInfo");
    info_->setWordWrap(true);
    outer->addWidget(info_);

    connect(editor_, &QPlainTextEdit::textChanged, this, [this] {
        bytesFromEditor_ = true;
        keepPosition_ = false;
        scheduleWalk();
    });
    connect(method_, &QComboBox::currentIndexChanged, this, [this] {
        windowBits_->setEnabled(Method(method_->currentData().toInt()) == Method::EqualInfoAc);
        keepPosition_ = true;
        scheduleWalk();
    });
    for (QSpinBox* s : {windowBits_, tokenBits_})
        connect(s, &QSpinBox::valueChanged, this, [this] {
            keepPosition_ = true;
            scheduleWalk();
        });
    connect(modelPath_, &QLineEdit::editingFinished, this, [this] {
        keepPosition_ = true;
        scheduleWalk();
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString p =
            QFileDialog::getOpenFileName(this, "Model", modelPath_->text(), "Models (*.eqm1 *.equg);;All files (*)");
        if (!p.isEmpty()) setModelPath(p);
    });
    connect(decode_, &QCheckBox::toggled, this, [this] {
        keepPosition_ = true;
        walkNow();
    });
    connect(walkButton_, &QPushButton::clicked, this, &StepView::walkNow);
    connect(cancel_, &QPushButton::clicked, this, &StepView::cancel);
    return row;
}

QAction* StepView::addStepAction(QToolBar* bar, const QString& name, const QString& text,
                                 const QList<QKeySequence>& keys, const QString& tip) {
    auto* a = new QAction(text, this);
    a->setObjectName(name);
    a->setShortcuts(keys);
    a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    a->setToolTip(QString("%1 (%2)").arg(tip, shortcutText(keys)));
    addAction(a);
    if (bar) bar->addAction(a);
    return a;
}

QToolBar* StepView::buildControls() {
    controls_ = new QToolBar;
    controls_->setObjectName("stepControls");
    controls_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    QStyle* st = style();
    auto* home = addStepAction(controls_, "stepHome", "First", {QKeySequence(Qt::Key_Home)}, "The first step");
    home->setIcon(st->standardIcon(QStyle::SP_MediaSkipBackward));
    auto* prevWindow = addStepAction(controls_, "stepPreviousWindow", "Previous window", {QKeySequence(Qt::Key_PageUp)},
                                     "Back to the start of this window, or of the previous one");
    prevWindow->setIcon(st->standardIcon(QStyle::SP_MediaSeekBackward));
    auto* back = addStepAction(controls_, "stepBack", "Back", {QKeySequence(Qt::Key_Left)}, "One step back");
    back->setIcon(st->standardIcon(QStyle::SP_ArrowLeft));
    auto* play = addStepAction(controls_, "stepPlay", "Play", {QKeySequence(Qt::Key_P)},
                               "Play the steps at the chosen speed, or pause");
    play->setIcon(st->standardIcon(QStyle::SP_MediaPlay));
    play->setCheckable(true);
    auto* forward = addStepAction(controls_, "stepForward", "Forward",
                                  {QKeySequence(Qt::Key_Right), QKeySequence(Qt::Key_Space)}, "One step forward");
    forward->setIcon(st->standardIcon(QStyle::SP_ArrowRight));
    auto* nextWindow = addStepAction(controls_, "stepNextWindow", "Next window", {QKeySequence(Qt::Key_PageDown)},
                                     "To the start of the next window");
    nextWindow->setIcon(st->standardIcon(QStyle::SP_MediaSeekForward));
    auto* end = addStepAction(controls_, "stepEnd", "Last", {QKeySequence(Qt::Key_End)}, "The last step");
    end->setIcon(st->standardIcon(QStyle::SP_MediaSkipForward));
    controls_->addSeparator();
    speed_ = new QComboBox;
    speed_->setObjectName("stepSpeed");
    for (const auto& [name, ms] : kSpeeds) speed_->addItem(name, ms);
    speed_->setCurrentIndex(kDefaultSpeed);
    speed_->setToolTip("How fast Play steps.");
    controls_->addWidget(speed_);
    controls_->addSeparator();
    byteBox_ = new QSpinBox;
    byteBox_->setObjectName("stepByte");
    byteBox_->setPrefix("byte ");
    byteBox_->setKeyboardTracking(false);
    byteBox_->setToolTip("Jump to the step that codes this byte (B, then type the number and Enter).");
    windowBox_ = new QSpinBox;
    windowBox_->setObjectName("stepWindow");
    windowBox_->setPrefix("window ");
    windowBox_->setKeyboardTracking(false);
    windowBox_->setToolTip("Jump to the start of this window or chunk (W, then type the number and Enter).");
    controls_->addWidget(byteBox_);
    controls_->addWidget(windowBox_);
    auto* jumpByte =
        addStepAction(nullptr, "stepJumpByte", "Jump to byte...", {QKeySequence(Qt::Key_B)}, "Jump to byte N");
    auto* jumpWindow =
        addStepAction(nullptr, "stepJumpWindow", "Jump to window...", {QKeySequence(Qt::Key_W)}, "Jump to window N");
    position_ = new QLabel;
    position_->setObjectName("stepPosition");
    position_->setContentsMargins(8, 0, 8, 0);
    controls_->addWidget(position_);
    auto* spacer = new QWidget;
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    controls_->addWidget(spacer);
    auto* decode = addStepAction(nullptr, "stepDecodeToggle", "Decode", {QKeySequence(Qt::Key_D)},
                                 "Step through the decoder instead of the encoder, or back");
    auto* png = addStepAction(controls_, "stepExportPng", "Frame as PNG...", {QKeySequence("Ctrl+Shift+P")},
                              "Save the step shown as a PNG image");
    auto* pdf = addStepAction(controls_, "stepExportPdf", "Handout as PDF...", {QKeySequence("Ctrl+Shift+F")},
                              "Save the whole step-through as a PDF, one page per step with its caption");

    connect(home, &QAction::triggered, this, [this] { setFrame(0); });
    connect(end, &QAction::triggered, this, [this] {
        if (walk_ && !walk_->frames.empty()) setFrame(walk_->frames.size() - 1);
    });
    connect(back, &QAction::triggered, this, [this] { step(-1); });
    connect(forward, &QAction::triggered, this, [this] { step(+1); });
    connect(prevWindow, &QAction::triggered, this, [this] { stepWindow(-1); });
    connect(nextWindow, &QAction::triggered, this, [this] { stepWindow(+1); });
    connect(play, &QAction::toggled, this, &StepView::setPlaying);
    connect(speed_, &QComboBox::currentIndexChanged, this,
            [this] { play_.setInterval(speed_->currentData().toInt()); });
    play_.setInterval(speed_->currentData().toInt());
    connect(byteBox_, &QSpinBox::valueChanged, this, [this](int v) { jumpToByte(uint64_t(v)); });
    connect(windowBox_, &QSpinBox::valueChanged, this, [this](int v) { jumpToWindow(uint64_t(v)); });
    for (QSpinBox* box : {byteBox_, windowBox_})
        connect(box, &QSpinBox::editingFinished, this, [this] { canvas_->setFocus(); });  // back to stepping
    connect(jumpByte, &QAction::triggered, this, [this] {
        byteBox_->setFocus();
        byteBox_->selectAll();
    });
    connect(jumpWindow, &QAction::triggered, this, [this] {
        windowBox_->setFocus();
        windowBox_->selectAll();
    });
    connect(decode, &QAction::triggered, this, [this] { decode_->toggle(); });
    connect(png, &QAction::triggered, this, &StepView::exportFrameWithDialog);
    connect(pdf, &QAction::triggered, this, &StepView::exportPdfWithDialog);
    return controls_;
}

QAction* StepView::action(const QString& objectName) const {
    for (QAction* a : actions())
        if (a->objectName() == objectName) return a;
    return nullptr;
}

CodecParams StepView::currentParams() const {
    CodecParams p;
    p.method = Method(method_->currentData().toInt());
    p.windowBits = windowBits_->value();
    p.tokenBits = tokenBits_->value();
    return p;
}

void StepView::setMethod(Method m, int windowBits, int tokenBits) {
    const QSignalBlocker b1(method_), b2(windowBits_), b3(tokenBits_);
    const int i = method_->findData(int(usesRangeCoder(m) ? m : Method::EqualInfoAc));
    method_->setCurrentIndex(i);
    windowBits_->setEnabled(Method(method_->currentData().toInt()) == Method::EqualInfoAc);
    windowBits_->setValue(windowBits);
    tokenBits_->setValue(tokenBits);
    keepPosition_ = true;
    scheduleWalk();
}

void StepView::setModelPath(const QString& path) {
    modelPath_->setText(path);
    keepPosition_ = true;
    scheduleWalk();
}

void StepView::setDecoding(bool decode) {
    decode_->setChecked(decode);  // toggled() walks again when it changed
}

bool StepView::decoding() const {
    return decode_->isChecked();
}

void StepView::stepThrough(const std::vector<uint8_t>& bytes, const CodecParams& params, const QString& modelPath) {
    setMethod(params.method, params.windowBits, params.tokenBits);
    {
        const QSignalBlocker block(modelPath_);
        modelPath_->setText(modelPath);
    }
    bytes_ = bytes;
    {
        const QSignalBlocker block(editor_);
        editor_->setPlainText(QString::fromUtf8(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size())));
    }
    // Bytes a QString cannot hold exactly (invalid UTF-8, NULs) stay as they are until the text is edited.
    bytesFromEditor_ = isExactText(bytes.data(), bytes.size());
    keepPosition_ = false;
    if (!usesRangeCoder(params.method))
        emit statusMessage(QString("%1 has no range coder to step through: stepping eqinfo-ac instead")
                               .arg(QString::fromStdString(methodName(params.method))),
                           8000);
    walkNow();
}

void StepView::scheduleWalk() {
    debounce_.start();
}

void StepView::ensureWalk() {
    if (!walk_ && !job_.busy()) walkNow();
}

void StepView::walkNow() {
    debounce_.stop();
    if (bytesFromEditor_) {
        const QByteArray utf8 = editor_->toPlainText().toUtf8();
        bytes_.assign(utf8.begin(), utf8.end());
    }
    const CodecParams p = currentParams();
    try {
        p.validate();
    } catch (const Error& e) {
        showError(QString("Invalid parameters: %1").arg(e.what()));
        return;
    }
    std::vector<uint8_t> data = bytes_;  // stepThrough walks at most kMaxStepBytes of it and records the whole size
    const std::string modelPath = modelPath_->text().toStdString();
    const bool decode = decode_->isChecked();
    setWalking(true);
    job_.start([this, data = std::move(data), p, modelPath, decode](JobControl& control) {
        std::string note;
        const ModelSet models = models_.load(p.method, modelPath, &note);  // a walk after the first does not reload
        const std::unique_ptr<ByteModel> model = models.byteModel->clone();
        StepOptions options;
        options.decode = decode;
        options.progress = control.progressFn(0, kProgressMax);
        auto walk = std::make_shared<StepThrough>(eqlab::stepThrough(data.data(), data.size(), p, *model, options));
        control.onEnd([this, walk = std::shared_ptr<const StepThrough>(std::move(walk)), note] {
            showWalk(walk, QString::fromStdString(note));
        });
    });
}

void StepView::showWalk(std::shared_ptr<const StepThrough> walk, const QString& note) {
    setWalking(false);
    // A changed parameter keeps the place shown; a new text starts at the beginning.
    const bool keep = keepPosition_ && walk_ && frame_ < walk_->frames.size();
    const StepFrame shown = keep ? walk_->frames[frame_] : StepFrame();
    walk_ = std::move(walk);
    keepPosition_ = true;
    QString info = QString("%1 · %2 · %L3 steps over %L4 bytes, %L5 bits")
                       .arg(QString::fromStdString(walk_->params.label()), QString::fromStdString(walk_->model))
                       .arg(walk_->frames.size())
                       .arg(walk_->bytes.size())
                       .arg(walk_->bits.size());
    if (walk_->inputBytes > walk_->bytes.size())
        info += QString(" · <b>cut:</b> a step-through walks at most the first %L1 of these %L2 bytes")
                    .arg(kMaxStepBytes)
                    .arg(walk_->inputBytes);
    if (!note.isEmpty()) info += " · " + note.toHtmlEscaped();
    info_->setText(info);
    canvas_->setEmptyText("An empty text: type something to step through.");
    const size_t target = keep ? samePlace(*walk_, shown) : 0;
    frame_ = walk_->frames.empty() ? 0 : std::min(target, walk_->frames.size() - 1);
    updateControls();
    QWidget* focus = QApplication::focusWidget();
    if (!focus || !isAncestorOf(focus) || focus == walkButton_ || focus == decode_) canvas_->setFocus();
    emit walkReady();
}

void StepView::showError(const QString& message) {
    setWalking(false);
    info_->setText("<b>The step-through failed:</b> " + message.toHtmlEscaped());
    emit walkFailed(message);
}

void StepView::setWalking(bool walking) {
    progress_->setValue(0);
    progress_->setVisible(walking);
    cancel_->setVisible(walking);
}

void StepView::cancel() {
    setPlaying(false);
    if (!job_.busy()) return;
    job_.cancel();
    setWalking(false);
    info_->setText("<i>Walk cancelled.</i>");
    emit statusMessage("Step-through cancelled", 3000);
}

void StepView::cancelAndWait() {
    debounce_.stop();
    setPlaying(false);
    job_.cancelAndWait();
}

void StepView::restyle() {
    canvas_->restyle();
}

void StepView::setFrame(size_t i) {
    if (!walk_ || walk_->frames.empty()) return;
    frame_ = std::min(i, walk_->frames.size() - 1);
    updateControls();
}

void StepView::step(int delta) {
    if (!walk_ || walk_->frames.empty()) return;
    if (delta < 0 && frame_ < size_t(-delta)) return setFrame(0);
    setFrame(frame_ + size_t(int64_t(delta)));
}

void StepView::stepWindow(int delta) {
    if (!walk_ || walk_->frames.empty()) return;
    const uint64_t seg = walk_->frames[frame_].segment;
    if (delta > 0) {
        if (seg + 1 < walk_->segments.size()) jumpToWindow(seg + 1);
        return;
    }
    // Back: to this window's start, or from there to the previous window's.
    const size_t start = walk_->frameOfSegment(seg);
    if (frame_ > start || seg == 0)
        setFrame(start);
    else
        jumpToWindow(seg - 1);
}

void StepView::jumpToByte(uint64_t byte) {
    if (!walk_ || walk_->bytes.empty()) return;
    setFrame(walk_->frameOfByte(std::min<uint64_t>(byte, walk_->bytes.size() - 1)));
}

void StepView::jumpToWindow(uint64_t window) {
    if (!walk_ || walk_->segments.empty()) return;
    setFrame(walk_->frameOfSegment(std::min<uint64_t>(window, walk_->segments.size() - 1)));
}

void StepView::setPlaying(bool play) {
    QAction* a = action("stepPlay");
    if (play && (!walk_ || frame_ + 1 >= walk_->frames.size())) play = false;
    if (play)
        play_.start();
    else
        play_.stop();
    if (a) {
        const QSignalBlocker block(a);
        a->setChecked(play);
        a->setText(play ? "Pause" : "Play");
        a->setIcon(style()->standardIcon(play ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    }
}

void StepView::updateControls() {
    const bool has = walk_ && !walk_->frames.empty();
    canvas_->setFrame(has ? walk_ : nullptr, frame_);
    const QSignalBlocker b1(byteBox_), b2(windowBox_);
    byteBox_->setEnabled(has);
    windowBox_->setEnabled(has);
    if (has) {
        const StepFrame& f = walk_->frames[frame_];
        byteBox_->setRange(0, int(std::max<size_t>(1, walk_->bytes.size()) - 1));
        windowBox_->setRange(0, int(std::max<size_t>(1, walk_->segments.size()) - 1));
        byteBox_->setValue(int(std::min<uint64_t>(f.byteIndex, walk_->bytes.size() - 1)));
        windowBox_->setValue(int(f.segment));
        position_->setText(QString("step %L1 / %L2").arg(frame_ + 1).arg(walk_->frames.size()));
    } else {
        position_->setText("no steps");
    }
    for (const char* name : {"stepHome", "stepBack", "stepPreviousWindow"})
        if (QAction* a = action(name)) a->setEnabled(has && frame_ > 0);
    for (const char* name : {"stepEnd", "stepForward", "stepNextWindow", "stepPlay"})
        if (QAction* a = action(name)) a->setEnabled(has && frame_ + 1 < walk_->frames.size());
    for (const char* name : {"stepExportPng", "stepExportPdf"})
        if (QAction* a = action(name)) a->setEnabled(has);
    if (playing() && (!has || frame_ + 1 >= walk_->frames.size())) setPlaying(false);
}

void StepView::saveFramePng(const QString& path) {
    saveWidgetPng(canvas_, path);
}

int StepView::savePdf(const QString& path, const ProgressFn& progress) {
    if (!walk_ || walk_->frames.empty()) throw InvalidArgument("there is no step-through to export");
    const std::shared_ptr<const StepThrough> walk = walk_;
    // Each page draws the same canvas, off-screen at one size, set to its frame.
    StepCanvas page;
    page.setAttribute(Qt::WA_DontShowOnScreen);
    page.setFont(canvas_->font());
    page.resize(kHandoutCanvas);
    page.show();
    const int pages = int(walk->frames.size());
    savePdfPages(
        path, pages,
        [&](QPainter& painter, int i, QRectF area) {
            page.setFrame(walk, size_t(i));
            QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
            const double scale = std::min(area.width() / page.width(), area.height() / page.height());
            painter.translate(area.topLeft());
            painter.scale(scale, scale);
            page.render(&painter, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
        },
        progress);
    return pages;
}

void StepView::exportFrameWithDialog() {
    if (!walk_) return;
    exportWithDialog(this, "Export this step", QString("eqlab-step-%1.png").arg(frame_ + 1), "PNG (*.png)",
                     [this](const QString& p) { saveFramePng(p); });
}

void StepView::exportPdfWithDialog() {
    if (!walk_ || walk_->frames.empty()) return;
    exportWithDialog(this, "Export the step-through handout", "eqlab-step-through.pdf", "PDF (*.pdf)",
                     [this](const QString& p) {
                         const int pages = int(walk_->frames.size());
                         QProgressDialog dialog("Writing the handout, one page per step...", "Cancel", 0, pages, this);
                         dialog.setWindowModality(Qt::WindowModal);
                         dialog.setMinimumDuration(500);
                         try {
                             savePdf(p, [&](uint64_t done, uint64_t) {
                                 dialog.setValue(int(done));
                                 return !dialog.wasCanceled();
                             });
                             emit statusMessage(QString("Wrote %L1 pages to %2").arg(pages).arg(p), 5000);
                         } catch (const Cancelled&) {
                             emit statusMessage("Handout cancelled: no file written", 5000);
                         }
                     });
}

}  // namespace eqlab::ui
