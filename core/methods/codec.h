// One entry point for every method: bytes in, tokens + trace out, and back.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coding/coder_result.h"
#include "coding/trace.h"
#include "methods/method.h"
#include "methods/sentencepiece_codec.h"
#include "models/byte_model.h"

namespace eqlab {

// The models a method may need; only the one its method uses must be set.
struct ModelSet {
    std::shared_ptr<ByteModel> byteModel;                     // static-ac, ac, eqinfo-ac
    std::shared_ptr<const SentencePieceModel> sentencePiece;  // sentencepiece
};

// A method's output: the token stream plus what exact decoding needs beside it.
struct Encoded {
    CodecParams params;
    uint64_t inputBytes = 0;
    uint32_t inputCrc = 0;  // CRC-32 of the input
    uint64_t vocab = 256;   // v: tokens are in [0, v)
    std::vector<uint32_t> tokens;
    std::vector<uint8_t> side;  // side information (method specific; often a few bytes)

    std::optional<double> surprisalBits;       // total model surprisal; none for bytes/gzip/sentencepiece
    uint64_t windows = 0;                      // eqinfo-ac
    uint64_t sideInfoWindows = 0;              // eqinfo-ac: windows whose byte count is in `side`
    std::optional<double> tokenOnlyDecodable;  // eqinfo-ac: fraction of windows in [0, 1]
    Trace trace;                               // filled when EncodeOptions::trace

    // The paper's compressed size: tokens x log2(v), padding included.
    double bits() const;
    double bitsPerByte() const { return inputBytes ? bits() / double(inputBytes) : 0.0; }
    double bytesPerToken() const { return tokens.empty() ? 0.0 : double(inputBytes) / double(tokens.size()); }
    // Bits each token takes in a container: k, or ceil(log2 v) for sentencepiece.
    int storageBits() const;
};

// The passes encode() makes over its input, in order, by the names progress
// shows: "coding", then for eqinfo-ac "checking windows decode" (distinct
// termination with options.stats) or "resolving windows" (shortest). Each
// pass reports `size` units of options.progress, so an encode's progress
// counts passes x size units in all (methods that report none: the same
// plan, one pass).
std::vector<std::string> encodePasses(const CodecParams& params, const EncodeOptions& options);

// Throws InvalidArgument (bad parameters or a missing model) or Cancelled.
Encoded encode(const uint8_t* data, size_t size, const CodecParams& params, const ModelSet& models,
               const EncodeOptions& options = {});

// Decodes what encode() produced; needs params, inputBytes, tokens, side and
// the same models. Throws FormatError on inconsistent data.
std::vector<uint8_t> decode(const Encoded& e, const ModelSet& models, const ProgressFn& progress = {}, int threads = 1);

}  // namespace eqlab
