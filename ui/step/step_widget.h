// What every drawing of the Step tab shares: the walk it draws and the frame
// shown. Stepping only sets the frame and repaints (the walk is computed
// once, on a background job). Drawings size their text from font(), so they
// follow the application's zoom.
#pragma once

#include <QFont>
#include <QWidget>
#include <memory>

#include "analysis/step_through.h"

namespace eqlab::ui {

// `c` laid over the theme's background at `strength` (0: the background, 1: c): a fill that text stays readable on.
QColor tint(const QColor& c, double strength);

class StepWidget : public QWidget {
    Q_OBJECT
public:
    explicit StepWidget(QWidget* parent = nullptr) : QWidget(parent) {}

    // Shows frame `frame` (< walk->frames.size()) of `walk`; a null walk shows nothing.
    void setFrame(std::shared_ptr<const StepThrough> walk, size_t frame);
    const StepThrough* walk() const { return walk_.get(); }
    // The frame shown, or null when there is none.
    const StepFrame* frame() const;
    size_t frameIndex() const { return frame_; }

protected:
    // Called when the walk changes (before the repaint), for per-walk tables.
    virtual void walkChanged() {}
    // font() scaled by `factor` (bold if asked), and the fixed-pitch font at the same size.
    QFont scaledFont(double factor, bool bold = false) const;
    QFont monoFont(double factor = 1.0, bool bold = false) const;

private:
    std::shared_ptr<const StepThrough> walk_;
    size_t frame_ = 0;
};

}  // namespace eqlab::ui
