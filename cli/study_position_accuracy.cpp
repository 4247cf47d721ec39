// eqlab-cli study position-accuracy: M2's accuracy by token position inside
// an Equal-Info window over a run's training, read from its log.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>

#include "cli_common.h"
#include "studies/position_accuracy.h"
#include "study_commands.h"

namespace eqlab::cli {

int studyPositionAccuracy(const QStringList& args) {
    QCommandLineParser p;
    QCommandLineOption json{"json", "Print one JSON document."};
    p.addOption(json);
    const QString usage =
        "eqlab-cli study position-accuracy [--json] RUN_DIR\n"
        "M2's next-token accuracy by token position inside an Equal-Info window at every logged evaluation "
        "of a run (a folder train-m2 or the Learnability view wrote), and the order the positions were "
        "learned in (the step each first reached half its final accuracy), beside the paper's.";
    if (!parseStudy(p, args, usage)) return 0;
    if (p.positionalArguments().isEmpty())
        throw InvalidArgument("expected a run folder (RUN_DIR)\nusage: " + usage.toStdString());
    const PositionAccuracy a = readPositionAccuracy(p.positionalArguments()[0].toStdString());

    if (p.isSet(json)) {
        QJsonObject o;
        o["run"] = QString::fromStdString(a.runDir);
        o["method"] = QString::fromStdString(a.method);
        QJsonArray points;
        for (const PositionAccuracyPoint& pt : a.points) {
            QJsonObject row;
            row["step"] = double(pt.step);
            QJsonArray acc;
            for (double v : pt.accuracyByPosition) acc.append(v);
            row["accuracy_by_position"] = acc;
            points.append(row);
        }
        o["points"] = points;
        QJsonArray order;
        for (int pos : a.learnedOrder) order.append(pos);
        o["learned_order"] = order;
        o["paper_note"] = QString::fromStdString(a.paperNote);
        printJson(QJsonDocument(o));
        return 0;
    }
    std::printf("run %s (%s): accuracy by token position in a window\n", a.runDir.c_str(),
                a.method.empty() ? "method not recorded yet" : a.method.c_str());
    std::printf("%10s", "step");
    const size_t positions = a.points.front().accuracyByPosition.size();
    // Tokens numbered from 1, as the paper and the Learnability view do (JSON positions count from 0).
    for (size_t pos = 0; pos < positions; ++pos) std::printf(" %7s", ("token " + std::to_string(pos + 1)).c_str());
    std::printf("\n");
    for (const PositionAccuracyPoint& pt : a.points) {
        std::printf("%10lld", (long long)pt.step);
        for (double v : pt.accuracyByPosition) std::printf(" %7.3f", v);
        std::printf("\n");
    }
    std::string order;
    for (int pos : a.learnedOrder) order += (order.empty() ? "" : ", ") + std::to_string(pos + 1);
    std::printf("learned in the order (the first step at half the final accuracy): tokens %s\n%s\n", order.c_str(),
                a.paperNote.c_str());
    return 0;
}

}  // namespace eqlab::cli
