// The analysed text, drawn byte-exactly: Equal-Info windows (or chunks,
// DEFLATE blocks) as alternating background spans with visible boundaries,
// or every character coloured by its surprisal under the model. Paints only
// the visible lines, so megabytes stay smooth. Hover explains a window and a
// byte; dragging selects bytes (the token strip shows the tokens covering them).
// Wide characters (CJK, emoji) take two cells; glyphs the monospace font
// lacks come from colour emoji and CJK fonts. A stale analysis is dimmed under a banner.
#pragma once

#include <QAbstractScrollArea>
#include <QPainter>
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
    // For tests: the colour byte b's character is drawn in, and the cells' width in pixels.
    QColor inkAt(uint64_t b) const;
    int cellWidth() const { return charWidth_; }
    QString tooltipAt(QPoint viewportPos) const;  // rich text; empty where no byte is
    // What the view says while it has no text to show: "Analysing...", "(empty
    // text)", or why there is no analysis (one failed or was cancelled).
    QString placeholderText() const;

protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void mouseReleaseEvent(QMouseEvent*) override;
    bool viewportEvent(QEvent*) override;
    void changeEvent(QEvent*) override;
    void keyPressEvent(QKeyEvent*) override;  // Ctrl+Home / Ctrl+End (and Home / End): start / end

private:
    // Draws one cell's text at (x, baseline), centred in `width` pixels.
    void drawCell(QPainter& p, const Cell& cell, int x, int baseline, int width) const;
    void drawStaleBanner(QPainter& p) const;
    QColor backgroundOf(const Cell& cell) const;                     // by window or by surprisal
    QColor inkOf(const Cell& cell, const QColor& background) const;  // readable on that background
    void relayout();
    void scrollTo(uint64_t b0, uint64_t b1);
    int columnOfCell(size_t cell) const;

    TraceModel* model_;
    Colouring colouring_ = Colouring::Windows;
    std::vector<uint32_t> lines_;  // first cell of each visual line
    int charWidth_ = 8, lineHeight_ = 18, columns_ = 80;
    int64_t dragAnchor_ = -1;
};

}  // namespace eqlab::ui
