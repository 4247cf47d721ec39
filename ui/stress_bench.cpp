#include "stress_bench.h"

#include <QFile>
#include <QTemporaryDir>
#include <QThread>

#include "stress_cases.h"

namespace eqlab::ui {

namespace {
constexpr double kGoalMs = 200;  // the longest stall the GUI thread may have

double mib(uint64_t kib) {
    return double(kib) / 1024.0;
}

QString loadAverage() {
    QFile f("/proc/loadavg");
    if (!f.open(QIODevice::ReadOnly)) return "unknown";
    return QString::fromUtf8(f.readAll()).section(' ', 0, 2);
}
}  // namespace

int runStressBench(std::FILE* out, const char* only) {
    QTemporaryDir work;
    if (!work.isValid()) {
        std::fprintf(stderr, "eqlab: --stress-bench: no temporary folder\n");
        return 1;
    }
    const QStringList wanted = only ? QString(only).split(',', Qt::SkipEmptyParts) : stressCaseNames();
    std::fprintf(out, "GUI stress benchmark: %d cores, load average %s at the start\n\n", QThread::idealThreadCount(),
                 qPrintable(loadAverage()));
    std::fprintf(out,
                 "| case | held | longest stall (ms) | threads before / after | job threads left | RSS before / peak / "
                 "after (MiB) | what happened |\n|---|---|---:|---|---:|---|---|\n");
    std::fflush(out);
    bool allHeld = true;
    int over = 0;
    for (const QString& name : wanted) {
        const StressReport r = runStressCase(name, work.path());
        allHeld = allHeld && r.held && r.jobThreadsAfter == 0 && r.liveRunsAfter == 0;
        if (r.longestStallMs > kGoalMs) ++over;
        std::fprintf(out, "| %s | %s | %.0f | %d / %d | %d | %.0f / %.0f / %.0f | %s |\n", qPrintable(r.name),
                     r.held ? "yes" : "NO", r.longestStallMs, r.threadsBefore, r.threadsAfter, r.jobThreadsAfter,
                     mib(r.rssBeforeKiB), mib(r.peakRssKiB), mib(r.rssAfterKiB), qPrintable(r.outcome));
        std::fflush(out);
    }
    std::fprintf(out, "\n%d of %d cases stalled the GUI thread over %.0f ms; load average %s at the end\n", over,
                 int(wanted.size()), kGoalMs, qPrintable(loadAverage()));
    return allHeld ? 0 : 1;
}

}  // namespace eqlab::ui
