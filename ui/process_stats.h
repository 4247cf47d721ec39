// What this process holds, from Linux's /proc/self: resident memory and
// threads (all of them, or those of a name, as QThread sets it from its
// objectName). For the stress benchmark and tests: no thread may outlive the
// work it ran, and memory follows what is shown. Elsewhere 0 / empty.
#pragma once

#include <QString>
#include <cstdint>

namespace eqlab::ui {

uint64_t processRssKiB();  // VmRSS
int processThreads();      // every thread of the process, the GUI thread included
// Threads whose name (/proc/self/task/N/comm, 15 characters at most) is `name`.
int processThreadsNamed(const QString& name);

}  // namespace eqlab::ui
