#include "m2/run_label.h"

#include <QDateTime>
#include <QFileInfo>
#include <QRegularExpression>
#include <map>

namespace eqlab::m2 {

namespace {

constexpr char kStartedFormat[] = "yyyy-MM-ddTHH:mm:ss";  // RunRecord::started
constexpr char kFolderTimeFormat[] = "yyyyMMdd-HHmmss";   // Experiment::newRunDir's folder names
constexpr char kLabelMinute[] = "MM-dd HH:mm";            // a label's time
constexpr char kLabelSecond[] = "MM-dd HH:mm:ss";         // ... when two runs began in the same minute

QDateTime parseStarted(const std::string& s) {
    return QDateTime::fromString(QString::fromStdString(s), kStartedFormat);
}

// "sotu-train.txt" -> "sotu-train"; a name without a dot stays whole.
std::string corpusStem(const std::string& corpus) {
    const size_t dot = corpus.find_last_of('.');
    return dot == std::string::npos || dot == 0 ? corpus : corpus.substr(0, dot);
}

}  // namespace

std::string startedNow() {
    return QDateTime::currentDateTime().toString(kStartedFormat).toStdString();
}

std::string runStarted(const RunRecord& r, const std::string& runDir) {
    if (parseStarted(r.started).isValid()) return r.started;
    // <spec>-yyyyMMdd-HHmmss, or -N after it when several began in one second.
    static const QRegularExpression stamp(R"(-(\d{8}-\d{6})(?:-\d+)?$)");
    const QRegularExpressionMatch m = stamp.match(QFileInfo(QString::fromStdString(runDir)).fileName());
    if (!m.hasMatch()) return {};
    const QDateTime t = QDateTime::fromString(m.captured(1), kFolderTimeFormat);
    return t.isValid() ? t.toString(kStartedFormat).toStdString() : std::string();
}

RunLabelParts labelPartsOf(const RunRecord& r, const std::string& runDir) {
    return {r.name.empty() ? r.method : r.name, r.corpus, runStarted(r, runDir)};
}

std::string runLabel(const RunLabelParts& p, bool withSeconds) {
    std::string label = p.name;
    auto add = [&label](const std::string& part) {
        if (part.empty()) return;
        if (!label.empty()) label += kLabelSeparator;
        label += part;
    };
    add(corpusStem(p.corpus));
    const QDateTime t = parseStarted(p.started);
    if (t.isValid()) add(t.toString(withSeconds ? kLabelSecond : kLabelMinute).toStdString());
    return label;
}

std::vector<std::string> uniqueRunLabels(const std::vector<RunLabelParts>& runs) {
    std::map<std::string, int> minuteCount;
    for (const RunLabelParts& p : runs) ++minuteCount[runLabel(p)];
    std::vector<std::string> labels;
    labels.reserve(runs.size());
    for (const RunLabelParts& p : runs) labels.push_back(runLabel(p, /*withSeconds=*/minuteCount[runLabel(p)] > 1));
    // Runs that began in the same second (or whose time is unknown): numbered, the first left as it is.
    std::map<std::string, int> seen;
    for (std::string& l : labels) {
        const int n = ++seen[l];
        if (n > 1) l += " #" + std::to_string(n);
    }
    return labels;
}

}  // namespace eqlab::m2
