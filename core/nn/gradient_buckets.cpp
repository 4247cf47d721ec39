#include "nn/gradient_buckets.h"

#include <torch/csrc/autograd/utils/lambda_post_hook.h>

#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>

#include "nn/process_group.h"

namespace eqlab::nn {

GradientBuckets::GradientBuckets(ProcessGroup& group, const std::vector<torch::Tensor>& params) : group_(group) {
    for (const torch::Tensor& p : params)
        if (p.requires_grad()) params_.push_back(p);
    bucketOf_.resize(params_.size());
    int64_t bytes = 0, cap = kFirstBucketBytes;
    for (size_t k = params_.size(); k-- > 0;) {
        if (buckets_.empty() || bytes >= cap) {
            if (!buckets_.empty()) cap = kBucketBytes;
            buckets_.emplace_back();
            bytes = 0;
        }
        buckets_.back().params.push_back(k);
        bucketOf_[k] = buckets_.size() - 1;
        bytes += params_[k].numel() * int64_t(params_[k].element_size());
    }
    for (Bucket& b : buckets_) b.pending = int(b.params.size());
    // The accumulator is the autograd node that adds a pass's gradient into
    // .grad; its post hook runs once per pass, once .grad holds the whole of it.
    // The variable holds its accumulator weakly: keeping it here keeps the hook.
    for (size_t k = 0; k < params_.size(); ++k) {
        std::shared_ptr<torch::autograd::Node> acc = torch::autograd::impl::grad_accumulator(params_[k]);
        const uintptr_t key = acc->add_post_hook(std::make_unique<torch::autograd::utils::LambdaPostHook>(
            [this, k](const torch::autograd::variable_list& outputs, const torch::autograd::variable_list&) {
                ready(k);
                return outputs;
            }));
        hooks_.emplace_back(std::move(acc), key);
    }
}

GradientBuckets::~GradientBuckets() {
    for (auto& [acc, key] : hooks_) acc->del_post_hook(key);
}

void GradientBuckets::ready(size_t param) {
    Bucket& b = buckets_[bucketOf_[param]];
    if (b.pending > 0) --b.pending;
    // In bucket order, so that every rank starts the same collectives in the same order.
    while (next_ < buckets_.size() && buckets_[next_].pending == 0) {
        start(buckets_[next_++]);
        ++startedDuringBackward_;
    }
}

void GradientBuckets::start(Bucket& b) {
    torch::NoGradGuard guard;
    std::vector<torch::Tensor> views;
    for (size_t k : b.params) {
        const torch::Tensor& p = params_[k];
        views.push_back(p.grad().defined() ? p.grad().reshape({-1}) : torch::zeros({p.numel()}, p.options()));
    }
    b.flat = torch::cat(views);
    std::vector<at::Tensor> t = {b.flat};
    b.work = group_.backend().allreduce(t);
}

void GradientBuckets::finish() {
    torch::NoGradGuard guard;
    lastStartedDuringBackward_ = startedDuringBackward_;
    while (next_ < buckets_.size()) start(buckets_[next_++]);
    // Waited for even when one fails, so that no collective still writes into a bucket when this returns.
    std::exception_ptr failed;
    for (Bucket& b : buckets_) {
        try {
            if (b.work) b.work->wait();
        } catch (...) {
            if (!failed) failed = std::current_exception();
        }
    }
    if (!failed)
        for (Bucket& b : buckets_) {
            int64_t at = 0;
            for (size_t k : b.params) {
                torch::Tensor g = params_[k].grad();
                const int64_t n = params_[k].numel();
                if (g.defined()) g.copy_(b.flat.narrow(0, at, n).view_as(g));
                at += n;
            }
        }
    for (Bucket& b : buckets_) {
        b.pending = int(b.params.size());
        b.work.reset();
        b.flat = torch::Tensor();
    }
    next_ = 0;
    startedDuringBackward_ = 0;
    if (failed) std::rethrow_exception(failed);
}

}  // namespace eqlab::nn
