// Tokens over their bits: the upper row shows each token (decimal or hex,
// coloured by value), the lower row the bitstream, with window boundaries as
// bars and padding bits hatched. Hover a token to light up the bytes it
// covers in the text; hover a bit to see which byte was being coded when it
// was emitted. A token that cuts a UTF-8 character in two carries a red corner.
// Click a token to select it (and its window); the hover lets go when the
// mouse leaves, the selection stays.
#pragma once

#include <QAbstractScrollArea>

#include "trace_model.h"

namespace eqlab::ui {

class TokenStrip : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit TokenStrip(TraceModel* model, QWidget* parent = nullptr);

    void setHex(bool hex);
    bool hex() const { return hex_; }
    // For tests: the token under a viewport point (-1: none), and the centre of token i.
    int64_t tokenAt(QPoint viewportPos) const;
    QPoint centreOfToken(size_t i) const;
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void changeEvent(QEvent*) override;  // a font change (the presenter zoom) rescales the strip
    void mouseMoveEvent(QMouseEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void leaveEvent(QEvent*) override;
    bool viewportEvent(QEvent*) override;

private:
    void relayout();
    void rescale();  // the layout at the presenter zoom
    void scrollToBits(uint64_t t0, uint64_t t1);
    // Horizontal pixel extent of token i (content coordinates).
    std::pair<int64_t, int64_t> tokenExtent(size_t i) const;
    int64_t bitAt(QPoint viewportPos) const;
    QString tooltipAt(QPoint pos) const;

    TraceModel* model_;
    bool hex_ = false;
    // Rows' tops and heights and the whole strip's height (px), at the zoom.
    struct Geometry {
        int tokenTop, tokenHeight, bitTop, bitHeight, height;
    } g_{};
    int bitWidth_ = 7;     // pixels per bit
    int pieceWidth_ = 56;  // pixels per token when tokens are pieces (no bitstream)
};

}  // namespace eqlab::ui
