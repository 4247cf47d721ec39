// The coder, one step at a time: what the Step tab draws and `eqlab-cli
// step` prints. A step-through replays a range-coder method (static-ac, ac,
// eqinfo-ac) on a short text with the real model, the real quantiser and the
// real coder arithmetic (CoderState::code, distinctTerminator), recording
// after every byte the interval, the model's candidates, the bits that
// settled, and for Equal-Info windows why and where each window closed.
// Its bits are exactly the method's bitstream (tested against encode()).
//
// A walk is a list of frames. In order, for each segment (an Equal-Info
// window, or an ac/static-ac chunk):
//   Reset           the coder starts afresh (and M1's context, modelReset);
//   Code            one byte coded (or, decoding, found);
//   ...
//   Close           the segment ends: termination bits and padding written,
//                   and for a window that ended before its stream, the next
//                   byte that did not fit.
// Decoding walks the same bitstream back: Reset, then one Code frame per
// byte the decoder finds (with the code value it read), then Close.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/progress.h"
#include "methods/method.h"
#include "models/byte_model.h"

namespace eqlab {

// A step-through codes at most this many bytes: it keeps every frame (a few
// hundred bytes each) and is for teaching and inspecting, not for corpora.
constexpr size_t kMaxStepBytes = 4096;
constexpr int kDefaultStepCandidates = 8;
// What a step-through walks when the user gives no text.
constexpr const char* kDefaultStepText = "The quick brown fox jumps over the lazy dog.";

// One candidate for the next byte: its slice [cum, cum + freq) of the
// coder's total 2^P, and the model's unquantised probability.
struct StepCandidate {
    uint8_t byte = 0;
    float probability = 0;  // the model's probability (ByteModel::probabilities)
    uint32_t cum = 0, freq = 0;
};

struct StepFrame {
    enum class Kind : uint8_t { Reset, Code, Close };
    Kind kind = Kind::Code;

    uint64_t segment = 0;  // the window (eqinfo-ac) or chunk (ac, static-ac) this frame belongs to
    // Code: the byte coded; Reset: the byte the segment starts with; Close:
    // the byte after the segment (== text size at the end).
    uint64_t byteIndex = 0;

    // The coder's interval [low, high] (kStateBits-bit integers, see
    // range_coder.h) and its pending underflow bits, before and after this
    // frame. For Close, "after" is the state the termination leaves (reset).
    uint64_t lowBefore = 0, highBefore = 0, pendingBefore = 0;
    uint64_t low = 0, high = 0, pending = 0;

    // Code: the quantised slice the coder used and what it cost.
    uint32_t cum = 0, freq = 0, total = 0;
    double surprisalBits = 0;
    // Code: the model's most probable bytes, most probable first (at most
    // StepOptions::candidates), plus the coded byte if it is not among them.
    std::vector<StepCandidate> candidates;

    // Bits written at this frame, '0'/'1' (Code: the bits that settled,
    // pending bits included once resolved; Close: the termination), and
    // the zero padding that fills the segment (Close only). A termination
    // that drops trailing zeros takes them from the Code frames' bits (the
    // padding stands for them), as the trace does.
    std::string emitted;
    std::string padding;
    uint64_t bitBegin = 0;  // where `emitted` starts in the method's bitstream

    // The segment's bits so far: CoderState::committedBits() (shortest),
    // terminatedBits() (ac, static-ac), the distinct terminator's length
    // (distinct), or at Close the bits
    // it used; and its size in bits (b; for a chunk 0 until its Close, which
    // gives the chunk padded to whole tokens).
    uint64_t segmentBitsUsed = 0;
    uint64_t segmentBits = 0;

    // Reset: whether M1's (or the model's) context was reset too; false for
    // an Equal-Info window whose model context continues (m1Reset != 1).
    bool modelReset = false;

    // Close of a window that ended before its stream did: the byte that did
    // not fit (-1: the stream or text ended there), what it costs at the
    // window's end (surprisal) and the bits the window would have needed
    // with it (0: more than b + kWhyClosedSearchBits).
    int nextByte = -1;
    double nextByteBits = 0;
    uint64_t bitsWithNext = 0;

    // Decoding only: the decoder's code register (kStateBits bits read from
    // the bitstream, the value that picks the slice) before this byte, and
    // how many bits it has read from the segment's start: the kStateBits
    // that fill the register first, then one per shift, zero padding past
    // the segment's end included.
    uint64_t code = 0;
    uint64_t bitsRead = 0;
};

struct StepSegment {
    uint64_t byteBegin = 0, byteEnd = 0;
    uint64_t bitBegin = 0, bitsUsed = 0, bitsTotal = 0;
    size_t firstFrame = 0, lastFrame = 0;  // its Reset and Close frames
};

struct StepOptions {
    bool decode = false;  // walk the decoder over the method's bits instead of the encoder
    int candidates = kDefaultStepCandidates;
    ProgressFn progress;  // (bytes done, bytes total); may cancel (throws Cancelled)
};

struct StepThrough {
    CodecParams params;          // the method, with precision resolved (params.effectivePrecision())
    std::string model;           // the model's name
    uint64_t inputBytes;         // the whole text's size; the walk covers its first min(size, kMaxStepBytes) bytes
    std::vector<uint8_t> bytes;  // the bytes walked
    bool decoding = false;
    std::vector<StepFrame> frames;
    std::vector<StepSegment> segments;
    std::string bits;  // the whole bitstream, '0'/'1': every frame's emitted + padding, in order

    // The first frame that codes byte i (its Code frame), and segment w's Reset frame.
    size_t frameOfByte(uint64_t i) const;
    size_t frameOfSegment(uint64_t w) const;
    // The bitstream's k-bit tokens (complete ones only), as in encode().
    std::vector<uint32_t> tokens() const;
};

// Walks `params.method` (static-ac, ac or eqinfo-ac; anything else:
// InvalidArgument) over the first kMaxStepBytes bytes of data[0, size)
// under `model` (its context is reset; the model is left in an unspecified
// state). An empty text gives no frames. Decoding first encodes the bytes
// with the same walk, then decodes its bitstream: each Code frame's byte is
// what the decoder found (std::logic_error if it differs from the text).
StepThrough stepThrough(const uint8_t* data, size_t size, const CodecParams& params, ByteModel& model,
                        const StepOptions& options = {});

// "reset", "code", "close".
const char* stepKindName(StepFrame::Kind kind);

}  // namespace eqlab
