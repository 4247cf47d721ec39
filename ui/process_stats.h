// What this process holds, from Linux's /proc/self: resident memory and
// threads. For the stress benchmark and tests: threads must not grow from one
// run of a case to the next, and memory follows what is shown. Elsewhere 0.
#pragma once

#include <cstdint>

namespace eqlab::ui {

uint64_t processRssKiB();  // VmRSS
int processThreads();      // every thread of the process, the GUI thread included

}  // namespace eqlab::ui
