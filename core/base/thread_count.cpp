#include "base/thread_count.h"

#include <algorithm>
#include <thread>

namespace eqlab {

int hardwareThreads() {
    // 0 when the standard library cannot tell: then one thread is safe.
    return std::max(1, int(std::thread::hardware_concurrency()));
}

int usableThreads(int requested, size_t work) {
    const size_t bound = std::min(size_t(hardwareThreads()), std::max<size_t>(1, work));
    return int(std::clamp<size_t>(size_t(std::max(1, requested)), 1, bound));
}

}  // namespace eqlab
