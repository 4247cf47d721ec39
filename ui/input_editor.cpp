#include "input_editor.h"

#include <QElapsedTimer>
#include <QMimeData>

namespace eqlab::ui {

InputEditor::InputEditor(QWidget* parent) : QPlainTextEdit(parent) {
    slices_.setInterval(0);  // one slice per turn of the event loop: input and paint events run between
    connect(&slices_, &QTimer::timeout, this, &InputEditor::insertNextSlice);
}

void InputEditor::setTextInSlices(const QString& text) {
    slices_.stop();
    if (loading()) {  // a load in progress is abandoned: what it switched off comes back
        setReadOnly(wasReadOnly_);
        if (!undoable_) setUndoRedoEnabled(true);
    }
    pending_.clear();
    if (text.size() <= kPieceChars) {
        setPlainText(text);
        emit loaded();
        return;
    }
    setPlainText({});
    startLoading(text, /*undoable=*/false);
}

void InputEditor::insertFromMimeData(const QMimeData* source) {
    if (loading()) return;  // read-only meanwhile; a drop is not a key press
    if (!source->hasText() || source->text().size() <= kPieceChars) return QPlainTextEdit::insertFromMimeData(source);
    startLoading(source->text(), /*undoable=*/true);
}

void InputEditor::startLoading(QString text, bool undoable) {
    pending_ = std::move(text);
    next_ = 0;
    undoable_ = undoable;
    if (!undoable) setUndoRedoEnabled(false);
    cursor_ = textCursor();
    if (undoable) {
        cursor_.beginEditBlock();
        cursor_.removeSelectedText();
        cursor_.endEditBlock();
    }
    wasReadOnly_ = isReadOnly();
    setReadOnly(true);
    emit loadProgress(0);
    insertNextSlice();
    slices_.start();
}

void InputEditor::insertNextSlice() {
    if (!loading()) return slices_.stop();
    QElapsedTimer slice;
    slice.start();
    // Joined to the paste's first edit, so that one undo takes the whole paste back.
    cursor_.joinPreviousEditBlock();
    while (next_ < pending_.size() && slice.elapsed() < kSliceMs) {
        qsizetype n = std::min(kPieceChars, pending_.size() - next_);
        if (next_ + n < pending_.size() && pending_[next_ + n - 1].isHighSurrogate()) ++n;  // keep a pair whole
        cursor_.insertText(pending_.mid(next_, n));
        next_ += n;
    }
    cursor_.endEditBlock();
    if (next_ < pending_.size()) {
        emit loadProgress(int(100 * next_ / pending_.size()));
        return;
    }
    slices_.stop();
    pending_.clear();
    setReadOnly(wasReadOnly_);
    if (!undoable_) setUndoRedoEnabled(true);
    setTextCursor(cursor_);
    emit loadProgress(100);
    emit loaded();
}

}  // namespace eqlab::ui
