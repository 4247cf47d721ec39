#include "nn/gradient_buckets.h"

#include <torch/csrc/autograd/utils/lambda_post_hook.h>

#include <algorithm>
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
    seen_.assign(params_.size(), false);
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
    if (seen_[param] || error_) {  // a second pass before finish() (gradient accumulation): finish() starts over
        again_ = true;
        return;
    }
    seen_[param] = true;
    --buckets_[bucketOf_[param]].pending;
    // In bucket order, so that every rank starts the same collectives in the same order.
    try {
        while (!again_ && next_ < buckets_.size() && buckets_[next_].pending == 0) start(buckets_[next_++]);
    } catch (...) {
        error_ = std::current_exception();  // out of finish(), not through the autograd engine
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
    lastStartedDuringBackward_ = int(next_);  // only the hooks start buckets before this
    const auto reset = [this] {
        for (Bucket& b : buckets_) {
            b.pending = int(b.params.size());
            b.work.reset();
            b.flat = torch::Tensor();
        }
        std::fill(seen_.begin(), seen_.end(), false);
        next_ = 0;
        again_ = false;
        error_ = nullptr;
    };
    try {
        if (error_) std::rethrow_exception(error_);
        if (again_) {
            // Buckets started before a parameter's gradient grew again hold part of it: wait for them
            // (every rank started the same), then sum every bucket anew.
            for (size_t i = 0; i < next_; ++i) buckets_[i].work->wait();
            next_ = 0;
        }
        while (next_ < buckets_.size()) start(buckets_[next_++]);
        for (Bucket& b : buckets_) b.work->wait();
    } catch (...) {
        reset();  // a collective still in flight holds its own reference to its bucket
        throw;
    }
    for (Bucket& b : buckets_) {
        int64_t at = 0;
        for (size_t k : b.params) {
            torch::Tensor& p = params_[k];
            const int64_t n = p.numel();
            const torch::Tensor sum = b.flat.narrow(0, at, n).view_as(p);
            // A parameter this rank's pass did not reach takes the others' sum (zeros when none reached
            // it), so that every rank applies the same gradients.
            if (p.grad().defined())
                p.mutable_grad().copy_(sum);
            else
                p.mutable_grad() = sum.clone();
            at += n;
        }
    }
    reset();
}

}  // namespace eqlab::nn
