// Next-byte models behind one interface: what the range coder asks for the
// distribution of the next byte given the current window's (or chunk's) prefix.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "coding/cdf.h"

namespace eqlab {

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
    // A short human-readable name ("uniform", "unigram(sotu-train)", "m1 3.2M").
    virtual std::string name() const = 0;
    // A stable identity of the model's parameters (hex SHA-256 of its serialised form).
    virtual std::string hash() const = 0;
    // The serialised model, for embedding in containers (empty when the model
    // is too big to embed and containers record only its hash).
    virtual std::vector<uint8_t> serialize() const = 0;

    // Empties the context (start of a window, chunk or stream).
    virtual void reset() = 0;
    // The distribution of the next byte at precision P (kMinPrecision..kMaxPrecision).
    // The reference stays valid until the next call on this model.
    virtual const Cdf& cdf(int precision) = 0;
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
};

// Every byte equally likely; context ignored.
class UniformModel final : public ByteModel {
public:
    ModelKind kind() const override { return ModelKind::Uniform; }
    std::string name() const override { return "uniform"; }
    std::string hash() const override;
    std::vector<uint8_t> serialize() const override { return {}; }
    void reset() override {}
    const Cdf& cdf(int precision) override;
    void advance(uint8_t) override {}
    std::unique_ptr<ByteModel> clone() const override { return std::make_unique<UniformModel>(*this); }

private:
    Cdf cache_;
    int cachedPrecision_ = 0;
};

// A static byte unigram: counts fitted on a corpus, context ignored.
// File format (little-endian): magic "EQUG", u32 version (1), u32 name length,
// name bytes (UTF-8, <= 256), 256 x u64 counts, u32 CRC-32 of everything before.
class UnigramModel final : public ByteModel {
public:
    static constexpr uint32_t kVersion = 1;

    // Fits on `data`. Counts are add-one smoothed when turned into probabilities.
    static UnigramModel fit(const uint8_t* data, size_t size, const std::string& name);
    // Parses a serialised model; throws FormatError naming what is wrong.
    static UnigramModel deserialize(const uint8_t* data, size_t size);
    static UnigramModel load(const std::string& path);
    void save(const std::string& path) const;

    ModelKind kind() const override { return ModelKind::Unigram; }
    std::string name() const override { return "unigram(" + name_ + ")"; }
    std::string hash() const override;
    std::vector<uint8_t> serialize() const override;
    void reset() override {}
    const Cdf& cdf(int precision) override;
    void advance(uint8_t) override {}
    std::unique_ptr<ByteModel> clone() const override { return std::make_unique<UnigramModel>(*this); }

    const std::vector<uint64_t>& counts() const { return counts_; }
    // Model probabilities as floats (add-one smoothed), the quantiser's input.
    std::vector<float> probabilities() const;

private:
    std::string name_;
    std::vector<uint64_t> counts_ = std::vector<uint64_t>(kAlphabet, 0);
    Cdf cache_;
    int cachedPrecision_ = 0;
};

// Hex SHA-256 of a byte string.
std::string sha256Hex(const uint8_t* data, size_t size);

// Loads a model file of any kind eqlab knows, recognised by its magic number.
// Throws FormatError for an unknown or damaged file.
std::unique_ptr<ByteModel> loadByteModel(const std::string& path);
// Builds a model from bytes embedded in a container.
std::unique_ptr<ByteModel> deserializeByteModel(ModelKind kind, const std::vector<uint8_t>& bytes);

}  // namespace eqlab
