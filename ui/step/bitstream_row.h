// The bitstream as it grows: every bit written up to this frame, wrapped
// into lines of whole tokens (of whole windows where they fit), the last
// lines shown. Above the bits, the k-bit tokens completed so far with their
// values, the one still filling outlined; this step's bits highlighted;
// pending (underflow) bits as "?" until they resolve; termination bits and
// zero padding styled apart from the bits that carry the text; a bar where
// each window (or chunk) begins.
#pragma once

#include <vector>

#include "step/step_widget.h"

namespace eqlab::ui {

class BitstreamRow : public StepWidget {
    Q_OBJECT
public:
    static constexpr int kLines = 3;  // lines of bits shown, the newest last

    explicit BitstreamRow(QWidget* parent = nullptr);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    // The bits shown as written, '0'/'1' (pending ones excluded): the walk's
    // bitstream up to the end of this frame's bits and padding.
    QString text() const;
    // How many complete tokens are shown.
    size_t tokensShown() const;

protected:
    void walkChanged() override;
    void paintEvent(QPaintEvent*) override;

private:
    enum class BitKind : uint8_t { Text, Termination, Padding };
    uint64_t shownBits() const;   // bits written up to the end of this frame
    std::vector<BitKind> kinds_;  // per bit of the walk's bitstream
    std::vector<uint32_t> tokens_;
};

}  // namespace eqlab::ui
