// The coder's 32-bit registers at this step, in hex and binary, low above
// high so their bits line up: before the step, the chosen slice (the
// interval narrowed, before renormalising: the leading bits low and high
// share are marked, they are the bits that settle), and after; the pending
// (underflow) count; decoding, the code register the decoder reads.
#pragma once

#include "step/step_widget.h"

namespace eqlab::ui {

class RegisterPanel : public StepWidget {
    Q_OBJECT
public:
    explicit RegisterPanel(QWidget* parent = nullptr);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent*) override;
};

}  // namespace eqlab::ui
