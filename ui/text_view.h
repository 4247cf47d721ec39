// The analysed text, drawn byte-exactly: Equal-Info windows (or chunks,
// DEFLATE blocks) as alternating background spans with visible boundaries,
// or every character coloured by its surprisal under the model. Paints only
// the visible lines, so megabytes stay smooth. Hover explains a window and a
// byte; dragging selects bytes (the token strip shows the tokens covering them).
#pragma once

#include <QAbstractScrollArea>
#include <vector>

#include "trace_model.h"

namespace eqlab::ui {

class TextTraceView : public QAbstractScrollArea {
    Q_OBJECT
public:
    enum class Colouring { Windows, Surprisal };
    explicit TextTraceView(TraceModel* model, QWidget* parent = nullptr);

    void setColouring(Colouring c);
    Colouring colouring() const { return colouring_; }
    // For tests: the byte under a viewport point, or -1; the point of a byte.
    int64_t byteAt(QPoint viewportPos) const;
    QPoint pointOfByte(uint64_t b) const;
    int lineCount() const { return int(lines_.size()); }

protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void mouseReleaseEvent(QMouseEvent*) override;
    bool viewportEvent(QEvent*) override;
    void changeEvent(QEvent*) override;

private:
    void relayout();
    void scrollTo(uint64_t b0, uint64_t b1);
    QString tooltipAt(QPoint pos) const;
    int columnOfCell(size_t cell) const;

    TraceModel* model_;
    Colouring colouring_ = Colouring::Windows;
    std::vector<uint32_t> lines_;  // first cell of each visual line
    int charWidth_ = 8, lineHeight_ = 18, columns_ = 80;
    int64_t dragAnchor_ = -1;
};

}  // namespace eqlab::ui
