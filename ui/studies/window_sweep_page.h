// The "window-sweep" study's page: Equal-Info Windows at every b and k asked
// for; bytes/token against b, one line per vocabulary, the paper's figures
// as points over it; a table of every encoding.
#pragma once

#include <memory>

#include "studies/window_sweep.h"
#include "study_page.h"

class QLineEdit;

namespace eqlab::ui {

class WindowSweepPage : public StudyPage {
    Q_OBJECT
public:
    explicit WindowSweepPage(QWidget* parent = nullptr);
    const WindowSweep* result() const { return result_.get(); }
    // The lists as typed ("16, 32"); for tests and scripting.
    void setWindowBits(const QString& list);
    void setTokenBits(const QString& list);

protected:
    void startRun(const StudyInput& input) override;
    void redraw() override;

private:
    QString show(std::shared_ptr<const WindowSweep> result, const QString& textName);

    QLineEdit* windowBits_;
    QLineEdit* tokenBits_;
    std::shared_ptr<const WindowSweep> result_;
};

}  // namespace eqlab::ui
