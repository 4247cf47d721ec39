// The M1 adapter: M1 behind the ByteModel interface, on the deterministic
// runtime. The only code that knows the concrete M1Model; everything else
// reaches M1 through ByteModel and ModelBatch (many streams, one runtime call).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "m1/m1_runtime.h"
#include "models/byte_model.h"

namespace eqlab {

// Loads M1 weights as a byte model; throws FormatError naming the problem.
std::unique_ptr<ByteModel> loadM1ByteModel(const std::string& path);
// The identity a container records for M1 weights computed under a numerics
// version: SHA-256 of the tensors and the version (decoding needs both to be
// the same as when encoding).
std::string m1WeightsHash(const m1::M1Weights& weights, int numerics);

class M1Model final : public ByteModel {
public:
    // Loads an M1 weight file; throws FormatError naming the problem, or a
    // model stamped for numerics the runtime does not compute (naming both).
    static std::unique_ptr<M1Model> load(const std::string& path);
    // Under the numerics the weights are stamped with.
    explicit M1Model(std::shared_ptr<const m1::M1Weights> weights);

    ModelKind kind() const override { return ModelKind::M1; }
    std::string name() const override;
    // SHA-256 of the tensors and the runtime's numerics version: decoding
    // needs both to be the same as when encoding.
    std::string hash() const override { return hash_; }
    // The same weights under another numerics version the runtime computes,
    // when that is the one `hash` names: a container coded before the model
    // was re-stamped decodes with it.
    std::shared_ptr<ByteModel> withHash(const std::string& hash) const override;
    std::vector<uint8_t> serialize() const override { return {}; }  // too big to embed
    void reset() override;
    const Cdf& cdf(int precision) override;
    void advance(uint8_t byte) override;
    void setLookahead(const uint8_t* bytes, size_t count) override;
    // True when the next distribution needs no runtime call.
    bool ready() const { return ready_; }

    // A second model on the same weights with its own context (for threads).
    std::unique_ptr<ByteModel> clone() const override;
    // Streams on the same runtime; prepare() computes every stream that is
    // not ready in one runtime call, shared by `team`.
    std::unique_ptr<ModelBatch> openBatch(size_t streams, WorkerTeam* team) const override;
    bool batchesStreams() const override { return true; }
    // The runtime's next-byte probabilities, the floats the CDF is quantised from.
    void probabilities(float* out) override;

private:
    friend class M1Batch;
    // Makes every model that is not ready ready, with one runtime call for
    // all of them (their rows side by side: one pass over the weights serves
    // every stream). The models must share a runtime (clones do). Each
    // model's probabilities are exactly what it would compute alone; a team
    // shares the call's work and changes none of them.
    static void computeBatch(const std::vector<M1Model*>& models, WorkerTeam* team = nullptr);
    // cacheCapacity: the stream's initial KV capacity in positions (0: M1's
    // context); a smaller one grows on demand.
    M1Model(std::shared_ptr<const m1::M1Weights> w, std::shared_ptr<const m1::M1Runtime> rt, std::string hash,
            int cacheCapacity = 0);
    // Computes the probabilities after feeding `next_` (and, speculatively,
    // after each lookahead byte too, in the same runtime call).
    void compute();
    // Throws FormatError naming the model when the distribution ready in probs_ holds a NaN or an infinity.
    void requireFinite() const;
    // computeBatch's halves: queue this model's rows; take their probabilities.
    size_t queueRows(std::vector<int>& tokens, std::vector<m1::M1Stream*>& rows);
    void acceptRows(const float* probs, size_t count);

    std::shared_ptr<const m1::M1Weights> weights_;
    std::shared_ptr<const m1::M1Runtime> runtime_;
    std::string hash_;
    m1::M1Stream stream_;
    int64_t realLength_ = 0;          // positions of stream_ that hold real (not speculated) tokens
    int next_ = m1::kBos;             // the token to feed before the next distribution
    bool ready_ = false;              // probs_ holds the distribution after next_
    const float* probs_ = nullptr;    // current distribution (points into spec_)
    std::vector<float> spec_;         // [count][256]: distributions after next_, lookahead[0], ...
    std::vector<uint8_t> specBytes_;  // the lookahead bytes the speculation assumed
    size_t specIndex_ = 0;
    const uint8_t* lookahead_ = nullptr;  // bytes expected after next_
    size_t lookaheadCount_ = 0;
    double runLength_ = 8.0;  // running mean of bytes advanced between resets (sizes the speculation)
    size_t run_ = 0;
    Cdf cache_;
    int cachedPrecision_ = 0;
};

}  // namespace eqlab
