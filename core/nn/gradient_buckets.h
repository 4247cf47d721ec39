// Gradients summed over the ranks while the backward pass still runs, as
// PyTorch's DistributedDataParallel does: the parameters are cut into buckets
// in reverse order (the order the backward pass finishes them), the first of
// 1 MB and the rest of 25 MB; a hook on each parameter's gradient accumulator
// counts what its bucket still waits for, and a complete bucket is flattened
// and its all-reduce started at once, in bucket order on every rank (Gloo
// matches collectives by order). finish() starts what is left, waits for
// all, and writes the sums back. The sums are those of one all-reduce of the
// same values: the same bits on every rank. Includes torch: for the trainers'
// translation units only.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <exception>
#include <memory>
#include <vector>

namespace c10d {
class Work;
}

namespace eqlab::nn {

class ProcessGroup;

class GradientBuckets {
public:
    // Hooks every parameter that requires a gradient; they stay until destruction.
    GradientBuckets(ProcessGroup& group, const std::vector<torch::Tensor>& params);
    ~GradientBuckets();
    GradientBuckets(const GradientBuckets&) = delete;
    GradientBuckets& operator=(const GradientBuckets&) = delete;

    // After a backward pass: every gradient becomes its sum over the ranks (a
    // parameter the pass did not reach counts as zero here and is given the
    // sum, so every rank holds the same gradients). Several passes before one
    // finish() (gradient accumulation) are summed once more, whole. Throws
    // std::runtime_error (a rank died, the timeout); nothing then waits.
    void finish();

    // Buckets this pass has started so far, and how many the last pass had
    // started before finish() (a test's window on the overlap).
    int started() const { return int(next_); }
    int startedDuringBackward() const { return lastStartedDuringBackward_; }
    int buckets() const { return int(buckets_.size()); }

    static constexpr int64_t kFirstBucketBytes = 1 << 20;  // DDP's first_bucket_bytes_cap: start early
    static constexpr int64_t kBucketBytes = 25 << 20;      // DDP's bucket_cap_mb

private:
    struct Bucket {
        std::vector<size_t> params;  // indices into params_, in bucket order
        int pending = 0;             // gradients this backward pass has not produced yet
        torch::Tensor flat;
        c10::intrusive_ptr<c10d::Work> work;
    };
    void ready(size_t param);
    void start(Bucket& b);

    ProcessGroup& group_;
    std::vector<torch::Tensor> params_;
    std::vector<size_t> bucketOf_;
    std::vector<bool> seen_;    // the parameters this pass has produced
    bool again_ = false;        // one of them was produced twice
    std::exception_ptr error_;  // thrown in a hook, rethrown by finish()
    std::vector<Bucket> buckets_;
    size_t next_ = 0;  // the next bucket to start: all before it have started
    int lastStartedDuringBackward_ = 0;
    std::vector<std::pair<std::shared_ptr<torch::autograd::Node>, uintptr_t>> hooks_;
};

}  // namespace eqlab::nn
