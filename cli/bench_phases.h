// eqlab-cli bench-phases: times every phase of a real analysis (model load,
// each encode pass, the round-trip check) for each method, as progress bars
// weight them (methods/work_costs.h takes its constants from this).
#pragma once

#include <QStringList>

namespace eqlab::cli {

// `eqlab-cli bench-phases [--kib N] [--threads N] [--repeats N] [--json]`; args[0] is the program name.
int cmdBenchPhases(const QStringList& args);

}  // namespace eqlab::cli
