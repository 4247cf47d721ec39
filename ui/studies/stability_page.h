// The "stability" study's page: how much each method's tokenization of a
// sentence changes when a word is prepended; the distribution of edit
// distances per method, a table per method and one of every word.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "studies/stability.h"
#include "study_page.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace eqlab::ui {

class MethodChecks;

class StabilityPage : public StudyPage {
    Q_OBJECT
public:
    explicit StabilityPage(QWidget* parent = nullptr);
    const Stability* result() const { return result_.get(); }
    QTableWidget* pairsTable() const { return pairs_; }
    void setSentence(const QString& s);
    // Reads one word per line (parseWordList); false, with the reason in the status line, when it cannot.
    bool loadWords(const QString& path);
    void useDefaultWords();

protected:
    void startRun(const StudyInput& input) override;
    void redraw() override;

private:
    QString show(std::shared_ptr<const Stability> result);

    QLineEdit* sentence_;
    QComboBox* axis_;
    QLabel* wordsLabel_;
    MethodChecks* methods_;
    QTableWidget* pairs_;
    std::vector<std::string> words_;
    std::shared_ptr<const Stability> result_;
};

}  // namespace eqlab::ui
