// One frame of a step-through, drawn whole: a heading (which step, which
// window or chunk), the text strip, the caption, the interval bars beside
// the candidates, the registers beside the window meter, and the growing
// bitstream. The Step tab shows one; the PDF handout renders another,
// off-screen, once per page.
#pragma once

#include <QWidget>
#include <memory>

#include "analysis/step_through.h"

class QLabel;

namespace eqlab::ui {

class BitstreamRow;
class ByteStrip;
class CandidateList;
class IntervalBar;
class RegisterPanel;
class StepWidget;
class WindowMeter;

class StepCanvas : public QWidget {
    Q_OBJECT
public:
    explicit StepCanvas(QWidget* parent = nullptr);

    // Shows frame `frame` (< walk->frames.size()) of `walk`; null: an empty canvas saying `emptyText`.
    void setFrame(std::shared_ptr<const StepThrough> walk, size_t frame);
    void setEmptyText(const QString& text);
    QString heading() const;  // "Step 12 of 140 · window 1 · byte 5 'e'"
    QString caption() const;  // the frame's caption as plain text
    void restyle();           // after a theme change

    ByteStrip* byteStrip() { return byteStrip_; }
    IntervalBar* intervalBar() { return interval_; }
    CandidateList* candidateList() { return candidates_; }
    RegisterPanel* registerPanel() { return registers_; }
    WindowMeter* windowMeter() { return meter_; }
    BitstreamRow* bitstreamRow() { return bitstream_; }

protected:
    void changeEvent(QEvent*) override;

private:
    void applyFonts();  // the heading and caption a step larger than the canvas's font

    QLabel* heading_;
    QLabel* caption_;
    QLabel* empty_;
    QLabel* meterTitle_;
    ByteStrip* byteStrip_;
    IntervalBar* interval_;
    CandidateList* candidates_;
    RegisterPanel* registers_;
    WindowMeter* meter_;
    BitstreamRow* bitstream_;
    QWidget* body_;
    std::shared_ptr<const StepThrough> walk_;
    size_t frame_ = 0;
};

}  // namespace eqlab::ui
