// The next-byte model interface: what the range coder asks for the
// distribution of the next byte given the current window's (or chunk's)
// prefix, one stream at a time or many streams in one batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "coding/cdf.h"

namespace eqlab {

class ModelBatch;
class WorkerTeam;

// Which kind of model a file or container refers to.
enum class ModelKind : uint8_t { Uniform = 0, Unigram = 1, M1 = 2 };

// A next-byte predictor with a context that grows byte by byte.
// Protocol: reset(); then repeatedly cdf(P) for the next byte and advance(byte).
// Two instances loaded from the same file give bit-identical CDFs for the same
// prefix: encoder and decoder depend on it.
class ByteModel {
public:
    virtual ~ByteModel() = default;

    virtual ModelKind kind() const = 0;
    // A short human-readable name ("uniform", "unigram(sotu-train)", "M1 ...").
    virtual std::string name() const = 0;
    // A stable identity of the model's parameters (hex SHA-256 of its serialised form).
    virtual std::string hash() const = 0;
    // This model's parameters computed another way whose identity is `hash`
    // (M1 under an older numerics version), or null when there is none.
    virtual std::shared_ptr<ByteModel> withHash(const std::string& hash) const {
        (void)hash;
        return nullptr;
    }
    // The serialised model, for embedding in containers (empty when the model
    // is too big to embed and containers record only its hash).
    virtual std::vector<uint8_t> serialize() const = 0;

    // Empties the context (start of a window, chunk or stream).
    virtual void reset() = 0;
    // The distribution of the next byte at precision P (kMinPrecision..kMaxPrecision).
    // The reference stays valid until the next call on this model.
    virtual const Cdf& cdf(int precision) = 0;
    // Writes the distribution of the next byte (given the context) to
    // out[0..255]: non-negative, summing to 1 up to float rounding. For what
    // the coder does not ask for, such as the distribution's entropy. Models
    // with float probabilities (uniform, unigram, M1) write exactly what
    // cdf() quantises: quantizeProbabilities(out, P) gives cdf(P). Default:
    // cdf(kMaxPrecision)'s frequencies over its total.
    virtual void probabilities(float* out);
    // Appends `byte` to the context.
    virtual void advance(uint8_t byte) = 0;
    // Another instance on the same parameters with an empty context (for threads).
    virtual std::unique_ptr<ByteModel> clone() const = 0;
    // A hint: the bytes that will probably be advanced next (an encoder knows
    // its input). A model may evaluate them ahead in one batch; the results
    // never depend on the hint. The pointer must stay valid until the next
    // reset() or setLookahead(). Default: ignored.
    virtual void setLookahead(const uint8_t* bytes, size_t count) {
        (void)bytes;
        (void)count;
    }

    // Opens `streams` empty contexts on this model's parameters, stepped
    // together (model_batch.h). `team`, if not null, may share the batch's
    // model calls between its threads; it must outlive the batch. Default:
    // one clone per stream, each answering alone.
    virtual std::unique_ptr<ModelBatch> openBatch(size_t streams, WorkerTeam* team) const;
    // True when preparing many streams in one ModelBatch::prepare() costs less
    // than preparing each alone (M1: one pass over the weights serves every
    // row), so coders should step independent streams in lockstep. Default: false.
    virtual bool batchesStreams() const { return false; }
};

}  // namespace eqlab
