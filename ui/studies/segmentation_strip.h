// A text cut several ways, drawn as aligned rows: on top the text's bytes as
// a strip of cells (one per byte), under it M1's next-byte entropy with the
// patch threshold, then one row per segmentation with its segments in
// alternating shades and its boundaries drawn. Scrolls horizontally; paints
// only the visible bytes; hovering a segment names it.
#pragma once

#include <QAbstractScrollArea>
#include <memory>
#include <vector>

#include "studies/segmentations.h"

namespace eqlab::ui {

class SegmentationStrip : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit SegmentationStrip(QWidget* parent = nullptr);

    // The bytes drawn: the first `size` bytes of `text`.
    void setText(std::shared_ptr<const std::vector<uint8_t>> text, uint64_t size);
    // The entropy track (bits per byte) and its threshold line (negative: none).
    void setEntropy(std::vector<float> entropy, double threshold);
    // The rows; the strip takes the height that shows them all.
    void setRows(std::vector<SegmentationRow> rows);
    const std::vector<SegmentationRow>& rows() const { return rows_; }
    // For tests: the byte under a viewport point, or -1.
    int64_t byteAt(QPoint p) const;

protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void changeEvent(QEvent*) override;  // a font change (the presenter zoom) resizes the cells
    bool viewportEvent(QEvent*) override;
    QSize sizeHint() const override;

private:
    void relayout();  // cell sizes from the font, scroll ranges from them
    QString tooltipAt(QPoint p) const;
    int rowTop(int row) const;  // y of segmentation row `row`

    std::shared_ptr<const std::vector<uint8_t>> text_;
    uint64_t size_ = 0;
    std::vector<float> entropy_;
    double threshold_ = -1;
    std::vector<SegmentationRow> rows_;
    int cellWidth_ = 9, rowHeight_ = 20, labelWidth_ = 210;
};

}  // namespace eqlab::ui
