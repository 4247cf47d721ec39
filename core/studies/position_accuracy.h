// Study "position-accuracy": M2's next-token accuracy by token position
// inside an Equal-Info window over training, read from a run's log.csv (the
// Learnability view trains the runs), beside the paper's ordering.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace eqlab {

struct PositionAccuracyPoint {
    int64_t step = 0;
    std::vector<double> accuracyByPosition;  // [pos]: token pos (0-based) inside a window, in [0, 1]
};

struct PositionAccuracy {
    std::string runDir;
    std::string method;                         // the run's method label (run.json); "" before its first checkpoint
    std::vector<PositionAccuracyPoint> points;  // every logged evaluation, in step order
    // Positions ordered by the step at which each first reached half its
    // final accuracy (earliest first; 0-based; unlearned positions left
    // out): eqlab's measured learning order.
    std::vector<int> learnedOrder;
    std::string paperNote;  // what the paper reports (paper_figures.h)
};

// Positions ordered by the first step at which each reached half its
// accuracy in the last point (ties: lower position first); a position whose
// last accuracy is 0 was not learned and is left out. `points` in step
// order; positions are the last point's (a point with fewer is skipped for those it lacks).
std::vector<int> learnedOrder(const std::vector<PositionAccuracyPoint>& points);

// Reads RUN_DIR/log.csv (and RUN_DIR/run.json for the method, when there).
// Throws IoError (no folder, no log.csv) or FormatError (a damaged log or
// run.json, no evaluation yet, no per-position accuracy: not an eqinfo-ac
// run), each naming the path.
PositionAccuracy readPositionAccuracy(const std::string& runDir);

}  // namespace eqlab
