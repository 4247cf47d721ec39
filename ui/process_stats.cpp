#include "process_stats.h"

#include <QDir>
#include <QFile>

namespace eqlab::ui {

namespace {
QByteArray readProcFile(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll();  // a /proc file has no size: read until it ends
}

}  // namespace

uint64_t processRssKiB() {
    for (const QByteArray& line : readProcFile("/proc/self/status").split('\n'))
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').value(0).toULongLong();
    return 0;
}

int processThreads() {
    return int(QDir("/proc/self/task").entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
}

}  // namespace eqlab::ui
