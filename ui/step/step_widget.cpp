#include "step/step_widget.h"

#include <QFontDatabase>
#include <algorithm>

#include "theme.h"

namespace eqlab::ui {

QColor tint(const QColor& c, double strength) {
    const QColor& bg = Theme::current().background;
    return QColor::fromRgbF(float(bg.redF() + (c.redF() - bg.redF()) * strength),
                            float(bg.greenF() + (c.greenF() - bg.greenF()) * strength),
                            float(bg.blueF() + (c.blueF() - bg.blueF()) * strength));
}

void StepWidget::setFrame(std::shared_ptr<const StepThrough> walk, size_t frame) {
    const bool changed = walk != walk_;
    walk_ = std::move(walk);
    frame_ = frame;
    if (changed) walkChanged();
    update();
}

const StepFrame* StepWidget::frame() const {
    return walk_ && frame_ < walk_->frames.size() ? &walk_->frames[frame_] : nullptr;
}

namespace {
// `f` resized to `factor` times `base`'s size (points, or pixels for a font set in pixels).
QFont sizedLike(QFont f, const QFont& base, double factor, bool bold) {
    if (base.pointSizeF() > 0)
        f.setPointSizeF(base.pointSizeF() * factor);
    else
        f.setPixelSize(std::max(1, int(base.pixelSize() * factor + 0.5)));
    f.setBold(bold);
    return f;
}
}  // namespace

QFont StepWidget::scaledFont(double factor, bool bold) const {
    return sizedLike(font(), font(), factor, bold);
}

QFont StepWidget::monoFont(double factor, bool bold) const {
    return sizedLike(QFontDatabase::systemFont(QFontDatabase::FixedFont), font(), factor, bold);
}

}  // namespace eqlab::ui
