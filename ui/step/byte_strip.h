// The walked text as a strip of characters, wrapped, with the current byte
// boxed: the bytes already coded in full ink, those to come faint (hidden
// while decoding: the decoder has not found them yet). Each window (or
// chunk) has its own background and a bar where it begins; at a Close the
// byte that did not fit is outlined. A click asks to jump to that byte.
#pragma once

#include <vector>

#include "step/step_widget.h"
#include "trace_model.h"

namespace eqlab::ui {

class ByteStrip : public StepWidget {
    Q_OBJECT
public:
    static constexpr int kLines = 3;  // lines of text shown, the current one among them

    explicit ByteStrip(QWidget* parent = nullptr);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void byteClicked(uint64_t byte);

protected:
    void walkChanged() override;
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void changeEvent(QEvent*) override;

private:
    struct Placed {
        Cell cell;
        QRectF rect;  // in unscrolled coordinates: line l at y = l * line height
        int line = 0;
    };
    void relayout();
    int64_t placedOfByte(uint64_t b) const;
    int firstLine() const;  // the first line shown for the current frame
    double lineHeight() const;

    std::vector<Placed> placed_;
    int linesShown_ = 1;  // the text's lines, at most kLines: the strip's height, fixed for a walk
    std::vector<uint32_t> segmentOfByte_;
};

}  // namespace eqlab::ui
