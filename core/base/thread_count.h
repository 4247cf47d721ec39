// How many threads eqlab spends on a piece of work. Threads beyond the
// machine's cores only take turns (and WorkerTeam's spinning barriers make
// them slower than fewer threads); threads beyond the independent pieces of
// work (chunks, streams, windows) have nothing to do. Every place that
// starts threads for a caller's `threads` asks usableThreads() first.
#pragma once

#include <cstddef>
#include <limits>

namespace eqlab {

// The hardware's threads (std::thread::hardware_concurrency()), at least 1.
int hardwareThreads();

// `requested` clamped to [1, min(hardwareThreads(), work)]; work >= 1 is the
// number of pieces that can run at once (0 counts as 1).
int usableThreads(int requested, size_t work = std::numeric_limits<size_t>::max());

}  // namespace eqlab
