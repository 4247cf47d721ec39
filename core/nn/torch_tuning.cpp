#include "nn/torch_tuning.h"

#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>
#include <dlfcn.h>
#include <malloc.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "base/thread_count.h"

namespace eqlab::nn {

namespace {

constexpr size_t kCachedBlockBytes = size_t(1) << 20;  // blocks at least this large are kept for reuse when freed
constexpr size_t kMaxCachedBytes = size_t(2) << 30;    // at most this much waits in the cache; more is freed at once
constexpr size_t kMaxFitWaste = 2;                     // a cached block serves requests down to 1/this of its size

// libtorch's CPU allocator with a cache of large blocks. A training step
// allocates the same large tensors (attention scores: [B, H, T, T] floats,
// 128 MB at batch 8 x 1,024) in the same order every step; glibc serves
// anything over 32 MB with a fresh mmap, so each step faulted every page of
// them in again: ~1/3 of the CPU time was the kernel's at seq 1,024. Freed
// large blocks wait here instead and serve the next request they fit; small
// ones go to glibc's heap as before. Thread-safe (OpenMP workers allocate too).
class LargeBlockCache final : public c10::Allocator {
public:
    static LargeBlockCache& instance() {
        static LargeBlockCache* cache = new LargeBlockCache;  // never destroyed: tensors may outlive static destruction
        return *cache;
    }

    c10::DataPtr allocate(size_t n) const override {
        void* p = n >= kCachedBlockBytes ? instance().take(n) : nullptr;
        if (!p) {
            p = c10::alloc_cpu(n);
            if (n >= kCachedBlockBytes) instance().track(p, n);
        }
        return {p, p, &release, c10::Device(c10::DeviceType::CPU)};
    }
    c10::DeleterFnPtr raw_deleter() const override { return &release; }

    // Frees every block waiting in the cache (blocks in use stay tracked).
    void clear() {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& [size, p] : free_) {
            sizes_.erase(p);
            c10::free_cpu(p);
        }
        free_.clear();
        cachedBytes_ = 0;
    }

private:
    static void release(void* p) { instance().giveBack(p); }

    // A cached block of at least n bytes and at most kMaxFitWaste times n, or nullptr.
    void* take(size_t n) {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = free_.lower_bound(n);
        if (it == free_.end() || it->first / kMaxFitWaste > n) return nullptr;
        void* p = it->second;
        cachedBytes_ -= it->first;
        free_.erase(it);
        return p;
    }
    void track(void* p, size_t n) {
        std::lock_guard<std::mutex> lock(mutex_);
        sizes_[p] = n;
    }
    // A freed large block is cached; when that would pass kMaxCachedBytes,
    // the largest cached blocks make room (a validation's 512 MB tensors
    // must not crowd out the training step's 128 MB ones for the rest of the
    // run), and a block larger than the whole budget is freed.
    void giveBack(void* p) {
        std::vector<void*> evicted;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            const auto it = sizes_.find(p);
            if (it == sizes_.end() || it->second > kMaxCachedBytes) {
                if (it != sizes_.end()) sizes_.erase(it);
                evicted.push_back(p);
            } else {
                while (cachedBytes_ + it->second > kMaxCachedBytes) {
                    const auto largest = std::prev(free_.end());
                    cachedBytes_ -= largest->first;
                    sizes_.erase(largest->second);
                    evicted.push_back(largest->second);
                    free_.erase(largest);
                }
                free_.emplace(it->second, p);
                cachedBytes_ += it->second;
            }
        }
        for (void* q : evicted) c10::free_cpu(q);
    }

    std::mutex mutex_;
    std::unordered_map<void*, size_t> sizes_;  // every large block this allocator made and has not freed
    std::multimap<size_t, void*> free_;        // the cached ones, by size
    size_t cachedBytes_ = 0;
};

}  // namespace

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
    static const bool cached = [] {
        c10::SetCPUAllocator(&LargeBlockCache::instance(), /*priority=*/1);
        return true;
    }();
    (void)cached;
}

void releaseCachedTrainingMemory() {
    LargeBlockCache::instance().clear();
}

double matmulGflops(int threads, int n) {
    const int before = torch::get_num_threads();
    setTorchThreads(threads);
    torch::manual_seed(0);
    auto a = torch::randn({n, n}), b = torch::randn({n, n});
    torch::mm(a, b);  // warm-up
    // The best of at least 5 products and half a second of them: on a
    // shared VM the best of 5 (75 ms) sometimes read 40% low, and every
    // "fraction of the limit" with it high.
    constexpr int kMinReps = 5;
    constexpr double kMinSeconds = 0.5;
    double best = 1e100, total = 0.0;
    for (int rep = 0; rep < kMinReps || total < kMinSeconds; ++rep) {
        const auto t0 = std::chrono::steady_clock::now();
        auto c = torch::mm(a, b);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        best = std::min(best, s);
        total += s;
    }
    setTorchThreads(before);
    return 2.0 * double(n) * double(n) * double(n) / best / 1e9;
}

}  // namespace eqlab::nn
