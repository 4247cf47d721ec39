// A bit-oriented range (arithmetic) coder in integer arithmetic, after
// Witten, Neal & Cleary (1987) and nayuki's Reference-arithmetic-coding.
//
// State: an interval [low, high] of kStateBits-bit integers, read as binary
// fractions; `high` carries implicit trailing 1s. Invariants after every
// symbol (restored by the renormalisation at the end of CoderState::code()):
//   low < half <= high                 (the top bits differ)
//   not (quarter <= low && high < 3/4) (no underflow straddle left)
// so high - low + 1 > quarter >= 2^P for P <= kMaxPrecision: every symbol with
// frequency >= 1 gets a non-empty sub-interval.
//
// Underflow shifts are counted in `pending`; they are written, inverted, after
// the next top bit is known. The true interval, after the bits already
// emitted, is low = 0 1^pending <low bits 2..>, high = 1 0^pending <high bits 2..>.
#pragma once

#include <cstdint>

#include "coding/bit_io.h"
#include "coding/cdf.h"

namespace eqlab {

constexpr int kStateBits = 32;
constexpr uint64_t kStateMask = (uint64_t(1) << kStateBits) - 1;
constexpr uint64_t kHalf = uint64_t(1) << (kStateBits - 1);
constexpr uint64_t kQuarter = uint64_t(1) << (kStateBits - 2);

// The coder interval plus bit accounting; identical on encoder and decoder.
struct CoderState {
    uint64_t low = 0;
    uint64_t high = kStateMask;
    uint64_t pending = 0;  // underflow bits not yet written
    uint64_t emitted = 0;  // bits written (or, in the decoder, that the encoder wrote)

    // The length of the shortest bit string, continuing the emitted bits,
    // whose zero-padded continuation decodes every symbol coded so far:
    // emitted bits alone when the interval's low end is exactly 0 (nothing
    // pending), else one more "1" bit (the pending bits, all 0 after a 1,
    // come from the zero padding).
    uint64_t terminatedBits() const { return emitted + ((low == 0 && pending == 0) ? 0 : 1); }

    // terminatedBits() plus the pending bits: what Equal-Info windows count
    // as used. The pending zeros cost nothing to write (the padding supplies
    // them) but counting them makes every byte decoded from a window's zero
    // padding cost bits too: without that, a padded value sitting exactly on
    // an interval midpoint decodes an endless run of bytes that all "fit",
    // and no decoder could ever bound a window. See equal_info.h.
    uint64_t committedBits() const { return terminatedBits() + pending; }

    // Narrows the interval to [cumLow, cumHigh) out of 2^precision and
    // renormalises. The sink sees each decision: bits(top, n, pending) when
    // the top n bits are decided (the first of them is followed by the
    // pending underflow bits, inverted), and underflow() for each underflow shift.
    template <class Sink>
    void code(uint32_t cumLow, uint32_t cumHigh, int precision, Sink&& sink) {
        const uint64_t range = high - low + 1;
        const uint64_t newLow = low + ((range * cumLow) >> precision);
        const uint64_t newHigh = low + ((range * cumHigh) >> precision) - 1;
        low = newLow;
        high = newHigh;
        const uint64_t same = low ^ high;
        if ((same & kHalf) == 0) {  // the top n bits of low and high agree: they are decided
            const int n = same == 0 ? kStateBits : __builtin_clzll(same) - (64 - kStateBits);
            sink.bits(uint32_t(low >> (kStateBits - n)), n, pending);
            emitted += uint64_t(n) + pending;
            pending = 0;
            const uint64_t ones = (uint64_t(1) << n) - 1;
            low = (low << n) & kStateMask;
            high = ((high << n) & kStateMask) | ones;
        }
        while ((low & ~high & kQuarter) != 0) {  // low = 01..., high = 10...: underflow
            ++pending;
            low = (low << 1) ^ kHalf;
            high = ((high ^ kHalf) << 1) | kHalf | 1;
            sink.underflow();
        }
    }
};

// The state after coding symbol s under cdf, without writing anything.
CoderState stateAfter(const CoderState& state, const Cdf& cdf, int s);

// Encodes symbols into a BitWriter. Copyable: a copy of the state plus
// BitWriter::truncate() undoes a tentatively coded symbol.
class RangeEncoder {
public:
    explicit RangeEncoder(BitWriter& out) : out_(&out) {}

    // Codes symbol s under cdf. Postcondition: state().emitted grew by the bits written.
    // The sanitizer build (EQLAB_CHECK_CDF) validates every CDF here, in
    // stateAfter() and in RangeDecoder::decode, where CDFs enter the coder:
    // std::logic_error.
    void encode(const Cdf& cdf, int s);
    // Terminates the stream with the shortest bit string whose zero-padded
    // continuation decodes every symbol: the emitted bits plus at most one 1
    // bit, with trailing zeros dropped (down to where this stream started).
    // Then resets to the initial state: the next symbol starts a new stream.
    void finish();

    // Discards the stream without writing a termination (the caller wrote
    // its own) and starts a new one.
    void restart() {
        state_ = CoderState{};
        fresh_ = true;
    }

    const CoderState& state() const { return state_; }
    void setState(const CoderState& s) { state_ = s; }

    // The state after coding s, without writing anything.
    CoderState stateAfter(const Cdf& cdf, int s) const { return eqlab::stateAfter(state_, cdf, s); }

private:
    BitWriter* out_;
    uint64_t streamStart_ = 0;  // where the current stream's bits begin in *out_
    bool fresh_ = true;         // no symbol coded since construction or finish()
    CoderState state_;
};

// Decodes symbols from bits [begin, end) of a packed buffer, zero-padded
// beyond `end`. Mirrors the encoder's CoderState exactly, so the decoder
// knows how many bits the encoder had emitted after each symbol.
class RangeDecoder {
public:
    RangeDecoder(const uint8_t* data, uint64_t begin, uint64_t end);

    int decode(const Cdf& cdf);
    const CoderState& state() const { return state_; }
    // The code register: the kStateBits bits read last, the value whose
    // place in [low, high] picks the next symbol.
    uint64_t code() const { return code_; }
    // Bits read since `begin`, zero padding past `end` included.
    uint64_t bitsRead() const { return in_.position() - begin_; }

private:
    uint64_t begin_;
    BitReader in_;
    CoderState state_;
    uint64_t code_ = 0;
};

}  // namespace eqlab
