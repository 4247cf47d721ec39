#include "nn/torch_tuning.h"

#include <dlfcn.h>
#include <malloc.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>

#include "base/thread_count.h"

namespace eqlab::nn {

void setTorchThreads(int threads) {
    threads = usableThreads(threads);
    torch::set_num_threads(threads);
    using SetThreads = void (*)(int);
    if (auto* f = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) f(threads);
}

void tuneAllocatorForTraining() {
#ifdef __GLIBC__
    static const bool done = [] {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
        return true;
    }();
    (void)done;
#endif
}

double matmulGflops(int threads, int n) {
    const int before = torch::get_num_threads();
    setTorchThreads(threads);
    torch::manual_seed(0);
    auto a = torch::randn({n, n}), b = torch::randn({n, n});
    torch::mm(a, b);  // warm-up
    double best = 1e100;
    for (int rep = 0; rep < 5; ++rep) {
        const auto t0 = std::chrono::steady_clock::now();
        auto c = torch::mm(a, b);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    setTorchThreads(before);
    return 2.0 * double(n) * double(n) * double(n) / best / 1e9;
}

}  // namespace eqlab::nn
