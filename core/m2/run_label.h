// What a saved M2 run is called where several are shown together: the
// Learnability view's list, chart legend and read-out, and its CSV's `run`
// column. Two runs of one method must not share a name, so a label says
// what was trained, on what and when:
//
//   "eqinfo-ac[b=16,v=256] · sotu-train · 12-01 14:03"
//
// and runs that would still share one get the second, then " #2", " #3".
// The one place these labels are made. No torch.
#pragma once

#include <string>
#include <vector>

#include "m2/run_record.h"

namespace eqlab::m2 {

constexpr char kLabelSeparator[] = " · ";  // between a label's parts

// The parts a label is made of.
struct RunLabelParts {
    std::string name;     // RunRecord::name (the method label unless the run was named otherwise)
    std::string corpus;   // the corpus' file name; its extension is dropped in the label ("" = not shown)
    std::string started;  // ISO 8601 local time "yyyy-MM-ddTHH:mm:ss" ("" = unknown, not shown)
};

// The current local time as RunRecord::started has it.
std::string startedNow();

// When the run in runDir began: r.started, else the time in the folder's
// name (Experiment::newRunDir's <spec>-yyyyMMdd-HHmmss[-N], for runs written
// before run.json recorded it), else "".
std::string runStarted(const RunRecord& r, const std::string& runDir);

// The parts of a saved run's label (runStarted for its time).
RunLabelParts labelPartsOf(const RunRecord& r, const std::string& runDir);

// "NAME · CORPUS · MM-dd HH:mm" (with ":ss" when withSeconds); parts that are
// empty are left out with their separator.
std::string runLabel(const RunLabelParts& p, bool withSeconds = false);

// One label per run, in the order given, no two equal: runLabel, with the
// seconds for runs whose minute labels collide, and " #2", " #3", ... (in
// the order given) for any still equal.
std::vector<std::string> uniqueRunLabels(const std::vector<RunLabelParts>& runs);

}  // namespace eqlab::m2
