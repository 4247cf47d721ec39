// The eqlab window. Explore: the text, its windows, tokens, bits and bit
// allocation for one method; Compare: every method side by side; M1: train
// or fine-tune the model; Learnability: train M2 on each method's tokens. Analyses run on worker threads, debounced; the
// event loop is never blocked.
#pragma once

#include <QMainWindow>
#include <QTimer>
#include <memory>
#include <vector>

#include "analysis_worker.h"

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QSplitter;
class QTabWidget;

namespace eqlab::ui {

class BitChart;
class CompareView;
class M1View;
class M2View;
class SummaryPanel;
class TextTraceView;
class TokenStrip;
class TraceModel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum class View { Explore = 0, Compare = 1, M1 = 2, M2 = 3 };
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a text file, or an eqlab container (decoded, then analysed with
    // its own parameters). Shows an error box on failure; returns success.
    bool openFile(const QString& path);
    bool openTextFile(const QString& path) { return openFile(path); }
    // Replaces the text with these exact bytes (any bytes: invalid UTF-8 and NULs are kept).
    void setBytes(const std::vector<uint8_t>& bytes);
    void showView(View v);
    // Waits for the view's work (analysis, comparison or a short training
    // run), grabs the window to `path` (PNG) and returns success.
    bool saveScreenshotWhenReady(const QString& path, View view = View::Explore);

    // For tests and scripting.
    std::shared_ptr<AnalysisResult> lastResult() const { return result_; }
    AnalysisWorker* worker() { return &worker_; }
    TraceModel* traceModel() { return model_; }
    TextTraceView* textView() { return textView_; }
    TokenStrip* tokenStrip() { return tokenStrip_; }
    BitChart* bitChart() { return bitChart_; }
    SummaryPanel* summary() { return summary_; }
    CompareView* compareView() { return compare_; }
    M1View* m1View() { return m1_; }
    M2View* m2View() { return m2_; }
    void setMethod(Method m, int windowBits = 16, int tokenBits = 8);
    void setModelPath(const QString& path);
    void runAnalysisNow();
    void setDark(bool dark);  // light/dark theme; charts restyle too

protected:
    void closeEvent(QCloseEvent*) override;
    void dragEnterEvent(QDragEnterEvent*) override;
    void dropEvent(QDropEvent*) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private slots:
    void scheduleAnalysis();
    void runAnalysis();
    void showResult(std::shared_ptr<eqlab::ui::AnalysisResult> r);
    void showError(const QString& message);

private:
    void buildMenus();
    QWidget* buildMethodPanel();
    CodecParams currentParams() const;
    uint64_t analysisLimit() const;
    void restoreSettings();
    void saveSettings() const;
    void updateBytesLabel();
    void showAbout();

    TraceModel* model_;
    QTabWidget* tabs_;
    QPlainTextEdit* editor_;
    QLabel* editorBanner_;
    TextTraceView* textView_;
    TokenStrip* tokenStrip_;
    BitChart* bitChart_;
    SummaryPanel* summary_;
    CompareView* compare_;
    M1View* m1_;
    M2View* m2_;
    QSplitter* splitter_;
    QComboBox* method_;
    QSpinBox* windowBits_;
    QSpinBox* tokenBits_;
    QSpinBox* chunkKiB_;
    QLineEdit* modelPath_;
    QComboBox* limit_;
    QComboBox* colouring_;
    QLabel* legend_;
    QLabel* bytesLabel_;
    QProgressBar* progress_;
    QPushButton* cancel_;
    QAction* darkAction_;
    QAction* hexAction_;
    QTimer debounce_;
    AnalysisWorker worker_;
    std::vector<uint8_t> bytes_;  // the text exactly as bytes
    bool bytesFromEditor_ = true;  // false while showing bytes the editor cannot hold exactly
    std::shared_ptr<AnalysisResult> result_;
};

}  // namespace eqlab::ui
