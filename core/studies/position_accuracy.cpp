#include "studies/position_accuracy.h"

#include <QFileInfo>
#include <algorithm>
#include <stdexcept>

#include "analysis/paper_figures.h"
#include "base/errors.h"
#include "m2/m2_trainer.h"
#include "m2/run_record.h"

namespace eqlab {

namespace {

// The step at which position `pos` first reached half its final accuracy.
int64_t stepReachingHalf(const std::vector<PositionAccuracyPoint>& points, size_t pos) {
    const double half = points.back().accuracyByPosition[pos] / 2;
    for (const PositionAccuracyPoint& p : points)
        if (pos < p.accuracyByPosition.size() && p.accuracyByPosition[pos] >= half) return p.step;
    return points.back().step;  // unreachable: the last point reaches its own half
}

}  // namespace

std::vector<int> learnedOrder(const std::vector<PositionAccuracyPoint>& points) {
    if (points.empty()) return {};
    const size_t positions = points.back().accuracyByPosition.size();
    std::vector<int64_t> reached(positions);
    for (size_t pos = 0; pos < positions; ++pos) reached[pos] = stepReachingHalf(points, pos);
    // A position M2 got nothing right at by the end was not learned: it has no place in the order.
    std::vector<int> order;
    for (size_t pos = 0; pos < positions; ++pos)
        if (points.back().accuracyByPosition[pos] > 0) order.push_back(int(pos));
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return reached[size_t(a)] < reached[size_t(b)]; });
    return order;
}

PositionAccuracy readPositionAccuracy(const std::string& runDir) {
    if (!QFileInfo(QString::fromStdString(runDir)).isDir()) throw IoError(runDir + ": no such run folder");
    const std::string logPath = runDir + "/log.csv";
    if (!QFileInfo::exists(QString::fromStdString(logPath)))
        throw IoError(logPath + ": no training log (has the run evaluated yet?)");
    PositionAccuracy out;
    out.runDir = runDir;
    // run.json names the method; a run stopped before its first checkpoint has a log but none yet.
    if (QFileInfo::exists(QString::fromStdString(runDir + "/" + m2::kRunFile)))
        out.method = m2::readRunRecord(runDir).method;

    std::vector<m2::EvalPoint> log;
    try {
        log = m2::readLog(logPath);
    } catch (const std::invalid_argument&) {  // std::stod on a cell that is not a number
        throw FormatError(logPath + ": a cell is not a number");
    } catch (const std::out_of_range&) {
        throw FormatError(logPath + ": a number out of range");
    } catch (const std::runtime_error& e) {
        throw FormatError(e.what());
    }
    if (log.empty()) throw FormatError(logPath + ": no evaluation logged yet");
    std::stable_sort(log.begin(), log.end(),
                     [](const m2::EvalPoint& a, const m2::EvalPoint& b) { return a.step < b.step; });
    const size_t positions = log.front().accuracyByPosition.size();
    if (positions == 0)
        throw FormatError(logPath + ": not an eqinfo-ac run: no accuracy by position" +
                          (out.method.empty() ? std::string() : " (method " + out.method + ")"));
    for (const m2::EvalPoint& e : log) {
        if (e.accuracyByPosition.size() != positions)
            throw FormatError(logPath + ": the row of step " + std::to_string(e.step) + " has " +
                              std::to_string(e.accuracyByPosition.size()) + " positions, the first " +
                              std::to_string(positions));
        out.points.push_back({e.step, e.accuracyByPosition});
    }
    out.learnedOrder = learnedOrder(out.points);
    out.paperNote = kPaperPositionAccuracyNote;
    return out;
}

}  // namespace eqlab
