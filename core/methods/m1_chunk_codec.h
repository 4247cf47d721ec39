// ac under M1, batched: every chunk is an independent stream, so all chunks
// step through the runtime together (the weights are read once per step for
// all of them) and, with threads, groups of chunks run in parallel. The
// output is bit-identical to the one-stream path (arithmetic_codec.h): each
// row's probabilities depend only on its own chunk.
#pragma once

#include "coding/coder_result.h"
#include "models/m1_byte_model.h"
#include "methods/method.h"

namespace eqlab {

CoderResult encodeChunkedM1(const uint8_t* data, size_t size, const CodecParams& params, const M1Model& model,
                            const EncodeOptions& options, int threads);

std::vector<uint8_t> decodeChunkedM1(const std::vector<uint8_t>& packed, uint64_t nbits, const CodecParams& params,
                                     uint64_t outputBytes, const std::vector<uint8_t>& side, const M1Model& model,
                                     const ProgressFn& progress, int threads);

// eqinfo-ac with distinct termination under M1: every window decodes from its
// own bits, so windows step through the runtime together (groups of them,
// across threads). Same output as decodeEqualInfo's one-window path.
// windowBytes, if given, receives each window's decoded byte count.
std::vector<uint8_t> decodeDistinctWindowsM1(const std::vector<uint8_t>& packed, uint64_t nbits,
                                             const CodecParams& params, uint64_t outputBytes, const M1Model& model,
                                             const ProgressFn& progress, int threads,
                                             std::vector<uint64_t>* windowBytes = nullptr);

}  // namespace eqlab
