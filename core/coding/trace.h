// The record every method leaves of how it spent bits on the input: the data
// every GUI view draws. Compact: a few numbers per byte, per segment and per
// token, never an array per bit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace eqlab {

// How token byte spans relate to the text.
enum class Alignment : uint8_t {
    Exact = 0,         // bytes, sentencepiece: each token is exactly its bytes
    Emission = 1,      // range coder: a token covers the bytes being coded while its bits were emitted
    DeflateBlock = 2,  // gzip: spans are whole DEFLATE blocks, the finest unit zlib exposes
};
std::string alignmentName(Alignment a);

// How far past b a window's closing is searched for the bits the next byte would need.
constexpr uint64_t kWhyClosedSearchBits = 64;

// An independently coded stretch: an Equal-Info window, an ac chunk or a DEFLATE block.
struct Segment {
    uint64_t byteBegin = 0, byteEnd = 0;  // bytes [byteBegin, byteEnd) of the input
    uint64_t bitBegin = 0;                // first bit of the segment in the bitstream
    uint64_t bitsUsed = 0;                // bits carrying information (termination included)
    uint64_t bitsTotal = 0;               // bits occupied: used + padding
    int8_t tokenOnlyDecodable = -1;       // windows: 1/0 whether tokens alone decode it; -1 n/a
    // Why an Equal-Info window closed (traced windows that end before their
    // stream): the next byte, its cost at the window's end (surprisal) and
    // the bits the window would have needed with it, more than bitsTotal
    // (0: none within bitsTotal + kWhyClosedSearchBits). nextByte -1: the stream ended.
    int16_t nextByte = -1;
    float nextByteBits = 0;
    uint64_t bitsWithNext = 0;
    uint64_t paddingBits() const { return bitsTotal - bitsUsed; }
};

struct TokenSpan {
    uint32_t value = 0;                   // the token, 0 <= value < vocab
    uint64_t bitBegin = 0, bitEnd = 0;    // its bits in the bitstream
    uint64_t byteBegin = 0, byteEnd = 0;  // the input bytes it covers (may be empty: padding)
};

struct Trace {
    Alignment alignment = Alignment::Exact;
    std::string segmentKind;  // "window", "chunk", "block" or "" (no segments)

    // Per input byte (all empty for an empty input):
    std::vector<float> surprisalBits;     // cost under the model's quantised CDF; empty if no model
    std::vector<uint32_t> segmentOfByte;  // index into segments; empty if no segments
    std::vector<uint64_t> bitBegin;       // bits [bitBegin, bitEnd) emitted while it was coded
    std::vector<uint64_t> bitEnd;

    std::vector<Segment> segments;
    std::vector<TokenSpan> tokens;

    // Sizes the per-byte arrays of a range-coder trace (emission alignment).
    void startCoderTrace(size_t bytes, const char* kind);
    // Ends the stream of bytes [first, last) at bit `end`: no byte's bits run
    // past it (emitted zeros that the padding stands for were dropped) and
    // the last byte, which the termination finishes, ends exactly there.
    void closeStream(size_t first, size_t last, uint64_t end);

    // Records input byte i, coded at `surprisal` bits in segment `segment`,
    // as having emitted bits [bitBegin, bitEnd) (a range-coder trace).
    void recordByte(size_t i, double surprisal, uint32_t segment, uint64_t bitBegin, uint64_t bitEnd) {
        surprisalBits[i] = float(surprisal);
        segmentOfByte[i] = segment;
        this->bitBegin[i] = bitBegin;
        this->bitEnd[i] = bitEnd;
    }
    // Appends the range-coder trace `part` of bytes [byteBase, byteBase +
    // part's bytes) whose bits start at `bitOffset`: per-byte entries and
    // segments shifted into this trace's coordinates (sized by startCoderTrace).
    void append(const Trace& part, uint64_t byteBase, uint64_t bitOffset);
    // Copies the range-coder entries of bytes [first, last) of `part` to
    // bytes first + byteShift, ... of this trace (sized by startCoderTrace),
    // their segment indices plus segmentShift and bit ranges plus bitShift
    // (a shift may be negative; the results may not).
    void copyBytes(const Trace& part, size_t first, size_t last, int64_t byteShift, int64_t segmentShift,
                   int64_t bitShift);

    // Fills tokens[i].byteBegin/byteEnd from the per-byte bit ranges
    // (emission alignment); tokens' bit spans must already be set.
    void alignTokensByEmission();
    // Checks internal consistency (sizes, monotone ranges); throws std::logic_error.
    void validate(uint64_t inputBytes) const;
};

}  // namespace eqlab
