// The "segmentations" study's page: the text cut four ways, drawn as aligned
// rows (SegmentationStrip), with a histogram of segment lengths per row and
// a table of their mean bytes per segment. The b slider re-cuts the
// Equal-Info row on the job (debounced); the entropy thresholds and the
// fixed chunk size recompute their rows live from the last run's
// entropies, without a job.
#pragma once

#include <QTimer>
#include <memory>

#include "studies/segmentations.h"
#include "study_page.h"

class QLabel;
class QSlider;
class QSpinBox;

namespace eqlab::ui {

class SegmentationStrip;

class SegmentationsPage : public StudyPage {
    Q_OBJECT
public:
    explicit SegmentationsPage(QWidget* parent = nullptr);
    // The last run, its entropy rows and fixed row as the controls now say.
    const Segmentations* result() const { return result_.get(); }
    const std::vector<SegmentationRow>& rows() const { return rows_; }
    SegmentationStrip* strip() const { return strip_; }
    QSlider* windowBitsSlider() const { return windowBits_; }
    QSlider* thresholdSlider() const { return threshold_; }
    QSlider* riseSlider() const { return rise_; }

protected:
    void startRun(const StudyInput& input) override;
    void redraw() override;

private:
    QString show(std::shared_ptr<const Segmentations> result, const StudyInput& input);
    // The b slider: the Equal-Info row again at the slider's b, over the last run's text (a whole run if none).
    void recutWindows();
    QString showWindows(const SegmentationRow& row, int windowBits);
    // The entropy and fixed rows from the controls, over the last run's entropies; no run.
    void recomputeLiveRows();
    void updateLabels();
    double thresholdBits() const;
    double riseBits() const;

    QSlider* windowBits_;
    QSlider* threshold_;
    QSlider* rise_;
    QSpinBox* fixedBytes_;
    QLabel* windowBitsLabel_;
    QLabel* thresholdLabel_;
    QLabel* riseLabel_;
    SegmentationStrip* strip_;
    QTimer rerun_;  // the b slider's debounce
    // What the job runs now (while busy()): a whole run, or a re-cut of the Equal-Info row.
    enum class Job { Run, Recut } running_ = Job::Run;
    std::shared_ptr<const Segmentations> result_;
    StudyInput resultInput_;             // what result_ was computed from
    std::vector<SegmentationRow> rows_;  // what is shown: result_'s rows, the live ones and a re-cut one replaced
};

}  // namespace eqlab::ui
