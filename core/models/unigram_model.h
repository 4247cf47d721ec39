// A static byte unigram model: counts fitted on a corpus, context ignored
// (static-ac's model).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "models/byte_model.h"

namespace eqlab {

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
    // Whether `data` starts with a unigram model's magic number.
    static bool isUnigramFile(const uint8_t* data, size_t size);
    static UnigramModel load(const std::string& path);
    void save(const std::string& path) const;

    ModelKind kind() const override { return ModelKind::Unigram; }
    std::string name() const override { return "unigram(" + name_ + ")"; }
    std::string hash() const override;
    std::vector<uint8_t> serialize() const override;
    void reset() override {}
    const Cdf& cdf(int precision) override;
    void probabilities(float* out) override;  // probabilities() below, whatever the context
    void advance(uint8_t) override {}
    std::unique_ptr<ByteModel> clone() const override { return std::make_unique<UnigramModel>(*this); }

    const std::vector<uint64_t>& counts() const { return counts_; }
    // Model probabilities as floats (add-one smoothed), the quantiser's input.
    std::vector<float> probabilities() const;

private:
    void fillProbabilities(float* out) const;  // kAlphabet floats, no allocation

    std::string name_;
    std::vector<uint64_t> counts_ = std::vector<uint64_t>(kAlphabet, 0);
    Cdf cache_;
    int cachedPrecision_ = 0;
};

}  // namespace eqlab
