#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QRegularExpression>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <cstdio>

#include "bit_chart.h"
#include "compare_view.h"
#include "export.h"
#include "m1/m1_format.h"
#include "m1_view.h"
#include "m2_view.h"
#include "methods/default_models.h"
#include "step_view.h"
#include "studies/position_accuracy_page.h"
#include "studies_view.h"
#include "summary_panel.h"
#include "text_view.h"
#include "theme.h"
#include "token_strip.h"
#include "trace_model.h"
#include "window_inspector.h"
#include "zoom.h"

namespace eqlab::ui {

namespace {
constexpr int kCloseWaitTickMs = 20;  // how often a close waiting for job threads looks again
}

MainWindow::MainWindow(const StartOptions& options, QWidget* parent) : QMainWindow(parent) {
    setWindowTitle("eqlab");
    setAcceptDrops(true);
    // The zoom and the theme first (the command line's over the saved ones), so
    // that the views size what they measure once (from font metrics) at them.
    {
        const QSettings s;
        Theme::setHighContrast(options.highContrast.value_or(s.value("view/highContrast", false).toBool()));
        Theme::setDark(options.dark.value_or(s.value("view/dark", false).toBool()));
        Zoom::instance().setFactor(options.zoom.value_or(s.value("view/zoom", 1.0).toDouble()));
    }
    explore_ = new ExploreView;
    explore_->setHeadless(options.headless);
    compare_ = new CompareView;
    m1_ = new M1View;
    m2_ = new M2View;
    step_ = new StepView;
    studies_ = new StudiesView;
    tabs_ = new QTabWidget;
    tabs_->addTab(explore_, "Explore");
    tabs_->addTab(compare_, "Compare");
    tabs_->addTab(m1_, "M1");
    tabs_->addTab(m2_, "Learnability");
    tabs_->addTab(step_, "Step");
    tabs_->addTab(studies_, "Studies");
    tabs_->setTabToolTip(0, "One method on the text: windows, tokens, bits (Ctrl+1).");
    tabs_->setTabToolTip(1, "Every method on the text, beside the paper's figures (Ctrl+2).");
    tabs_->setTabToolTip(2, "Train or fine-tune the byte model M1 (Ctrl+3).");
    tabs_->setTabToolTip(3, "Train M2 on each method's tokens: can a model learn compressed text? (Ctrl+4)");
    tabs_->setTabToolTip(int(View::Step),
                         "The coder one byte at a time: interval, candidates, bits, windows; for teaching (Ctrl+5).");
    tabs_->setTabToolTip(int(View::Studies),
                         "The paper's analyses on this text and model: why Equal-Info Windows are learnable (Ctrl+6).");
    setCentralWidget(tabs_);

    bytesLabel_ = new QLabel;
    statusBar()->addPermanentWidget(bytesLabel_);
    buildMenus();

    connect(explore_, &ExploreView::bytesLabelChanged, bytesLabel_, &QLabel::setText);
    connect(explore_, &ExploreView::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(explore_, &ExploreView::fileOpened, this,
            [this](const QString& path) { setWindowTitle("eqlab - " + QFileInfo(path).fileName()); });
    connect(explore_, &ExploreView::modelPathChanged, m1_, &M1View::setCurrentModel);
    // The Studies tab's "Explore's text" follows a file opened or dropped while it is shown.
    connect(explore_, &ExploreView::textChanged, this, [this] {
        studies_->setExploreText(explore_->bytes());
        // A text opened or dropped while Compare is shown is compared at once.
        if (tabs_->currentIndex() == int(View::Compare)) compare_->setInput(explore_->bytes(), explore_->modelPath());
    });
    connect(tabs_, &QTabWidget::currentChanged, this, [this](int i) {
        if (i == int(View::Compare)) compare_->setInput(explore_->bytes(), explore_->modelPath());
        if (i == int(View::Studies)) feedStudies();
        if (i == int(View::Step)) step_->ensureWalk();
    });
    connect(step_, &StepView::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(studies_, &StudiesView::jumpToWindow, this, &MainWindow::showInExplore);
    connect(studies_, &StudiesView::openInLearnability, this, [this](const QString& dir) {
        showView(View::M2);
        if (!dir.isEmpty() && !m2_->selectRun(dir)) statusBar()->showMessage("No M2 run in " + dir, 5000);
    });
    connect(worker(), &AnalysisWorker::finished, this, [this] {
        if (!pendingJump_) return;
        const PendingJump jump = *pendingJump_;
        pendingJump_.reset();
        if (!selectInExplore(jump.byteBegin, jump.byteEnd, *jump.text))
            statusBar()->showMessage(QString("Bytes %L1-%L2 lie beyond the part Explore analyses: raise its "
                                             "'analyse at most' to see them.")
                                         .arg(jump.byteBegin)
                                         .arg(jump.byteEnd),
                                     8000);
    });
    connect(m1_, &M1View::useModel, this, [this](const QString& path) {
        setModelPath(path);
        showView(View::Explore);
        statusBar()->showMessage("Now coding with " + path, 5000);
    });

    // The charts follow a zoom by restyling; the rest follows the application font.
    connect(&Zoom::instance(), &Zoom::changed, this, &MainWindow::restyleViews);

    closeWait_.setInterval(kCloseWaitTickMs);
    connect(&closeWait_, &QTimer::timeout, this, [this] {
        if (BackgroundJob::liveThreads() == 0) close();
    });

    resize(1280, 860);
    restoreSettings();
    std::optional<Session> last;
    if (options.autosave || options.restore) {
        autosave_ = new SessionAutosave(options.autosavePath, this);
        if (options.restore) last = autosave_->load();
        if (!autosave_->lastError().isEmpty())
            statusBar()->showMessage("The last session could not be restored: " + autosave_->lastError(), 10000);
    }
    if (last)
        applySession(*last);
    else
        explore_->loadSample();
    m1_->setCurrentModel(explore_->modelPath());
    autosaving_ = options.autosave;
    if (autosaving_) {
        connect(explore_, &ExploreView::sessionChanged, this, [this] { autosave_->schedule(session()); });
        connect(tabs_, &QTabWidget::currentChanged, this, [this] { autosave_->schedule(session()); });
        connect(&Zoom::instance(), &Zoom::changed, this, [this] { autosave_->schedule(session()); });
        for (QAction* a : {darkAction_, highContrastAction_, hexAction_})
            connect(a, &QAction::toggled, this, [this] { autosave_->schedule(session()); });
        connect(autosave_, &SessionAutosave::failed, this,
                [this](const QString& why) { statusBar()->showMessage("Autosave failed: " + why, 10000); });
    }
}

Session MainWindow::session() const {
    Session s;
    s.text = explore_->bytes();
    s.settings = explore_->methodSettings();
    s.settings["view/dark"] = darkAction_->isChecked();
    s.settings["view/highContrast"] = highContrastAction_->isChecked();
    s.settings["view/hex"] = hexAction_->isChecked();
    s.settings["view/zoom"] = Zoom::instance().factor();
    s.settings["window/tab"] = tabs_->currentIndex();
    return s;
}

void MainWindow::applySession(const Session& s) {
    const QVariantMap& m = s.settings;
    explore_->applyMethodSettings(m);
    if (m.contains("view/hex")) {
        hexAction_->setChecked(m.value("view/hex").toBool());
        tokenStrip()->setHex(hexAction_->isChecked());
    }
    if (m.contains("view/zoom")) Zoom::instance().setFactor(m.value("view/zoom").toDouble());
    Theme::setHighContrast(m.value("view/highContrast", Theme::current().highContrast).toBool());
    Theme::setDark(m.value("view/dark", Theme::current().dark).toBool());
    highContrastAction_->setChecked(Theme::current().highContrast);
    darkAction_->setChecked(Theme::current().dark);
    restyleViews();
    explore_->setBytes(s.text);
    if (m.contains("window/tab")) showView(View(std::clamp(m.value("window/tab").toInt(), 0, tabs_->count() - 1)));
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
    file->addAction("Open the &sample text", explore_, &ExploreView::loadSample);
    file->addAction("Save as &container...", QKeySequence::Save, this, [this] {
        if (!lastResult()) return;
        exportWithDialog(this, "Save container", "text.eqlc", "eqlab container (*.eqlc)",
                         [this](const QString& p) { explore_->saveContainer(p); });
    });
    file->addSeparator();
    file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

    auto* edit = menuBar()->addMenu("&Edit");
    edit->addAction("Copy &summary", QKeySequence("Ctrl+Shift+C"), this,
                    [this] { QApplication::clipboard()->setText(summary()->plainText()); });
    edit->addAction("Copy bit &chart image", this,
                    [this] { QApplication::clipboard()->setPixmap(bitChart()->grab()); });

    auto* view = menuBar()->addMenu("&View");
    view->addAction("&Explore", QKeySequence("Ctrl+1"), this, [this] { showView(View::Explore); });
    view->addAction("&Compare methods", QKeySequence("Ctrl+2"), this, [this] { showView(View::Compare); });
    view->addAction("&M1 training", QKeySequence("Ctrl+3"), this, [this] { showView(View::M1); });
    view->addAction("&Learnability (M2)", QKeySequence("Ctrl+4"), this, [this] { showView(View::M2); });
    view->addAction("Ste&p through the coder", QKeySequence("Ctrl+5"), this, [this] { showView(View::Step); });
    view->addAction("S&tudies", QKeySequence("Ctrl+6"), this, [this] { showView(View::Studies); });
    view->addSeparator();
    view->addAction("Colour by &windows / surprisal", QKeySequence("Ctrl+Shift+S"), explore_,
                    &ExploreView::toggleColouring);
    hexAction_ = view->addAction("Tokens in &hex", QKeySequence("Ctrl+Shift+H"), this,
                                 [this](bool on) { tokenStrip()->setHex(on); });
    hexAction_->setCheckable(true);
    auto* inspector = view->addAction("Window &inspector", QKeySequence("Ctrl+I"), explore_,
                                      [this] { explore_->setInspectorVisible(!explore_->inspectorVisible()); });
    inspector->setCheckable(true);
    inspector->setToolTip("Show or hide the selected window in detail, beside the Explore views (Ctrl+I).");
    connect(view, &QMenu::aboutToShow, inspector,
            [this, inspector] { inspector->setChecked(explore_->inspectorVisible()); });
    darkAction_ = view->addAction("&Dark theme", QKeySequence("Ctrl+Shift+D"), this, [this](bool on) { setDark(on); });
    darkAction_->setCheckable(true);
    highContrastAction_ =
        view->addAction("High &contrast", QKeySequence("Ctrl+Shift+K"), this, [this](bool on) { setHighContrast(on); });
    highContrastAction_->setCheckable(true);
    highContrastAction_->setToolTip(
        "Black on white (white on black with the dark theme), thicker lines (Ctrl+Shift+K)");
    view->addSeparator();
    // Presenter mode: one zoom for every view (text, charts, tables), full screen.
    Zoom& zoom = Zoom::instance();
    auto* zoomIn = view->addAction("Zoom &in", &zoom, &Zoom::zoomIn);
    zoomIn->setShortcuts(QKeySequence::keyBindings(QKeySequence::ZoomIn) << QKeySequence("Ctrl+="));
    zoomIn->setToolTip("Larger text, charts and tables in every tab (Ctrl++)");
    auto* zoomOut = view->addAction("Zoom &out", QKeySequence::ZoomOut, &zoom, &Zoom::zoomOut);
    zoomOut->setToolTip("Smaller text, charts and tables in every tab (Ctrl+-)");
    auto* zoomReset = view->addAction("&Reset zoom", QKeySequence("Ctrl+0"), &zoom, &Zoom::reset);
    zoomReset->setToolTip("Back to 100% (Ctrl+0)");
    fullScreenAction_ = view->addAction("&Full screen", QKeySequence(Qt::Key_F11), this, &MainWindow::toggleFullScreen);
    fullScreenAction_->setCheckable(true);
    fullScreenAction_->setToolTip("Full screen on and off (F11)");

    TraceModel* model = traceModel();
    auto* nav = menuBar()->addMenu("&Navigate");
    nav->addAction("&Next window", QKeySequence("Alt+Right"), model, [model] { model->stepSegment(+1); });
    nav->addAction("&Previous window", QKeySequence("Alt+Left"), model, [model] { model->stepSegment(-1); });
    nav->addAction("Next &token", QKeySequence("Alt+Shift+Right"), model, [model] { model->stepToken(+1); });
    nav->addAction("Previous t&oken", QKeySequence("Alt+Shift+Left"), model, [model] { model->stepToken(-1); });
    for (QAction* a : nav->actions()) a->setWhatsThis("in Explore");  // the steps above
    nav->addAction("Clear &highlight", QKeySequence("Ctrl+Shift+X"), model, &TraceModel::clearHighlight);
    auto* stepSelection = nav->addAction("S&tep through selection", QKeySequence("Ctrl+Shift+T"), this,
                                         &MainWindow::stepThroughSelection);
    stepSelection->setObjectName("stepThroughSelection");
    stepSelection->setToolTip(
        "Open the Step tab on the bytes selected in Explore (or its current window), with Explore's method, b, k "
        "and model (Ctrl+Shift+T).");
    // Explore's text offers it on a right click too.
    textView()->setContextMenuPolicy(Qt::ActionsContextMenu);
    textView()->addAction(stepSelection);
    nav->addAction("&Go to window or byte...", QKeySequence("Ctrl+G"), explore_, [this] {
        showView(View::Explore);
        explore_->showGoToDialog();
    });
    nav->addAction("&Longest window", QKeySequence("Ctrl+Shift+L"), model,
                   [model] { model->selectSegment(model->longestSegment()); });
    nav->addAction("&Shortest window", QKeySequence("Ctrl+Shift+M"), model,
                   [model] { model->selectSegment(model->shortestSegment()); });
    nav->addAction("Most p&added window", QKeySequence("Ctrl+Shift+A"), model,
                   [model] { model->selectSegment(model->mostPaddedSegment()); });
    nav->addSeparator();
    auto* reanalyse = nav->addAction("&Re-analyse", QKeySequence::Refresh, this, [this] {
        if (tabs_->currentIndex() == int(View::Studies)) {
            studies_->runCurrent();
        } else if (tabs_->currentIndex() == int(View::Compare)) {
            compare_->setInput(explore_->bytes(), explore_->modelPath());
            compare_->run();
        } else if (tabs_->currentIndex() == int(View::Step)) {
            step_->walkNow();
        } else {
            explore_->runAnalysisNow();
        }
    });
    reanalyse->setWhatsThis("Explore and Compare analyse again, Step walks again, Studies runs the study");
    // Ctrl+R runs the study on the Studies tab; where the platform's Refresh
    // is Ctrl+R already (GNOME), Re-analyse above does it.
    auto* runStudy = nav->addAction("Run the &study", this, [this] {
        showView(View::Studies);
        studies_->runCurrent();
    });
    if (!QKeySequence::keyBindings(QKeySequence::Refresh).contains(QKeySequence("Ctrl+R")))
        runStudy->setShortcut(QKeySequence("Ctrl+R"));
    nav->addAction("&Cancel", QKeySequence::Cancel, this, [this] {
        explore_->cancel();
        compare_->cancel();
        step_->cancel();
        studies_->cancelCurrent();
    });

    auto* exp = menuBar()->addMenu("E&xport");
    auto plotExport = [this](const QString& suffix) {
        exportWithDialog(this, "Export bit-allocation chart", "eqlab-bits." + suffix,
                         suffix.toUpper() + " (*." + suffix + ")",
                         [this](const QString& p) { savePlot(bitChart()->plot(), p); });
    };
    exp->addAction("Bit-allocation chart as &PNG...", this, [plotExport] { plotExport("png"); });
    exp->addAction("Bit-allocation chart as P&DF...", this, [plotExport] { plotExport("pdf"); });
    exp->addAction("&Explore view as PNG...", this, [this] {
        exportWithDialog(this, "Export view", "eqlab-view.png", "PNG (*.png)",
                         [this](const QString& p) { saveWidgetPng(this, p); });
    });
    exp->addSeparator();
    exp->addAction("&Windows as CSV...", QKeySequence("Ctrl+E"), this, [this] {
        exportWithDialog(this, "Export windows", "eqlab-windows.csv", "CSV (*.csv)",
                         [this](const QString& p) { saveText(p, windowsCsv(*traceModel())); });
    });
    exp->addAction("&Tokens as CSV...", this, [this] {
        exportWithDialog(this, "Export tokens", "eqlab-tokens.csv", "CSV (*.csv)",
                         [this](const QString& p) { saveText(p, tokensCsv(*traceModel())); });
    });
    exp->addAction("&Bytes (surprisal, bits) as CSV...", this, [this] {
        exportWithDialog(this, "Export bytes", "eqlab-bytes.csv", "CSV (*.csv)",
                         [this](const QString& p) { saveText(p, bytesCsv(*traceModel())); });
    });
    exp->addAction("This &window (inspector) as CSV or JSON...", QKeySequence("Ctrl+Shift+W"), this,
                   [this] { explore_->inspector()->exportWithDialog(); });
    exp->addAction("Whole analysis as &JSON...", QKeySequence("Ctrl+Shift+E"), this, [this] {
        exportWithDialog(this, "Export analysis", "eqlab-analysis.json", "JSON (*.json)",
                         [this](const QString& p) { saveText(p, analysisJson(*traceModel())); });
    });

    auto* help = menuBar()->addMenu("&Help");
    help->addAction("&About eqlab", this, &MainWindow::showAbout);
    help->addAction("&Keyboard shortcuts", this,
                    [this] { QMessageBox::information(this, "Keyboard shortcuts", shortcutsText()); });
}

namespace {
QString plainText(const QAction* a) {
    QString t = a->text();
    t.remove(QRegularExpression("&(?!&)"));
    if (t.endsWith("...")) t.chop(3);
    return t;
}

QString keysText(const QList<QKeySequence>& keys) {
    QStringList s;
    for (const QKeySequence& k : keys) s << k.toString(QKeySequence::NativeText);
    return s.join(" or ");
}

// "Menu:" then a line per action with a shortcut: "  keys: what it does".
QString actionLines(const QString& title, const QList<QAction*>& actions) {
    QString out;
    for (const QAction* a : actions) {
        if (a->shortcuts().isEmpty()) continue;
        out += QString("  %1: %2").arg(keysText(a->shortcuts()), plainText(a));
        if (!a->whatsThis().isEmpty()) out += " (" + a->whatsThis() + ")";
        out += '\n';
    }
    return out.isEmpty() ? out : title + ":\n" + out;
}
}  // namespace

QString MainWindow::shortcutsText() const {
    // From the actions themselves, so that the list cannot drift from the keys.
    QString out;
    for (const QAction* m : menuBar()->actions())
        if (const QMenu* menu = m->menu()) out += actionLines(plainText(m), menu->actions());
    out += actionLines("Step tab (while it has focus)", step_->actions());
    out +=
        "Explore's text:\n"
        "  Home / End or Ctrl+Home / Ctrl+End: start / end of the analysed text\n"
        "  Click: select a window; drag: select bytes; right click: step through the selection\n";
    return out;
}

void MainWindow::showAbout() {
    QString model = explore_->modelPath().isEmpty() ? QString::fromStdString(defaultM1Path()) : explore_->modelPath();
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
    restyleViews();
}

void MainWindow::setHighContrast(bool on) {
    Theme::setHighContrast(on);
    highContrastAction_->setChecked(on);
    restyleViews();
}

void MainWindow::toggleFullScreen() {
    setWindowState(windowState() ^ Qt::WindowFullScreen);
}

void MainWindow::changeEvent(QEvent* e) {
    QMainWindow::changeEvent(e);
    if (e->type() == QEvent::WindowStateChange) fullScreenAction_->setChecked(isFullScreen());
}

void MainWindow::restyleViews() {
    explore_->restyle();
    compare_->restyle();
    m1_->restyle();
    m2_->restyle();
    step_->restyle();
    studies_->restyle();
}

void MainWindow::showView(View v) {
    tabs_->setCurrentIndex(int(v));
}

void MainWindow::feedStudies() {
    studies_->setExploreText(explore_->bytes());
    QVector<QPair<QString, QString>> runs;
    for (const M2Run& r : m2_->runs())
        if (r.tokensPerWindow > 0) runs.append({r.name, r.dir});  // eqinfo-ac runs: they log accuracy by position
    studies_->positionAccuracyPage()->setRuns(runs, m2_->currentRunDir());
}

void MainWindow::stepThroughSelection() {
    const TraceModel* m = traceModel();
    const Trace* t = m->trace();
    if (!t || m->bytes().empty()) {
        statusBar()->showMessage("Nothing to step through yet: Explore has not analysed a text.", 5000);
        return;
    }
    uint64_t b0 = m->selection().byteBegin, b1 = m->selection().byteEnd;  // not the hover
    if (b0 >= b1 && m->currentSegment() >= 0 && size_t(m->currentSegment()) < t->segments.size()) {
        b0 = t->segments[size_t(m->currentSegment())].byteBegin;
        b1 = t->segments[size_t(m->currentSegment())].byteEnd;
    }
    if (b0 >= b1) {  // nothing selected: the first window (or the text's start)
        b0 = 0;
        b1 = t->segments.empty() ? m->bytes().size() : t->segments.front().byteEnd;
    }
    b1 = std::min<uint64_t>(b1, m->bytes().size());
    const std::vector<uint8_t> bytes(m->bytes().begin() + std::ptrdiff_t(b0), m->bytes().begin() + std::ptrdiff_t(b1));
    // The model the result was coded with, not the field's text (edited since, perhaps).
    step_->stepThrough(bytes, lastResult()->encoded.params, lastResult()->modelPath);
    showView(View::Step);
    statusBar()->showMessage(
        QString("Stepping through bytes %L1-%L2 of Explore's text, as a text of their own").arg(b0).arg(b1 - 1), 8000);
}

bool MainWindow::selectInExplore(uint64_t b0, uint64_t b1, const std::vector<uint8_t>& text) {
    const std::vector<uint8_t>& analysed = traceModel()->bytes();
    if (!traceModel()->trace() || b1 > analysed.size() || b1 > text.size() ||
        !std::equal(text.begin(), text.begin() + std::ptrdiff_t(b1), analysed.begin()))
        return false;
    traceModel()->selectBytes(b0, b1);
    return true;
}

void MainWindow::showInExplore(std::shared_ptr<const std::vector<uint8_t>> text, const QString& textName, uint64_t b0,
                               uint64_t b1) {
    if (!text) return;
    showView(View::Explore);
    pendingJump_.reset();
    if (selectInExplore(b0, b1, *text)) return;
    // Explore shows another text, or not that far into it yet: analyse the studies' text there, then select.
    if (*text != explore_->bytes()) {
        explore_->setBytes(*text);
        statusBar()->showMessage("Explore now shows the studies' text, " + textName, 8000);
    }
    pendingJump_ = PendingJump{b0, b1, std::move(text)};
    explore_->runAnalysisNow();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
    if (e->mimeData()->hasUrls()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
    const auto urls = e->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile()) openFile(urls.first().toLocalFile());
}

void MainWindow::restoreSettings() {
    QSettings s;
    restoreGeometry(s.value("window/geometry").toByteArray());
    explore_->restoreSettings(s);
    studies_->restoreSettings(s);
    hexAction_->setChecked(s.value("view/hex", false).toBool());
    tokenStrip()->setHex(hexAction_->isChecked());
    // The theme and the zoom were set before the views were built.
    highContrastAction_->setChecked(Theme::current().highContrast);
    darkAction_->setChecked(Theme::current().dark);
    restyleViews();
}

void MainWindow::saveSettings() const {
    QSettings s;
    s.setValue("window/geometry", saveGeometry());
    explore_->saveSettings(s);
    studies_->saveSettings(s);
    s.setValue("view/hex", hexAction_->isChecked());
    s.setValue("view/dark", darkAction_->isChecked());
    s.setValue("view/highContrast", highContrastAction_->isChecked());
    s.setValue("view/zoom", Zoom::instance().factor());
}

void MainWindow::stopJobs() {
    explore_->cancel();
    worker()->cancel();  // also a run started directly (scripting, tests), not through the panel
    explore_->decoder()->cancel();
    compare_->cancel();
    step_->cancel();
    studies_->cancelAll();
    m1_->stop();  // training writes a checkpoint as it stops: nothing trained is lost
    m2_->stop();
}

void MainWindow::closeEvent(QCloseEvent* e) {
    if (!closing()) {
        saveSettings();
        if (autosaving_) autosave_->writeNow(session());  // on a job: the close waits for it below
        stopJobs();
        if (BackgroundJob::liveThreads() > 0) {  // closeWait_ completes the close once they have ended
            e->ignore();
            hide();
            closeWait_.start();
            return;
        }
    }
    // Nothing runs any more (or a second close(), which does not wait): join what is left.
    closeWait_.stop();
    if (autosaving_) autosave_->flush();  // a write still in flight ends, one still pending is made
    // Joined here, not only when the views are destroyed: once the window is
    // closed no work runs on, whoever keeps the window object.
    explore_->cancelAndWait();
    compare_->cancelAndWait();
    m1_->cancelAndWait();
    m2_->cancelAndWait();
    step_->cancelAndWait();
    studies_->cancelAndWait();
    QMainWindow::closeEvent(e);
}

bool MainWindow::saveScreenshotWhenReady(const QString& path, View view, const QString& study) {
    show();
    QEventLoop loop;
    QTimer::singleShot(600000, &loop, &QEventLoop::quit);
    // A container being decoded: its text, or its failure (then no screenshot).
    if (explore_->opening()) {
        bool failed = false;
        auto c1 = connect(explore_, &ExploreView::fileOpened, &loop, &QEventLoop::quit);
        auto c2 = connect(explore_, &ExploreView::openFailed, &loop, [&] {
            failed = true;
            loop.quit();
        });
        loop.exec();
        disconnect(c1);
        disconnect(c2);
        if (failed) return false;
    }
    if (view == View::Explore) {
        auto c1 = connect(worker(), &AnalysisWorker::finished, &loop, &QEventLoop::quit);
        auto c2 = connect(worker(), &AnalysisWorker::failed, &loop, &QEventLoop::quit);
        runAnalysisNow();
        loop.exec();
        disconnect(c1);
        disconnect(c2);
        // Point at something worth seeing: a window in the text, a token in the strip.
        if (traceModel()->trace() && traceModel()->trace()->segments.size() > 3) traceModel()->selectSegment(3);
    } else if (view == View::Compare) {
        showView(View::Compare);
        compare_->setInput(explore_->bytes(), explore_->modelPath());
        connect(compare_, &CompareView::finished, &loop, &QEventLoop::quit);
        compare_->run();
        loop.exec();
    } else if (view == View::Studies) {
        showView(View::Studies);
        if (!study.isEmpty() && !studies_->showStudy(study)) return false;
        StudyPage* page = studies_->currentPage();
        connect(page, &StudyPage::finished, &loop, &QEventLoop::quit);
        page->run();
        if (page->busy()) loop.exec();
    } else if (view == View::Step) {
        showView(View::Step);
        if (!step_->walk() || step_->busy()) {
            connect(step_, &StepView::walkReady, &loop, &QEventLoop::quit);
            connect(step_, &StepView::walkFailed, &loop, &QEventLoop::quit);
            if (!step_->busy()) step_->walkNow();
            loop.exec();
        }
        // Show something worth seeing: a window closing on a byte that did not fit.
        if (const auto walk = step_->walk()) {
            for (size_t i = 0; i < walk->frames.size(); ++i)
                if (walk->frames[i].kind == StepFrame::Kind::Close && walk->frames[i].nextByte >= 0) {
                    step_->setFrame(i);
                    break;
                }
        }
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
    } catch (const std::exception& e) {
        std::fprintf(stderr, "eqlab: cannot save the screenshot: %s\n", e.what());
        return false;
    }
}

}  // namespace eqlab::ui
