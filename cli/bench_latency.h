// eqlab-cli bench-latency: how long the window makes a user wait. Explore's
// analysis (analyze() with the GUI's options: trace, round trip, models kept
// loaded) on 1, 10 and 64 KiB, and the step-through's walk.
#pragma once

#include <QStringList>

namespace eqlab::cli {

int cmdBenchLatency(const QStringList& args);

}  // namespace eqlab::cli
