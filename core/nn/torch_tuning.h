// libtorch's threads and memory, tuned for eqlab's trainers, and the
// machine's matrix-product speed (the limit M1's runtime is measured against).
// No torch in this header.
#pragma once

namespace eqlab::nn {

// libtorch's float matrix product speed, GFLOP/s, on an n x n product at
// `threads` threads (best of a few runs): the machine's limit for M1.
double matmulGflops(int threads, int n = 1024);

// libtorch's intra-op threads and, when libtorch runs on OpenBLAS, OpenBLAS's
// own thread pool too: libtorch sets only OpenMP's, and an OpenBLAS pool of
// every core beside it oversubscribes the machine (measured: M2 training 1.5x
// slower on 2 cores). `threads` is clamped to the machine's cores.
void setTorchThreads(int threads);

// Memory tuned for training, for the rest of the process: glibc's tensors of
// up to 32 MB come from the heap instead of fresh mmaps, and freed memory is
// kept rather than returned at once (without it a training step spent ~15% of
// its time in page faults (perf); M2: 20.2k -> 24.4k tokens/s on one thread);
// and libtorch's CPU allocator keeps freed blocks of 1 MB and more (up to
// 2 GB in all) for the next tensor they fit, since glibc maps anything over
// 32 MB afresh each time (M1 at seq 1,024: 128 MB attention tensors, a third
// of the CPU time in the kernel). Idempotent.
void tuneAllocatorForTraining();

// Returns the blocks the training allocator holds for reuse to the system
// (tensors still alive are untouched). Call when a training run ends.
void releaseCachedTrainingMemory();

// Hands the training allocator's cached blocks back when a run ends, however
// it ends: every entry point that calls tuneAllocatorForTraining() holds one.
struct CachedMemoryReleaser {
    CachedMemoryReleaser() = default;
    CachedMemoryReleaser(const CachedMemoryReleaser&) = delete;
    CachedMemoryReleaser& operator=(const CachedMemoryReleaser&) = delete;
    ~CachedMemoryReleaser() { releaseCachedTrainingMemory(); }
};

}  // namespace eqlab::nn
