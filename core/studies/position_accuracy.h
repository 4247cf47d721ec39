// Study "position-accuracy": M2's next-token accuracy by token position
// inside an Equal-Info window over training, read from a run's log.csv (the
// Learnability view trains the runs), beside the paper's ordering.
#pragma once

#include <string>
#include <vector>

namespace eqlab {

struct PositionAccuracyPoint {
    int64_t step = 0;
    std::vector<double> accuracyByPosition;  // one per token position inside a window
};

struct PositionAccuracy {
    std::string runDir;
    std::string method;                         // the run's method label
    std::vector<PositionAccuracyPoint> points;  // every logged evaluation, in step order
    // Positions ordered by the step at which each first reached half its
    // final accuracy (earliest first): eqlab's measured learning order.
    std::vector<int> learnedOrder;
    std::string paperNote;  // what the paper reports (paper_figures.h)
};

// Throws IoError / FormatError (no run there, no log, no per-position
// accuracy: not an eqinfo-ac run).
PositionAccuracy readPositionAccuracy(const std::string& runDir);

}  // namespace eqlab
