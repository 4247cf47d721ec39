// The Step tab: the coder one step at a time, on a short text. A row of
// parameters (the text, method, b, k, the model, encode or decode) is walked
// on a background job (stepThrough, capped at kMaxStepBytes); a row of
// controls steps through the precomputed frames: forward, back, play at a
// chosen speed, home/end, next/previous window, jump to byte or window, each
// with its shortcut while the tab has focus. The frame is drawn by a
// StepCanvas; it exports as PNG, and the whole walk as a PDF handout with one
// page per frame.
#pragma once

#include <QTimer>
#include <QWidget>
#include <memory>
#include <vector>

#include "analysis/step_through.h"
#include "background_job.h"
#include "methods/model_cache.h"

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QToolBar;

namespace eqlab::ui {

class StepCanvas;

class StepView : public QWidget {
    Q_OBJECT
public:
    explicit StepView(QWidget* parent = nullptr);

    // Replaces the text and the parameters, and walks them (Explore's "Step
    // through selection"). A method that is not a range coder becomes eqinfo-ac.
    void stepThrough(const std::vector<uint8_t>& bytes, const CodecParams& params, const QString& modelPath);
    // Walks the text with the parameters shown, on the background job (a walk in flight is cancelled).
    void walkNow();
    // Walks unless a walk is shown or under way (the tab was opened).
    void ensureWalk();
    void cancel();         // stops the walk in flight (Esc) and playing
    void cancelAndWait();  // cancel(), then joins the job's thread (closing the window)
    bool busy() const { return job_.busy(); }
    void restyle();  // after a theme change

    void setDecoding(bool decode);  // re-walks as the decoder (true) or the encoder
    bool decoding() const;
    void setMethod(Method m, int windowBits = 16, int tokenBits = 8);
    void setModelPath(const QString& path);

    // The walk shown (null before the first), and the frame shown.
    std::shared_ptr<const StepThrough> walk() const { return walk_; }
    size_t frame() const { return frame_; }
    const std::vector<uint8_t>& bytes() const { return bytes_; }  // the text (before the kMaxStepBytes cut)
    // Shows frame i (clamped to the walk). Stepping only repaints.
    void setFrame(size_t i);
    void step(int delta);        // forward (+1) or back (-1)
    void stepWindow(int delta);  // to the next or previous window's Reset frame
    void jumpToByte(uint64_t byte);
    void jumpToWindow(uint64_t window);
    void setPlaying(bool play);
    bool playing() const { return play_.isActive(); }

    // The frame shown, as a PNG; the whole walk as a PDF with one page per
    // frame (each the frame drawn and its caption). Throw on failure;
    // savePdf returns the pages written and throws Cancelled when progress cancels.
    void saveFramePng(const QString& path);
    int savePdf(const QString& path, const ProgressFn& progress = {});

    StepCanvas* canvas() { return canvas_; }
    ModelCache& modelCache() { return models_; }       // the models walks code with, kept between walks
    QAction* action(const QString& objectName) const;  // for tests: "stepForward", "stepBack", ...

protected:
    // Single-key shortcuts (Space, P, B, W, D) yield to a focused field, box or button of the tab.
    bool eventFilter(QObject* watched, QEvent* event) override;

signals:
    void walkReady();  // a walk finished and is shown
    void walkFailed(const QString& message);
    void statusMessage(const QString& text, int timeoutMs);

private:
    QWidget* buildParameterRow();
    QToolBar* buildControls();
    QAction* addStepAction(QToolBar* bar, const QString& name, const QString& text, const QList<QKeySequence>& keys,
                           const QString& tip);
    CodecParams currentParams() const;
    void scheduleWalk();
    void showWalk(std::shared_ptr<const StepThrough> walk, const QString& note);
    void showError(const QString& message);
    void setWalking(bool walking);  // the progress bar and Cancel show while a walk runs
    void updateControls();
    void exportFrameWithDialog();
    void exportPdfWithDialog();

    QPlainTextEdit* editor_;
    QComboBox* method_;
    QSpinBox* windowBits_;
    QSpinBox* tokenBits_;
    QLineEdit* modelPath_;
    QCheckBox* decode_;
    QPushButton* walkButton_;
    QProgressBar* progress_;
    QPushButton* cancel_;
    QLabel* info_;
    QToolBar* controls_;
    QComboBox* speed_;
    QSpinBox* byteBox_;
    QSpinBox* windowBox_;
    QLabel* position_;
    StepCanvas* canvas_;
    QTimer debounce_;
    QTimer play_;
    std::vector<uint8_t> bytes_;
    bool bytesFromEditor_ = true;  // false while the editor shows bytes it cannot hold exactly
    bool keepPosition_ = false;    // the next walk keeps the byte shown (a parameter changed, not the text)
    std::shared_ptr<const StepThrough> walk_;
    size_t frame_ = 0;
    ModelCache models_;  // kept between walks; before job_, which joins the walk using it
    BackgroundJob job_;  // last: destroyed first, it cancels and joins its run before the widgets go
};

}  // namespace eqlab::ui
