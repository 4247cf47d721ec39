// How full the current segment is. For an Equal-Info window: b cells, the
// bits already written, those committed but still owed (pending bits and
// the terminator), and at the Close the termination and the zero padding
// filling the window; for an ac or static-ac chunk a bar of its bits. Over
// it the meter's sentence (meterText): bits committed of b, why the window
// closed ("the next byte 'x' needs at least X bits, Y are left"), or the
// reset of the coder (and of M1's context) at a Reset.
#pragma once

#include "step/step_widget.h"

namespace eqlab::ui {

class WindowMeter : public StepWidget {
    Q_OBJECT
public:
    explicit WindowMeter(QWidget* parent = nullptr);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    QString text() const;  // the sentence shown (meterText), empty when there is no frame

protected:
    void paintEvent(QPaintEvent*) override;
};

}  // namespace eqlab::ui
