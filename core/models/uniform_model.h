// The uniform byte model: every byte equally likely, context ignored.
#pragma once

#include "models/byte_model.h"

namespace eqlab {

class UniformModel final : public ByteModel {
public:
    ModelKind kind() const override { return ModelKind::Uniform; }
    std::string name() const override { return "uniform"; }
    std::string hash() const override;
    std::vector<uint8_t> serialize() const override { return {}; }
    void reset() override {}
    const Cdf& cdf(int precision) override;
    void probabilities(float* out) override;  // 1/256 each (exact in a float)
    void advance(uint8_t) override {}
    std::unique_ptr<ByteModel> clone() const override { return std::make_unique<UniformModel>(*this); }

private:
    Cdf cache_;
    int cachedPrecision_ = 0;
};

}  // namespace eqlab
