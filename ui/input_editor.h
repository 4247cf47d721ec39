// Explore's input editor: a QPlainTextEdit that takes a large text (a paste,
// a file, an autosave) in slices, one per turn of the event loop, so that the
// window keeps responding while megabytes go in. While a text goes in the
// editor is read-only and loading() is true; loaded() follows the last slice.
// A paste stays one undo step.
#pragma once

#include <QPlainTextEdit>
#include <QTextCursor>
#include <QTimer>

namespace eqlab::ui {

class InputEditor : public QPlainTextEdit {
    Q_OBJECT
public:
    // Texts up to this many characters (UTF-16 units) go in at once; larger
    // ones in pieces of this size, as many per turn of the event loop as fit
    // in kSliceMs (a piece costs a few milliseconds: QTextDocument makes a
    // block per line).
    static constexpr qsizetype kPieceChars = qsizetype(16) << 10;
    static constexpr int kSliceMs = 8;

    explicit InputEditor(QWidget* parent = nullptr);

    // Replaces the text (and the undo history), in slices when it is large.
    void setTextInSlices(const QString& text);
    bool loading() const { return !pending_.isEmpty(); }

signals:
    void loadProgress(int percent);  // 0..100 while a large text goes in
    void loaded();                   // the whole text is in

protected:
    // A large paste goes in slices at the cursor, replacing the selection.
    void insertFromMimeData(const QMimeData* source) override;

private:
    void startLoading(QString text, bool undoable);
    void insertNextSlice();

    QString pending_;     // the text going in; empty when none
    qsizetype next_ = 0;  // the first character of pending_ not inserted yet
    bool undoable_ = false;
    bool wasReadOnly_ = false;
    QTextCursor cursor_;  // where the next slice goes
    QTimer slices_;
};

}  // namespace eqlab::ui
