#include "nn/data_parallel.h"

#include <string>
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>

#include "base/errors.h"

namespace eqlab::nn {

namespace {

std::string failure(const ProcessGroup& g, const char* what, const std::exception& e) {
    const auto* c = dynamic_cast<const c10::Error*>(&e);
    return "rank " + std::to_string(g.rank()) + ": " + what + " failed (a rank died, or waited longer than " +
           std::to_string(int(g.timeoutSeconds())) + " s): " + (c ? c->what_without_backtrace() : e.what());
}

}  // namespace

void DataParallel::broadcastParameters(const std::vector<torch::Tensor>& params) {
    if (!group_) return;
    torch::NoGradGuard guard;
    try {
        for (const torch::Tensor& p : params) {
            std::vector<at::Tensor> t = {p.data()};
            group_->backend().broadcast(t)->wait();
        }
    } catch (const std::exception& e) {
        throw Error(failure(*group_, "broadcasting rank 0's parameters", e));
    }
}

void DataParallel::sumGradients(const std::vector<torch::Tensor>& params) {
    if (!group_) return;
    // Hooked on the first call: from the second backward pass on, buckets start while it runs.
    if (!buckets_) {
        buckets_ = std::make_unique<GradientBuckets>(*group_, params);
        bucketedParams_ = params.size();
    } else if (params.size() != bucketedParams_) {
        throw std::logic_error("DataParallel::sumGradients: another parameter list than the first call's");
    }
    try {
        buckets_->finish();
    } catch (const std::exception& e) {
        throw Error(failure(*group_, "summing the gradients", e));
    }
}

DataParallel::~DataParallel() = default;

uint64_t DataParallel::parameterHash(const std::vector<torch::Tensor>& params) {
    uint64_t h = 1469598103934665603ull;
    for (const torch::Tensor& p : params) {
        const torch::Tensor c = p.detach().contiguous();
        const auto* b = static_cast<const uint8_t*>(c.data_ptr());
        const size_t n = size_t(c.numel()) * c.element_size();
        for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
    }
    return h;
}

void DataParallel::checkSameParameters(const std::vector<torch::Tensor>& params, int64_t step) {
    if (!group_) return;
    const uint64_t mine = parameterHash(params);
    std::vector<at::Tensor> in = {torch::tensor({int64_t(mine)}, torch::kLong)};
    std::vector<std::vector<at::Tensor>> out(1);
    for (int r = 0; r < size(); ++r) out[0].push_back(torch::empty({1}, torch::kLong));
    try {
        group_->backend().allgather(out, in)->wait();
    } catch (const std::exception& e) {
        throw Error(failure(*group_, "comparing the parameters", e));
    }
    const int64_t first = out[0][0].item<int64_t>();
    for (int r = 1; r < size(); ++r)
        if (out[0][size_t(r)].item<int64_t>() != first)
            throw Error("after step " + std::to_string(step) + " rank " + std::to_string(r) +
                        "'s parameters differ from rank 0's (the data-parallel step lost its sync)");
}

}  // namespace eqlab::nn
