// The Studies tab: the paper's analyses rerun on the user's text and model
// (core/studies/), one page each. Left, the list of studies; right, the
// chosen page. Above them, the inputs every page shares: the text (the
// Explore tab's by default, the bundled sample, or a file), the M1 weights,
// the SentencePiece model, the threads and how many bytes a study analyses
// at most.
#pragma once

#include <QWidget>
#include <memory>
#include <vector>

#include "studies/study.h"
#include "study_page.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSettings;
class QSpinBox;
class QStackedWidget;

namespace eqlab::ui {

class PositionAccuracyPage;

class StudiesView : public QWidget {
    Q_OBJECT
public:
    // The texts a study can read.
    enum class Source { Explore = 0, Sample = 1, File = 2 };

    explicit StudiesView(QWidget* parent = nullptr);

    // The Explore tab's text, read when the source is Explore (the default).
    void setExploreText(std::vector<uint8_t> bytes);
    // Any bytes as the text ("File" source), under `name` ("notes.txt").
    void setText(std::vector<uint8_t> bytes, const QString& name);
    // Reads a file as the text; a message in the status line when it cannot be read.
    bool openTextFile(const QString& path);
    void setSource(Source s);
    Source source() const;
    // The text a run reads now, and what it is called.
    std::shared_ptr<const std::vector<uint8_t>> text() const;
    QString textName() const;

    void setModelPath(const QString& path);    // M1 weights; empty: the bundled model
    void setSpModelPath(const QString& path);  // the SentencePiece model; empty: the bundled one
    void setThreads(int n);
    void setMaxBytes(uint64_t n);  // 0: everything
    StudyInput input() const;

    QStringList studyNames() const;
    StudyPage* page(const QString& name) const;  // null for an unknown name
    StudyPage* currentPage() const;
    bool showStudy(const QString& name);  // false for an unknown name
    PositionAccuracyPage* positionAccuracyPage() const { return positionAccuracy_; }

    void runCurrent();
    void cancelCurrent();
    void cancelAll();  // every page's run, without waiting for their threads
    // Cancels every page's run and joins its thread (closing the window).
    void cancelAndWait();
    bool busy() const;
    void restyle();
    void restoreSettings(const QSettings& s);
    void saveSettings(QSettings& s) const;

signals:
    // The windows page's double-click: show bytes [byteBegin, byteEnd) of `text`
    // (the text its table was computed from, called `textName`) in Explore.
    void jumpToWindow(std::shared_ptr<const std::vector<uint8_t>> text, const QString& textName, uint64_t byteBegin,
                      uint64_t byteEnd);
    // The position-accuracy page's button: show this run in the Learnability tab.
    void openInLearnability(const QString& runDir);

private:
    void addPage(StudyPage* page);
    void updateTextLabel();

    QComboBox* source_;
    QLabel* textLabel_;
    QLineEdit* model_;
    QLineEdit* spModel_;
    QSpinBox* threads_;
    QComboBox* maxBytes_;
    QListWidget* list_;
    QStackedWidget* pages_;
    std::vector<StudyPage*> all_;
    PositionAccuracyPage* positionAccuracy_ = nullptr;
    std::shared_ptr<const std::vector<uint8_t>> explore_, sample_, file_;
    QString fileName_;
};

}  // namespace eqlab::ui
