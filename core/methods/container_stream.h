// Compressing and decompressing files of any length in bounded memory: the
// input is coded frame by frame (a frame is a whole number of chunks or
// streams, about kDefaultFrameBytes of input), the payload goes through a
// temporary file while the container's header waits for the token count,
// and decoding writes each frame's bytes as soon as they are decoded.
//
// compressStream writes exactly writeContainer(encode(whole input)) for
// every method and frame size; decompressStream writes what decode() does.
// Memory is one frame (at least one chunk or stream; sentencepiece: its
// segments, sentencePieceSegmentEnd, which encode() cuts in memory too),
// whatever the length of the input, with one exception: eqinfo-ac with the
// shortest termination, where a window's side information depends on the
// first byte of the next window across streams and decoding walks the
// windows in order: it is coded in memory, as encode()/decode() do.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/progress.h"
#include "methods/codec.h"

namespace eqlab {

constexpr uint64_t kDefaultFrameBytes = uint64_t(1) << 20;  // input coded at a time (rounded to whole chunks)

struct StreamOptions {
    uint64_t frameBytes = kDefaultFrameBytes;  // > 0; tests use tiny frames
    int threads = 1;                           // as EncodeOptions::threads / decode()
    ProgressFn progress;                       // (bytes of input done, total; 0 when unknown)
    std::vector<std::string> otherInputs;      // files the output must not be (the model's), as OutputFile's inputs
};

// What compressStream wrote.
struct StreamSummary {
    CodecParams params;  // as the container records them
    uint64_t inputBytes = 0;
    uint64_t tokens = 0;
    uint64_t vocab = 0;
    uint64_t containerBytes = 0;
};

// Compresses the file `inPath` ("-": stdin) into a container at `outPath`
// ("-": stdout), through OutputFile (base/output_file.h). Throws what
// encode() and OutputFile throw, IoError for reads and the temporary file;
// then a regular output is left as it was.
StreamSummary compressStream(const std::string& inPath, const std::string& outPath, const CodecParams& params,
                             const ModelSet& models, const StreamOptions& options = {});

// Decompresses the container `inPath` ("-": stdin) to `outPath` ("-":
// stdout). The header is checked before anything is decoded (readContainerHead:
// a claim the payload cannot back is refused); the payload CRC, the length
// and the original's CRC-32 at the end, and only then is a regular output
// committed. An output written in place (stdout, a pipe, a device) has by
// then received what was decoded: the FormatError says so. loadM1 as
// Container::models. Returns the bytes written.
uint64_t decompressStream(const std::string& inPath, const std::string& outPath,
                          const std::function<std::shared_ptr<ByteModel>()>& loadM1, const StreamOptions& options = {});

}  // namespace eqlab
