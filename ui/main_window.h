// The eqlab window: it coordinates the tabs (Explore, Compare, M1 training,
// Learnability, Step, Studies), the menus and their shortcuts, the settings and screenshots;
// each tab is its own view. Long work runs on the views' background jobs, so
// the event loop is never blocked, and closing the window cancels and joins
// every job.
#pragma once

#include <QMainWindow>
#include <QTimer>
#include <memory>
#include <optional>
#include <vector>

#include "explore_view.h"
#include "session_autosave.h"

class QAction;
class QLabel;
class QTabWidget;

namespace eqlab::ui {

class CompareView;
class M1View;
class M2View;
class StepView;
class StudiesView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // The tabs, in order (Ctrl+1..6).
    enum class View { Explore = 0, Compare = 1, M1 = 2, M2 = 3, Step = 4, Studies = 5 };
    // What the command line sets for this run, over the saved settings. The
    // zoom and the theme are applied before the views are built, since some
    // measure their fonts once.
    struct StartOptions {
        std::optional<double> zoom;  // 1 = 100%
        std::optional<bool> dark, highContrast;
        bool headless = false;  // --screenshot: no dialog opens; errors go to stderr
        // Keep the text and settings across a crash or a kill: write an
        // autosave (SessionAutosave) a short pause after each change and on
        // close. Off by default (tests, screenshots): eqlab turns it on.
        bool autosave = false;
        // Start from the last autosave's text and settings instead of the
        // sample (eqlab: unless --screenshot or --fresh; --restore asks for it).
        bool restore = false;
        QString autosavePath;  // empty: SessionAutosave::defaultPath()
    };
    explicit MainWindow(QWidget* parent = nullptr) : MainWindow(StartOptions(), parent) {}
    explicit MainWindow(const StartOptions& options, QWidget* parent = nullptr);

    // Opens a text file, or an eqlab container (decoded on a background job,
    // then analysed with its own parameters): see ExploreView::openFile.
    bool openFile(const QString& path) { return explore_->openFile(path); }
    // Replaces the text with these exact bytes (any bytes: invalid UTF-8 and NULs are kept).
    void setBytes(const std::vector<uint8_t>& bytes) { explore_->setBytes(bytes); }
    void showView(View v);
    // Waits for the view's work (analysis, comparison, a short training run,
    // the Step tab's walk (shown at its first window that closes on a byte
    // that did not fit, else its first step), or, on the Studies tab, the run
    // of `study`'s page: its CLI name, empty for the current page), grabs the
    // window to `path` (PNG) and returns success.
    bool saveScreenshotWhenReady(const QString& path, View view = View::Explore, const QString& study = {});
    // Shows bytes [b0, b1) of `text` (a study's input, called `textName`) in
    // Explore: at once when Explore's analysis covers them, else after
    // analysing that text there.
    void showInExplore(std::shared_ptr<const std::vector<uint8_t>> text, const QString& textName, uint64_t b0,
                       uint64_t b1);

    // What an autosave keeps: Explore's text and method panel, the theme, zoom, hex tokens and the tab.
    Session session() const;
    // Applies a session's text and settings (an autosave being restored).
    void applySession(const Session& s);
    SessionAutosave* autosave() { return autosave_; }  // null unless StartOptions::autosave

    // For tests and scripting.
    ExploreView* exploreView() { return explore_; }
    std::shared_ptr<AnalysisResult> lastResult() const { return explore_->lastResult(); }
    AnalysisWorker* worker() { return explore_->worker(); }
    TraceModel* traceModel() { return explore_->traceModel(); }
    TextTraceView* textView() { return explore_->textView(); }
    TokenStrip* tokenStrip() { return explore_->tokenStrip(); }
    BitChart* bitChart() { return explore_->bitChart(); }
    SummaryPanel* summary() { return explore_->summary(); }
    CompareView* compareView() { return compare_; }
    M1View* m1View() { return m1_; }
    M2View* m2View() { return m2_; }
    StudiesView* studiesView() { return studies_; }
    StepView* stepView() { return step_; }
    // Explore's "Step through selection": the Step tab on the bytes selected in
    // Explore (else its current window, else its first), with Explore's method, b, k and model.
    void stepThroughSelection();
    void setMethod(Method m, int windowBits = 16, int tokenBits = 8) { explore_->setMethod(m, windowBits, tokenBits); }
    void setModelPath(const QString& path) { explore_->setModelPath(path); }
    void runAnalysisNow() { explore_->runAnalysisNow(); }
    void setDark(bool dark);  // light/dark theme; charts restyle too
    // Presenter mode (with Zoom, which scales every view): high contrast
    // (combines with light/dark) and full screen (F11).
    void setHighContrast(bool on);
    void toggleFullScreen();
    // Help > Keyboard shortcuts: every menu action with a shortcut, by menu,
    // the Step tab's keys and those of Explore's text.
    QString shortcutsText() const;

    // True from a close() that found jobs running until their threads have
    // ended and the close completed (the window is hidden meanwhile).
    bool closing() const { return closeWait_.isActive(); }

protected:
    // Saves the settings, starts the autosave's last write, then asks every view's job to stop.
    // With none running, the window closes at once. Otherwise it hides at once
    // and the close completes once their threads have ended, the event loop
    // running meanwhile (a training step or a checkpoint may take seconds:
    // the window neither freezes nor lingers). A second close() while waiting
    // joins them there and then.
    void closeEvent(QCloseEvent*) override;
    void changeEvent(QEvent*) override;  // keeps View > Full screen checked as the window is
    void dragEnterEvent(QDragEnterEvent*) override;
    void dropEvent(QDropEvent*) override;

private:
    void buildMenus();
    // After a theme or zoom change: every view restyles its charts and painted parts.
    void restyleViews();
    void restoreSettings();
    void stopJobs();  // asks every view's job to stop, without waiting for its thread
    void saveSettings() const;
    void showAbout();
    // Hands the Studies tab what it reads from the other tabs: Explore's text, Learnability's runs.
    void feedStudies();
    // Selects bytes [b0, b1) in Explore if its analysis holds exactly `text` over them.
    bool selectInExplore(uint64_t b0, uint64_t b1, const std::vector<uint8_t>& text);

    QTabWidget* tabs_;
    ExploreView* explore_;
    CompareView* compare_;
    M1View* m1_;
    M2View* m2_;
    StepView* step_;
    StudiesView* studies_;
    SessionAutosave* autosave_ = nullptr;  // reads the last session (restore), writes new ones (autosaving_)
    bool autosaving_ = false;
    QLabel* bytesLabel_;
    QAction* darkAction_;
    QAction* hexAction_;
    QAction* highContrastAction_;
    QAction* fullScreenAction_;
    // A window of a study to show in Explore once its analysis of that text is done.
    struct PendingJump {
        uint64_t byteBegin, byteEnd;
        std::shared_ptr<const std::vector<uint8_t>> text;
    };
    std::optional<PendingJump> pendingJump_;
    QTimer closeWait_;  // while a close waits for job threads: checks whether they have ended
};

}  // namespace eqlab::ui
