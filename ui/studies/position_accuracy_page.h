// The "position-accuracy" study's page: M2's accuracy by token position
// inside an Equal-Info window over training, read from a run of the
// Learnability tab (or any run folder), beside the paper's ordering.
#pragma once

#include <QPair>
#include <QVector>
#include <memory>

#include "studies/position_accuracy.h"
#include "study_page.h"

class QComboBox;

namespace eqlab::ui {

class PositionAccuracyPage : public StudyPage {
    Q_OBJECT
public:
    explicit PositionAccuracyPage(QWidget* parent = nullptr);
    const PositionAccuracy* result() const { return result_.get(); }
    // The runs to choose from (name, folder), e.g. the Learnability tab's. Selected: `current` if
    // listed, else the run chosen before (kept, listed or not), else the first.
    void setRuns(const QVector<QPair<QString, QString>>& runs, const QString& current);
    void setRunDir(const QString& dir);
    QString runDir() const;

signals:
    void openInLearnability(const QString& runDir);

protected:
    void startRun(const StudyInput& input) override;
    void redraw() override;

private:
    QString show(std::shared_ptr<const PositionAccuracy> result);

    QComboBox* run_;
    std::shared_ptr<const PositionAccuracy> result_;
};

}  // namespace eqlab::ui
