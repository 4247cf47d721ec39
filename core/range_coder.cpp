#include "range_coder.h"

#include "errors.h"

namespace eqlab {

namespace {

// Writes each decided bit followed by the pending underflow bits, inverted.
struct WriterSink {
    BitWriter& out;
    void operator()(unsigned bit, uint64_t pending) {
        out.put(bit);
        out.putRepeated(bit ^ 1u, pending);
    }
    void shift() {}
    void underflow() {}
};

// Counts only; used to ask "would this symbol still fit?".
struct NullSink {
    void operator()(unsigned, uint64_t) {}
    void shift() {}
    void underflow() {}
};

// Shifts the decoder's code register in lockstep with the interval.
struct DecoderSink {
    uint64_t& code;
    BitReader& in;
    void operator()(unsigned, uint64_t) {}
    void shift() { code = ((code << 1) & kStateMask) | in.next(); }
    void underflow() { code = (code & kHalf) | ((code << 1) & (kStateMask >> 1)) | in.next(); }
};

}  // namespace

void RangeEncoder::encode(const Cdf& cdf, int s) {
    WriterSink sink{*out_};
    state_.code(cdf.cum[s], cdf.cum[s + 1], cdf.precision, sink);
}

CoderState stateAfter(const CoderState& state, const Cdf& cdf, int s) {
    CoderState probe = state;
    probe.code(cdf.cum[s], cdf.cum[s + 1], cdf.precision, NullSink{});
    return probe;
}

void RangeEncoder::finish() {
    // See CoderState::terminatedBits(): the value "emitted bits, then 1, then
    // zeros" lies in [low, high] whenever low is not exactly zero.
    if (!(state_.low == 0 && state_.pending == 0)) out_->put(1);
    state_ = CoderState{};
}

RangeDecoder::RangeDecoder(const uint8_t* data, uint64_t begin, uint64_t end)
    : in_(data, begin, end) {
    for (int i = 0; i < kStateBits; ++i) code_ = (code_ << 1) | in_.next();
}

int RangeDecoder::decode(const Cdf& cdf) {
    const uint64_t range = state_.high - state_.low + 1;
    const uint64_t offset = code_ - state_.low;
    const uint64_t value = (((offset + 1) << cdf.precision) - 1) / range;
    if (code_ < state_.low || code_ > state_.high || value >= cdf.total())
        throw FormatError("corrupted bitstream: the range decoder left its interval");
    // Largest s with cum[s] <= value.
    int lo = 0, hi = kAlphabet;  // cum[lo] <= value < cum[hi]
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (cdf.cum[mid] <= value) lo = mid; else hi = mid;
    }
    DecoderSink sink{code_, in_};
    state_.code(cdf.cum[lo], cdf.cum[lo + 1], cdf.precision, sink);
    return lo;
}

}  // namespace eqlab
