// The Explore tab: one method on the text. A side panel picks the method,
// b, k, the chunk size, the M1 weights and how much of the text to analyse,
// and shows the summary; beside it the input editor, the analysed text
// (coloured by window or surprisal), the tokens over their bits and the bit
// allocation per window; at the right the window inspector (the selected
// window in detail). Every edit is re-analysed after a short pause on a
// background job; an opened container is decoded on another. The event loop
// is never blocked, and Cancel (Esc) stops either. While a new analysis runs,
// and after one is cancelled or fails, the analysis still shown is marked stale.
#pragma once

#include <QTimer>
#include <QVariantMap>
#include <QWidget>
#include <memory>
#include <vector>

#include "analysis_worker.h"
#include "background_job.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSettings;
class QSpinBox;
class QSplitter;

namespace eqlab::ui {

class BitChart;
class InputEditor;
class SummaryPanel;
class TextTraceView;
class TokenStrip;
class TraceModel;
class WindowInspector;

class ExploreView : public QWidget {
    Q_OBJECT
public:
    explicit ExploreView(QWidget* parent = nullptr);

    // Opens a text file (its bytes replace the text), or an eqlab container:
    // read and checked here, then decoded on a background job, with progress
    // in the side panel; once decoded its text replaces the current one and is
    // analysed with the container's own parameters, and fileOpened() follows.
    // Failures, now or during decoding, show a message box (headless: go to
    // stderr) and emit openFailed(). Returns false when the file cannot be
    // read or is not a valid container.
    bool openFile(const QString& path);
    bool opening() const { return !opening_.isEmpty(); }  // a container is being decoded
    // Headless (eqlab --screenshot): no dialog opens, errors are printed on stderr.
    void setHeadless(bool headless) { headless_ = headless; }
    // Replaces the text with these exact bytes (any bytes: invalid UTF-8 and NULs are kept).
    void setBytes(const std::vector<uint8_t>& bytes);
    // Replaces the text with the bundled sample; a message in the summary if it cannot be read.
    void loadSample();
    const std::vector<uint8_t>& bytes() const { return bytes_; }
    void setMethod(Method m, int windowBits = 16, int tokenBits = 8);
    // The M1 weights file for ac and eqinfo-ac; empty: the bundled model.
    QString modelPath() const;
    void setModelPath(const QString& path);
    void runAnalysisNow();
    // Esc: stops the analysis or the decoding in flight, if any.
    void cancel();
    // Stops both jobs, drops what they have not shown yet, and returns once
    // their threads have ended (closing the window).
    void cancelAndWait();
    // Writes the last analysis as an eqlab container; throws on failure. Needs lastResult().
    void saveContainer(const QString& path) const;
    void toggleColouring();  // windows <-> surprisal
    void setInspectorVisible(bool visible);
    bool inspectorVisible() const;
    // Navigate > Go to window or byte: asks for the number, then selects it.
    void showGoToDialog();
    void restyle();  // after a theme change
    void restoreSettings(const QSettings& s);
    void saveSettings(QSettings& s) const;
    // The method panel's choices (method, b, k, chunk, model, limit, colouring),
    // keyed as in the settings ("method/name", "method/b", ...): what an
    // autosave keeps. apply takes the keys present and leaves the others.
    QVariantMap methodSettings() const;
    void applyMethodSettings(const QVariantMap& m);
    InputEditor* editor() { return editor_; }

    std::shared_ptr<AnalysisResult> lastResult() const { return result_; }
    AnalysisWorker* worker() { return &worker_; }
    BackgroundJob* decoder() { return &decoder_; }  // the container decoding, for tests
    TraceModel* traceModel() { return model_; }
    TextTraceView* textView() { return textView_; }
    TokenStrip* tokenStrip() { return tokenStrip_; }
    BitChart* bitChart() { return bitChart_; }
    SummaryPanel* summary() { return summary_; }
    WindowInspector* inspector() { return inspector_; }

signals:
    void statusMessage(const QString& text, int timeoutMs);  // for the window's status bar
    void fileOpened(const QString& path);                    // its text is in place
    void openFailed(const QString& message);                 // "Cannot open F: why"; the text stays
    void modelPathChanged(const QString& path);
    void bytesLabelChanged(const QString& text);  // "12,284 bytes", and how much of them is analysed
    // bytes() may have changed: new bytes set (a file, a container, the sample) or the editor's text taken in.
    void textChanged();
    // An analysis starts on the current text and choices: bytes() and
    // methodSettings() are what the user now sees (for the autosave).
    void sessionChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* buildMethodPanel();
    CodecParams currentParams() const;
    uint64_t analysisLimit() const;
    void updateBytesLabel();
    void scheduleAnalysis();
    void runAnalysis();
    // Shows a result: coded (its round trip pending) or whole.
    void showResult(std::shared_ptr<eqlab::ui::AnalysisResult> r);
    void showScope();  // says when the result covers only the text's first part
    void showError(const QString& message);
    // The coded result shown waits for a round trip that will not come (cancelled, failed): say so.
    void stopRoundTrip();
    void decodeContainer(const QString& path, Encoded encoded, ModelSet models);
    void showDecoded(const std::vector<uint8_t>& bytes, const CodecParams& p);
    void openingFailed(const QString& message);
    // A message box, or headless a line on stderr; then openFailed().
    void reportOpenFailure(const QString& message);
    // Marks the analysis shown as stale: `what` ("runs", "was cancelled",
    // "failed", ...) happened to the analysis of `bytes` bytes with `params`.
    void markStale(const QString& what, uint64_t bytes, const CodecParams& params);
    void showStale(const QString& why);  // in the summary, the text view and the inspector

    TraceModel* model_;
    InputEditor* editor_;
    QLabel* editorBanner_;
    TextTraceView* textView_;
    TokenStrip* tokenStrip_;
    BitChart* bitChart_;
    SummaryPanel* summary_;
    WindowInspector* inspector_;
    QSplitter* splitter_;
    QSplitter* inspectorSplitter_;
    QComboBox* method_;
    QSpinBox* windowBits_;
    QSpinBox* tokenBits_;
    QSpinBox* chunkKiB_;
    QLineEdit* modelPath_;
    QComboBox* limit_;
    QComboBox* colouring_;
    QLabel* legend_;
    QProgressBar* progress_;
    QPushButton* cancel_;
    QTimer debounce_;
    std::vector<uint8_t> bytes_;   // the text exactly as bytes
    bool bytesFromEditor_ = true;  // false while showing bytes the editor cannot hold exactly
    bool editorExact_ = true;      // setBytes: whether the editor holds them exactly once loaded
    std::shared_ptr<AnalysisResult> result_;
    // What the analysis in flight (or the last one started) codes: its bytes and parameters.
    uint64_t requestedBytes_ = 0;
    CodecParams requestedParams_;
    QString opening_;  // the container being decoded; empty when none
    bool headless_ = false;
    // Last: destroyed first, they cancel and join their runs before the widgets go.
    AnalysisWorker worker_;
    BackgroundJob decoder_;
};

}  // namespace eqlab::ui
