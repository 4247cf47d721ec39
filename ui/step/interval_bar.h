// The coder's interval as two horizontal bars. The upper bar is the interval
// before this step, zoomed to fill the width, with the 32-bit low and high
// at its ends and the model's top candidates as slices of it (their
// quantised [cum, cum + freq) of the coder's total); the chosen slice is
// highlighted and named with its probability, freq/total and surprisal;
// decoding, a marker shows where the code value falls. A funnel leads from
// the chosen slice to the lower bar: the interval after the step, zoomed
// again, with the bits that settled on the way. A Reset shows the whole
// interval; a Close the interval the termination ends.
#pragma once

#include <QRectF>

#include "step/step_widget.h"

namespace eqlab::ui {

class IntervalBar : public StepWidget {
    Q_OBJECT
public:
    explicit IntervalBar(QWidget* parent = nullptr);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    // For tests: the upper bar's slice of candidate i of the frame shown (empty: none).
    QRectF sliceRect(size_t i) const;

protected:
    void paintEvent(QPaintEvent*) override;

private:
    struct Layout {
        QRectF upperLabels, callout, upper, funnel, lower, lowerLabels;
    };
    Layout layout() const;
    QRectF slice(const QRectF& bar, uint32_t cum, uint32_t freq, uint32_t total) const;
    void drawEnds(QPainter& p, const QRectF& row, uint64_t low, uint64_t high, bool above) const;
    void drawCode(QPainter& p, const Layout& l, const StepFrame& f) const;
    void drawReset(QPainter& p, const Layout& l) const;
    void drawClose(QPainter& p, const Layout& l, const StepFrame& f) const;
};

}  // namespace eqlab::ui
