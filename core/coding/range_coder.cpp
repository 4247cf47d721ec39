#include "coding/range_coder.h"

#include "base/errors.h"

namespace eqlab {

namespace {

// Where a CDF enters the coder: the sanitizer build (EQLAB_CHECK_CDF)
// validates it (std::logic_error), other builds trust the quantiser.
inline void checkEntering([[maybe_unused]] const Cdf& cdf) {
#ifdef EQLAB_CHECK_CDF
    cdf.validate();
#endif
}

// Writes each decided bit run, the pending bits after its first bit.
struct WriterSink {
    BitWriter& out;
    void bits(uint32_t top, int n, uint64_t pending) {
        const unsigned first = (top >> (n - 1)) & 1u;
        out.put(first);
        out.putRepeated(first ^ 1u, pending);
        out.putBits(top, n - 1);
    }
    void underflow() {}
};

// Counts only; used to ask "would this symbol still fit?".
struct NullSink {
    void bits(uint32_t, int, uint64_t) {}
    void underflow() {}
};

// Shifts the decoder's code register in lockstep with the interval.
struct DecoderSink {
    uint64_t& code;
    BitReader& in;
    void bits(uint32_t, int n, uint64_t) {
        code = n == kStateBits ? in.take(n) : (((code << n) & kStateMask) | in.take(n));
    }
    void underflow() { code = (code & kHalf) | ((code << 1) & (kStateMask >> 1)) | in.next(); }
};

}  // namespace

void RangeEncoder::encode(const Cdf& cdf, int s) {
    checkEntering(cdf);
    if (fresh_) {
        streamStart_ = out_->size();
        fresh_ = false;
    }
    WriterSink sink{*out_};
    state_.code(cdf.cum[s], cdf.cum[s + 1], cdf.precision, sink);
}

CoderState stateAfter(const CoderState& state, const Cdf& cdf, int s) {
    checkEntering(cdf);
    CoderState probe = state;
    probe.code(cdf.cum[s], cdf.cum[s + 1], cdf.precision, NullSink{});
    return probe;
}

void RangeEncoder::finish() {
    // See CoderState::terminatedBits(): the value "emitted bits, then 1, then
    // zeros" lies in [low, high] whenever low is not exactly zero.
    if (fresh_) return;  // an empty stream needs no bits
    if (!(state_.low == 0 && state_.pending == 0)) {
        out_->put(1);
    } else {
        uint64_t end = out_->size();
        while (end > streamStart_ && out_->at(end - 1) == 0) --end;
        out_->truncate(end);
    }
    state_ = CoderState{};
    fresh_ = true;
}

RangeDecoder::RangeDecoder(const uint8_t* data, uint64_t begin, uint64_t end) : begin_(begin), in_(data, begin, end) {
    code_ = in_.take(kStateBits);
}

int RangeDecoder::decode(const Cdf& cdf) {
    checkEntering(cdf);
    const uint64_t range = state_.high - state_.low + 1;
    const uint64_t offset = code_ - state_.low;
    const uint64_t value = (((offset + 1) << cdf.precision) - 1) / range;
    if (code_ < state_.low || code_ > state_.high || value >= cdf.total())
        throw FormatError("corrupted bitstream: the range decoder left its interval");
    // Largest s with cum[s] <= value.
    int lo = 0, hi = kAlphabet;  // cum[lo] <= value < cum[hi]
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (cdf.cum[mid] <= value)
            lo = mid;
        else
            hi = mid;
    }
    DecoderSink sink{code_, in_};
    state_.code(cdf.cum[lo], cdf.cum[lo + 1], cdf.precision, sink);
    return lo;
}

}  // namespace eqlab
