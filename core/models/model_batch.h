// Many independent contexts ("streams") on one model's parameters, stepped
// together: a coder asks for the next distributions of several streams in
// one prepare() call, which a model like M1 answers with one runtime call
// (one pass over its weights for every row). Each stream follows
// ByteModel's protocol (reset, cdf, advance; setLookahead as a hint) and its
// distributions are bit-identical to what a lone ByteModel gives for the same
// prefix, whatever else the batch holds or which team computes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "models/byte_model.h"

namespace eqlab {

class ModelBatch {
public:
    virtual ~ModelBatch() = default;

    // Streams are numbered 0..n-1 for a batch opened with n streams.
    virtual void reset(size_t stream) = 0;
    // As ByteModel::setLookahead, for one stream.
    virtual void setLookahead(size_t stream, const uint8_t* bytes, size_t count) = 0;
    // Makes the next distribution of each of streams[0..count) ready, in one
    // model call where the model can. Optional: cdf() computes what is not ready.
    virtual void prepare(const size_t* streams, size_t count) = 0;
    // True when the next distribution of `stream` is ready: cdf() needs no
    // model call (M1 holds the rows its speculation computed). Default: never
    // known, so a caller prepares every stream it steps.
    virtual bool ready(size_t /*stream*/) const { return false; }
    // The next distribution of `stream`; valid until the stream's next call.
    virtual const Cdf& cdf(size_t stream, int precision) = 0;
    virtual void advance(size_t stream, uint8_t byte) = 0;
};

// The default batch: one clone of the model per stream, each answering alone
// (prepare() does nothing; cdf() computes).
class CloneBatch final : public ModelBatch {
public:
    CloneBatch(const ByteModel& model, size_t streams);

    void reset(size_t s) override { models_[s]->reset(); }
    void setLookahead(size_t s, const uint8_t* bytes, size_t count) override { models_[s]->setLookahead(bytes, count); }
    void prepare(const size_t*, size_t) override {}
    const Cdf& cdf(size_t s, int precision) override { return models_[s]->cdf(precision); }
    void advance(size_t s, uint8_t byte) override { models_[s]->advance(byte); }

private:
    std::vector<std::unique_ptr<ByteModel>> models_;
};

}  // namespace eqlab
