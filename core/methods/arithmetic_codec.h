// ac and static-ac: the input is cut into chunks of params.chunkBytes bytes,
// each coded as one range-coder stream from an empty model context, terminated
// (CoderState::terminatedBits) and zero-padded to a whole number of k-bit tokens.
//
// Side information: per chunk, its length in tokens (varint). The decoder
// needs it because a stream's termination is only valid with zero padding after
// it, so the decoder must not read the next chunk's bits.
#pragma once

#include "models/byte_model.h"
#include "coding/coder_result.h"
#include "methods/method.h"

namespace eqlab {

CoderResult encodeChunked(const uint8_t* data, size_t size, const CodecParams& params, ByteModel& model,
                          const EncodeOptions& options);

// Decodes `outputBytes` bytes from bits [0, nbits) of `packed`.
// Throws FormatError when the bitstream and side information disagree.
std::vector<uint8_t> decodeChunked(const std::vector<uint8_t>& packed, uint64_t nbits,
                                   const CodecParams& params, uint64_t outputBytes,
                                   const std::vector<uint8_t>& side, ByteModel& model,
                                   const ProgressFn& progress);

}  // namespace eqlab
