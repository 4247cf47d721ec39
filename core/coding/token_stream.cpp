#include "coding/token_stream.h"

namespace eqlab {

namespace {

constexpr size_t kPackedPieceBytes = 1 << 16;  // bytes gathered before they go to the sink

}  // namespace

void TokenPacker::add(const uint32_t* tokens, size_t n, const ByteSinkFn& sink) {
    for (size_t i = 0; i < n; ++i) {
        acc_ = (acc_ << k_) | (uint64_t(tokens[i]) & ((uint64_t(1) << k_) - 1));
        accBits_ += k_;
        while (accBits_ >= 8) {
            accBits_ -= 8;
            buf_.push_back(uint8_t(acc_ >> accBits_));
        }
        acc_ &= (uint64_t(1) << accBits_) - 1;
        if (buf_.size() >= kPackedPieceBytes) {
            sink(buf_.data(), buf_.size());
            buf_.clear();
        }
    }
    tokens_ += n;
}

void TokenPacker::finish(const ByteSinkFn& sink) {
    if (accBits_ > 0) buf_.push_back(uint8_t(acc_ << (8 - accBits_)));
    accBits_ = 0;
    acc_ = 0;
    if (!buf_.empty()) sink(buf_.data(), buf_.size());
    buf_.clear();
}

void TokenUnpacker::feed(const uint8_t* data, size_t size, std::vector<uint32_t>& out) {
    for (size_t i = 0; i < size; ++i) {
        acc_ = (acc_ << 8) | data[i];
        accBits_ += 8;
        while (accBits_ >= k_) {
            accBits_ -= k_;
            out.push_back(uint32_t(acc_ >> accBits_) & uint32_t((uint64_t(1) << k_) - 1));
        }
        acc_ &= (uint64_t(1) << accBits_) - 1;
    }
}

}  // namespace eqlab
