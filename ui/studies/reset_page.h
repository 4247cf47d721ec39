// The "reset" study's page: Equal-Info Windows with M1's context reset
// every window, every n-th, or never; bytes/token per variant beside the
// paper's, and whether each round-trips.
#pragma once

#include <memory>

#include "studies/reset_study.h"
#include "studies/study_widgets.h"
#include "study_page.h"

class QCheckBox;
class QLineEdit;
class QSpinBox;

namespace eqlab::ui {

class ResetPage : public StudyPage {
    Q_OBJECT
public:
    explicit ResetPage(QWidget* parent = nullptr);
    const ResetStudy* result() const { return result_.get(); }

protected:
    void startRun(const StudyInput& input) override;
    void redraw() override;

private:
    QString show(std::shared_ptr<const ResetStudy> result, const QString& textName);

    WindowParamFields params_;  // b and k (the variants differ in M1's reset; each has distinct termination)
    QLineEdit* every_;
    QCheckBox* roundTrip_;
    std::shared_ptr<const ResetStudy> result_;
};

}  // namespace eqlab::ui
