#include "methods/ac_codec.h"

#include <algorithm>

#include "base/binary_io.h"
#include "coding/range_coder.h"
#include "methods/lane_engine.h"

namespace eqlab {

namespace {

// Chunks stepped together under a model that batches streams (each holds a
// KV cache of ~layers * context * d * 8 bytes under M1).
constexpr size_t kChunksPerGroup = 32;

// Encodes one chunk into its own CoderResult (offsets relative to the chunk),
// padded to whole tokens.
class ChunkEncoder final : public Lane {
public:
    ChunkEncoder(const uint8_t* bytes, size_t n, const CodecParams& params, const EncodeOptions& options,
                 CoderResult& out)
        : bytes_(bytes),
          n_(n),
          precision_(params.effectivePrecision()),
          k_(uint64_t(params.tokenBits)),
          options_(options),
          out_(out),
          enc_(out.bits) {
        if (options.trace) out.trace.startCoderTrace(n, "chunk");
        out.bits.reserve(8 * uint64_t(n));  // most chunks code to fewer than 8 bits per byte
    }
    void start(ModelBatch& batch, size_t s) override {
        batch.reset(s);
        batch.setLookahead(s, bytes_, n_);
    }
    bool next(ModelBatch&, size_t) override {
        if (pos_ < n_) return true;
        enc_.finish();
        const uint64_t used = out_.bits.size();
        const uint64_t tokens = (used + k_ - 1) / k_;
        out_.bits.padTo(tokens * k_);
        if (options_.trace) {
            out_.trace.closeStream(0, n_, used);
            out_.trace.segments.push_back({0, n_, 0, used, tokens * k_, -1});
        }
        return false;
    }
    uint64_t step(ModelBatch& batch, size_t s) override {
        const Cdf& cdf = batch.cdf(s, precision_);
        const int x = bytes_[pos_];
        const uint64_t mark = out_.bits.size();
        enc_.encode(cdf, x);
        out_.recordByte(options_, pos_, cdf, x, 0, mark);
        batch.advance(s, uint8_t(x));
        ++pos_;
        return 1;
    }

private:
    const uint8_t* bytes_;
    size_t n_;
    int precision_;
    uint64_t k_;
    const EncodeOptions& options_;
    CoderResult& out_;
    RangeEncoder enc_;
    size_t pos_ = 0;
};

// Decodes one chunk's n bytes from bits [begin, end) into out.
class ChunkDecoder final : public Lane {
public:
    ChunkDecoder(const uint8_t* packed, uint64_t begin, uint64_t end, int precision, uint8_t* out, size_t n)
        : dec_(packed, begin, end), precision_(precision), out_(out), n_(n) {}
    bool next(ModelBatch&, size_t) override { return pos_ < n_; }
    uint64_t step(ModelBatch& batch, size_t s) override {
        const int x = dec_.decode(batch.cdf(s, precision_));
        out_[pos_++] = uint8_t(x);
        batch.advance(s, uint8_t(x));
        return 1;
    }

private:
    RangeDecoder dec_;
    int precision_;
    uint8_t* out_;
    size_t n_;
    size_t pos_ = 0;
};

// Decodes one chunk's n bytes from bits [begin, end), handing them to a sink
// piece by piece: memory is the chunk's bits, not its bytes.
class ChunkStreamDecoder final : public Lane {
public:
    ChunkStreamDecoder(const uint8_t* packed, uint64_t begin, uint64_t end, int precision, uint64_t n,
                       const ByteSinkFn& sink)
        : dec_(packed, begin, end), precision_(precision), n_(n), sink_(sink) {}
    bool next(ModelBatch&, size_t) override {
        if (piece_.size() >= kChunkPieceBytes || (pos_ == n_ && !piece_.empty())) {
            sink_(piece_.data(), piece_.size());
            piece_.clear();
        }
        return pos_ < n_;
    }
    uint64_t step(ModelBatch& batch, size_t s) override {
        const int x = dec_.decode(batch.cdf(s, precision_));
        piece_.push_back(uint8_t(x));
        batch.advance(s, uint8_t(x));
        ++pos_;
        return 1;
    }

private:
    static constexpr size_t kChunkPieceBytes = 1 << 16;  // bytes handed on at a time
    RangeDecoder dec_;
    int precision_;
    uint64_t n_;
    const ByteSinkFn& sink_;
    std::vector<uint8_t> piece_;
    uint64_t pos_ = 0;
};

}  // namespace

CoderResult encodeChunks(const uint8_t* data, size_t size, const CodecParams& params, const ByteModel& model,
                         const EncodeOptions& options) {
    params.validate();
    const size_t chunk = params.chunkBytes;
    const size_t chunks = size_t(params.chunkCount(size));
    std::vector<CoderResult> parts(chunks);
    SharedProgress progress(options.progress, size);
    runLanes(
        model, {chunks, kChunksPerGroup, options.threads},
        [&](size_t c) {
            const size_t begin = c * chunk;
            return std::make_unique<ChunkEncoder>(data + begin, params.chunkEnd(begin, size) - begin, params, options,
                                                  parts[c]);
        },
        progress);

    CoderResult r;
    ByteSink side;
    if (options.trace) r.trace.startCoderTrace(size, "chunk");
    const uint64_t k = uint64_t(params.tokenBits);
    for (size_t c = 0; c < chunks; ++c) {
        side.varint(parts[c].bits.size() / k);
        r.append(parts[c], c * chunk, options.trace);
        parts[c] = CoderResult{};  // free as we go
    }
    r.side = std::move(side.data());
    progress.finish();
    return r;
}

std::vector<uint8_t> decodeChunks(const std::vector<uint8_t>& packed, uint64_t nbits, const CodecParams& params,
                                  uint64_t outputBytes, const std::vector<uint8_t>& side, const ByteModel& model,
                                  const ProgressFn& progress, int threads) {
    params.validate();
    const uint64_t k = uint64_t(params.tokenBits);
    const uint64_t chunk = params.chunkBytes;
    const size_t chunks = size_t(params.chunkCount(outputBytes));
    // Chunk bit offsets from the side information.
    ByteSource sideIn(side.data(), side.size(), "side information");
    std::vector<uint64_t> starts(chunks + 1, 0);
    for (size_t c = 0; c < chunks; ++c) {
        const uint64_t tokens = sideIn.varint("chunk length");
        if (tokens > (nbits - starts[c]) / k) sideIn.fail("a chunk extends past the end of the bitstream");
        starts[c + 1] = starts[c] + tokens * k;
    }
    if (starts[chunks] != nbits) throw FormatError("corrupted bitstream: bits left over after the last chunk");
    if (sideIn.remaining() != 0) sideIn.fail("unexpected data after the last chunk length");

    std::vector<uint8_t> out(static_cast<size_t>(outputBytes));
    SharedProgress shared(progress, outputBytes);
    const int precision = params.effectivePrecision();
    runLanes(
        model, {chunks, kChunksPerGroup, threads},
        [&](size_t c) {
            const uint64_t begin = c * chunk;
            return std::make_unique<ChunkDecoder>(packed.data(), starts[c], starts[c + 1], precision,
                                                  out.data() + begin,
                                                  size_t(params.chunkEnd(begin, outputBytes) - begin));
        },
        shared);
    shared.finish();
    return out;
}

}  // namespace eqlab

namespace eqlab {

void decodeChunkTo(const std::vector<uint8_t>& packed, uint64_t nbits, const CodecParams& params, uint64_t outputBytes,
                   const ByteModel& model, const ByteSinkFn& sink) {
    params.validate();
    if (outputBytes > params.chunkBytes) throw FormatError("a chunk is longer than the chunk length");
    ChunkStreamDecoder lane(packed.data(), 0, nbits, params.effectivePrecision(), outputBytes, sink);
    const std::unique_ptr<ModelBatch> batch = model.openBatch(1, nullptr);
    runLane(lane, *batch, 0);
}

}  // namespace eqlab
