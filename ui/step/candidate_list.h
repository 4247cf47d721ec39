// The model's top candidates for the byte of a Code frame as a table: each
// byte with its colour in the interval bar, the model's probability, the
// quantised freq/total the coder uses and the bits that slice costs
// (log2 total/freq); the chosen byte's row highlighted, and what the other
// bytes share. Empty for Reset and Close frames.
#pragma once

#include "step/step_widget.h"

namespace eqlab::ui {

class CandidateList : public StepWidget {
    Q_OBJECT
public:
    explicit CandidateList(QWidget* parent = nullptr);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent*) override;
};

}  // namespace eqlab::ui
