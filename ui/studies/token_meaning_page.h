// The "token-meaning" study's page: for each token position inside an
// Equal-Info window, how many distinct values occur (a chart and a table),
// and the dictionary of the commonest first tokens with the text prefixes
// they stand for.
#pragma once

#include <memory>

#include "studies/study_widgets.h"
#include "studies/token_meaning.h"
#include "study_page.h"

class QSpinBox;
class QTableWidget;

namespace eqlab::ui {

class TokenMeaningPage : public StudyPage {
    Q_OBJECT
public:
    explicit TokenMeaningPage(QWidget* parent = nullptr);
    const TokenMeaning* result() const { return result_.get(); }
    QTableWidget* dictionaryTable() const { return dictionary_; }

protected:
    void startRun(const StudyInput& input) override;
    void redraw() override;

private:
    QString show(std::shared_ptr<const TokenMeaning> result, const QString& textName);

    WindowParamFields params_;  // b, k and the termination (M1 resets every window: a first token's meaning)
    QSpinBox* dictionarySize_;
    QTableWidget* dictionary_;
    std::shared_ptr<const TokenMeaning> result_;
};

}  // namespace eqlab::ui
