// eqinfo-ac: Equal-Info Windows (Lester et al. 2024, section 3.3).
//
// The input is cut into streams of params.chunkBytes bytes. Inside a stream,
// bytes are coded greedily into windows of exactly b bits: a window takes
// bytes while the stream, terminated after the byte, still fits in b bits
// (CoderState::committedBits() <= b); then it is terminated and zero-padded
// to b bits, and the coder interval and the model context are both reset.
// P <= max(8, b - 2) guarantees that any single byte fits into an empty window.
//
// Exact decoding under the shortest termination (the paper's rule,
// CodecParams::Termination::Shortest). From a window's b bits alone a decoder decodes the true
// bytes c1..cn and then, from the zero padding, possibly further bytes that
// also fit. It tells where the window ended from two rules:
//  1. Canonical termination: the encoder's output after n bytes is fully
//     determined (the emitted bits, a final 1 unless the interval starts at
//     exactly 0, then zeros). Count n' is consistent only if terminating
//     after c1..cn' reproduces the window's bits exactly. This rules out
//     almost every wrong count; what survives are bytes that "code to zeros"
//     (the lowest symbol of the CDF decoded from the padding), as the paper
//     observed.
//  2. Greedy look-ahead: n' < stream end is consistent only if the next
//     window's first byte d (decodable on its own, since every window starts
//     fresh) does NOT fit after c1..cn'. The container decoder also knows how
//     many bytes R the stream still holds: n' == R is always consistent.
// When exactly one count is consistent the decoder needs nothing else;
// otherwise the side information gives the true count's rank among the
// consistent ones for that window. So 100% of inputs decode exactly.
//
// Token-only decodability: the fraction of windows for which a decoder with
// nothing but the tokens (no R, no side information; look-ahead into the next
// window, as in the paper) finds exactly one consistent count and it is n.
//
// Distinct termination (CodecParams::Termination::Distinct, the default). The ambiguity
// above exists because the shortest termination after c1..cn is often also
// the shortest termination after c1..cn-1 (a last byte that emitted no bit),
// or after c1..cn+1 (a byte that codes to zeros). With distinct termination
// the encoder terminates a window after m bytes with T*(m): the shortest bit
// string (trailing zeros dropped) inside the coder interval that differs from
// T*(1), ..., T*(m-1); a byte fits while T*(m) exists within b bits. The
// decoder computes the same T*(m) as it decodes and stops at the first m with
// T*(m) == the window's bits. Every T* differs from all earlier ones, so that
// m is the true count: 100% of windows decode from their own bits, with no
// look-ahead and no side information, at a small cost in bytes per window.
//
// Side information format: zlib-compressed varints, one per window with more
// than one consistent count, in window order: the true count's rank among the
// consistent counts, largest first (so usually 0).
//
// M1's context across windows (CodecParams::m1Reset != 1, distinct
// termination only; the paper's section 5.1). The coder still starts afresh
// at every window, but M1 resets only at every m1Reset-th window of a stream
// (0: only where the stream begins), so a window decodes only after the
// windows of its stream before it. The side information is then the number of
// windows in each stream (zlib-compressed varints, in stream order): streams
// are decoded side by side, each stream's windows in order. Every window still
// decodes from the tokens alone, given the windows before it.
// Every path runs on the lane engine (lane_engine.h): streams are the lanes
// of the encoder, windows the lanes of the distinct decoder, so under M1 many
// of them share each runtime call; the output never depends on how.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_set>

#include "coding/coder_result.h"
#include "coding/range_coder.h"
#include "methods/method.h"
#include "models/byte_model.h"

namespace eqlab {

// What a decoder sees in one window, scanning from its first bit.
struct WindowScan {
    std::vector<uint8_t> bytes;      // c1..cN: every byte that decodes and still fits in b bits
    std::vector<uint8_t> nextFits;   // nextFits[n-1]: the look-ahead byte fits after c1..cn (n = 1..N)
    std::vector<uint8_t> canonical;  // canonical[n-1]: terminating after c1..cn gives exactly the window's bits

    // Byte counts n in [1, N] a decoder must consider.
    //   limit: the bytes left in the stream (container decoder), or nullopt (tokens only);
    //   hasNext: whether a next window (and so a look-ahead byte) exists.
    std::vector<uint64_t> candidates(std::optional<uint64_t> limit, bool hasNext) const;
};

// Scans the window at bits [windowBegin, windowBegin + b) of `packed`, decoding
// at most `maxBytes` bytes. `lookahead` is the next window's first byte, if any.
WindowScan scanWindow(const std::vector<uint8_t>& packed, uint64_t windowBegin, int windowBits, int precision,
                      const ByteModel& model, std::optional<uint8_t> lookahead, uint64_t maxBytes);

// The distinct terminator T*(m) for coder state s, whose emitted bits are
// emittedBit(0..s.emitted-1) relative to the window start: a '0'/'1' string,
// or empty optional if none exists within maxBits. `used` holds T*(1..m-1).
using BitString = std::string;
std::optional<BitString> distinctTerminator(const CoderState& s, const std::function<unsigned(uint64_t)>& emittedBit,
                                            const std::unordered_set<BitString>& used, uint64_t maxBits);

// The window's bits [begin, begin + b) as a '0'/'1' string, trailing zeros dropped.
BitString windowString(const std::vector<uint8_t>& packed, uint64_t begin, uint64_t b);

// The window encoder's steps, shared by encodeEqualInfo() and the
// step-through (analysis/step_through.h).
//
// Distinct termination: codes x into the window that began at bit `start`
// of `bits` and keeps the window's terminators T*(1..m) in `terminators`
// and T*(m) in `last`. Writes nothing and returns false when x no longer
// fits in b bits; then, if `needed` is given, it receives the bits the
// window would have needed with x (0: more than b + kWhyClosedSearchBits).
bool codeDistinct(RangeEncoder& enc, BitWriter& bits, uint64_t start, uint64_t b, const Cdf& cdf, int x,
                  std::unordered_set<BitString>& terminators, BitString& last, uint64_t* needed = nullptr);
// Ends a distinct window that began at bit `start`: its bits become its
// terminator `last`, and the coder restarts. Returns the bits used.
uint64_t closeDistinct(RangeEncoder& enc, BitWriter& bits, uint64_t start, const BitString& last);
// Whether M1's context resets where window `w` of a stream (0-based) opens:
// at every m1Reset-th window, and always at the stream's first.
bool resetsModelAt(uint64_t w, uint32_t m1Reset);

CoderResult encodeEqualInfo(const uint8_t* data, size_t size, const CodecParams& params, const ByteModel& model,
                            const EncodeOptions& options);

// Decodes `outputBytes` bytes from bits [0, nbits) of `packed` (nbits a
// multiple of b) on up to `threads` threads. Throws FormatError on
// inconsistent data.
std::vector<uint8_t> decodeEqualInfo(const std::vector<uint8_t>& packed, uint64_t nbits, const CodecParams& params,
                                     uint64_t outputBytes, const std::vector<uint8_t>& side, const ByteModel& model,
                                     const ProgressFn& progress, int threads);

// Decoding a long input piece by piece (methods/container_stream.h).
// decodeDistinctWindowRun: the distinct windows (m1Reset 1) at bits
// [0, nbits) of `packed`, the first of which opens at byte `startByte` of an
// `outputBytes`-byte input: their bytes, checked to stay inside their streams
// and the input (that they cover it is the caller's to check at the end).
std::vector<uint8_t> decodeDistinctWindowRun(const std::vector<uint8_t>& packed, uint64_t nbits,
                                             const CodecParams& params, uint64_t startByte, uint64_t outputBytes,
                                             const ByteModel& model, const ProgressFn& progress, int threads);
// The side information of windows whose M1 context outlives a window (m1Reset
// != 1): the number of windows in each stream, as zlib-compressed varints;
// and back, for `streams` streams (throws FormatError).
std::vector<uint8_t> streamWindowsSide(const std::vector<uint64_t>& streamWindows);
std::vector<uint64_t> readStreamWindowsSide(const std::vector<uint8_t>& side, uint64_t streams);

}  // namespace eqlab
