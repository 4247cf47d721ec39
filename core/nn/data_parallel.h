// Data parallelism for eqlab's trainers over a c10d process group
// (process_group.h): parameters broadcast from rank 0 at the start, gradients
// summed over the ranks in buckets that start while the backward pass runs
// (gradient_buckets.h, as PyTorch's DistributedDataParallel does), a check that every rank holds
// the same parameters bit for bit. Without a group (one process) every call
// does nothing, so a trainer calls them unconditionally. Includes torch: for
// the trainers' translation units only.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <vector>

#include "nn/gradient_buckets.h"
#include "nn/process_group.h"

namespace eqlab::nn {

class DataParallel {
public:
    explicit DataParallel(std::shared_ptr<ProcessGroup> group) : group_(std::move(group)) {}
    ~DataParallel();
    DataParallel(const DataParallel&) = delete;
    DataParallel& operator=(const DataParallel&) = delete;

    bool distributed() const { return group_ != nullptr; }
    int rank() const { return group_ ? group_->rank() : 0; }
    int size() const { return group_ ? group_->size() : 1; }
    bool writes() const { return rank() == 0; }  // rank 0 writes logs, run records and checkpoints
    ProcessGroup* group() const { return group_.get(); }

    // Rank 0's values into every rank's parameters.
    void broadcastParameters(const std::vector<torch::Tensor>& params);
    // After each backward pass: every parameter's gradient becomes the sum over
    // the ranks (the same bits on each). The first call hooks the parameters
    // (always the same ones), so that later passes start the buckets as their
    // gradients are ready; this call then waits for them.
    void sumGradients(const std::vector<torch::Tensor>& params);
    // Throws std::runtime_error naming the first rank whose parameters differ from rank 0's.
    void checkSameParameters(const std::vector<torch::Tensor>& params, int64_t step);

    std::vector<double> sum(const std::vector<double>& v) { return group_ ? group_->sum(v) : v; }
    bool anyRank(bool v) { return group_ ? group_->anyRank(v) : v; }
    void barrier() {
        if (group_) group_->barrier();
    }

    // A 64-bit hash of the parameters' bytes (FNV-1a), in order.
    static uint64_t parameterHash(const std::vector<torch::Tensor>& params);

private:
    std::shared_ptr<ProcessGroup> group_;
    std::unique_ptr<GradientBuckets> buckets_;
    size_t bucketedParams_ = 0;
};

}  // namespace eqlab::nn
