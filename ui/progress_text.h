// How eqlab's progress bars word where work stands: the phase, the percent
// and the time left, e.g. "coding · 42% · about 3 s left".
#pragma once

#include <QString>

namespace eqlab::ui {

// "0.4 s", "8.5 s", "42 s", "3 min", "1.2 h".
QString durationText(double seconds);

// "PHASE · NN% · about T left" (the time left only when known, > 0, and
// the work not done); "done" alone at the end. fraction: 0..1.
QString progressText(const QString& phase, double fraction, double secondsLeft);

}  // namespace eqlab::ui
