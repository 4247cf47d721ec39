// The eqlab main window (minimal until the GUI issue lands): the text, the
// method controls and a summary of the analysis, computed on a worker thread.
#pragma once

#include <QMainWindow>
#include <QTimer>
#include <memory>
#include <vector>

#include "analysis_worker.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace eqlab::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Loads a text file into the text pane; shows an error box on failure.
    bool openTextFile(const QString& path);
    // Waits for the current analysis, grabs the window to `path` (PNG) and returns success.
    bool saveScreenshotWhenReady(const QString& path);

    // For tests: the last analysis, or null.
    std::shared_ptr<AnalysisResult> lastResult() const { return result_; }
    AnalysisWorker* worker() { return &worker_; }

private slots:
    void scheduleAnalysis();
    void runAnalysis();
    void showResult(std::shared_ptr<eqlab::ui::AnalysisResult> r);
    void showError(const QString& message);
    void openFileDialog();

private:
    CodecParams currentParams() const;
    void setText(const std::vector<uint8_t>& bytes);

    QPlainTextEdit* text_;
    QComboBox* method_;
    QSpinBox* windowBits_;
    QSpinBox* tokenBits_;
    QLabel* summary_;
    QLabel* bytesLabel_;
    QProgressBar* progress_;
    QPushButton* cancel_;
    QTimer debounce_;
    AnalysisWorker worker_;
    std::vector<uint8_t> bytes_;  // the text exactly as bytes
    std::shared_ptr<AnalysisResult> result_;
};

}  // namespace eqlab::ui
