#include "progress_text.h"

#include <algorithm>
#include <cmath>

namespace eqlab::ui {

QString durationText(double seconds) {
    if (seconds < 10) return QString::number(seconds, 'f', 1) + " s";
    if (seconds < 90) return QString::number(std::lround(seconds)) + " s";
    if (seconds < 5400) return QString::number(std::lround(seconds / 60)) + " min";
    return QString::number(seconds / 3600, 'f', 1) + " h";
}

QString progressText(const QString& phase, double fraction, double secondsLeft) {
    const int percent = int(100 * std::clamp(fraction, 0.0, 1.0));
    if (phase == "done" || percent >= 100) return phase.isEmpty() ? QString("done") : phase;
    QString s = (phase.isEmpty() ? QString() : phase + " · ") + QString::number(percent) + "%";
    if (secondsLeft > 0) s += " · about " + durationText(secondsLeft) + " left";
    return s;
}

}  // namespace eqlab::ui
