// ac and static-ac: the input is cut into chunks of params.chunkBytes bytes,
// each coded as one range-coder stream from an empty model context, terminated
// (CoderState::terminatedBits) and zero-padded to a whole number of k-bit tokens.
// Chunks are independent lanes of the lane engine (lane_engine.h): under M1
// they step through the runtime together, on any number of threads, and
// write exactly the bits of one chunk at a time.
//
// Side information: per chunk, its length in tokens (varint). The decoder
// needs it because a stream's termination is only valid with zero padding after
// it, so the decoder must not read the next chunk's bits.
#pragma once

#include "base/byte_sink_fn.h"
#include "coding/coder_result.h"
#include "methods/method.h"
#include "models/byte_model.h"

namespace eqlab {

CoderResult encodeChunks(const uint8_t* data, size_t size, const CodecParams& params, const ByteModel& model,
                         const EncodeOptions& options);

// Decodes `outputBytes` bytes from bits [0, nbits) of `packed`.
// Throws FormatError when the bitstream and side information disagree.
std::vector<uint8_t> decodeChunks(const std::vector<uint8_t>& packed, uint64_t nbits, const CodecParams& params,
                                  uint64_t outputBytes, const std::vector<uint8_t>& side, const ByteModel& model,
                                  const ProgressFn& progress, int threads);

// Decodes one chunk of `outputBytes` bytes (<= chunkBytes) from bits
// [0, nbits) of `packed`, on this thread, handing its bytes to `sink` piece
// by piece as they are decoded: a chunk far longer than its bits (a long run
// that codes to a handful of bits, or a forged length) costs no memory.
void decodeChunkTo(const std::vector<uint8_t>& packed, uint64_t nbits, const CodecParams& params, uint64_t outputBytes,
                   const ByteModel& model, const ByteSinkFn& sink);

}  // namespace eqlab
