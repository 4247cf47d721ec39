#include "models/m1_byte_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/hashes.h"
#include "models/model_batch.h"

namespace eqlab {

std::string m1WeightsHash(const m1::M1Weights& w, int numerics) {
    std::vector<uint8_t> bytes = w.tensorBytes();
    const std::string tag = "eqlab-m1-numerics-" + std::to_string(numerics);
    bytes.insert(bytes.end(), tag.begin(), tag.end());
    return sha256Hex(bytes.data(), bytes.size());
}

std::unique_ptr<ByteModel> loadM1ByteModel(const std::string& path) {
    return M1Model::load(path);
}

// A batch stream's initial KV capacity in positions. Equal-Info windows hold
// a few bytes: a full-context cache costs ~6 MB per stream, and a few
// positions' keys in it touch 64 cache lines per head for 16 floats each (a
// 16-slot cache's keys fill their lines); chunks grow it by doubling.
constexpr int kBatchCacheStart = 16;

// Streams of one M1 runtime: clones of the model, prepared together.
class M1Batch final : public ModelBatch {
public:
    M1Batch(const M1Model& model, size_t streams, WorkerTeam* team) : team_(team) {
        models_.reserve(streams);
        for (size_t s = 0; s < streams; ++s)
            models_.emplace_back(new M1Model(model.weights_, model.runtime_, model.hash_, kBatchCacheStart));
    }
    void reset(size_t s) override { models_[s]->reset(); }
    void setLookahead(size_t s, const uint8_t* bytes, size_t count) override { models_[s]->setLookahead(bytes, count); }
    void prepare(const size_t* streams, size_t count) override {
        pending_.clear();
        for (size_t i = 0; i < count; ++i) pending_.push_back(models_[streams[i]].get());
        M1Model::computeBatch(pending_, team_);
    }
    bool ready(size_t s) const override { return models_[s]->ready(); }
    const Cdf& cdf(size_t s, int precision) override { return models_[s]->cdf(precision); }
    void advance(size_t s, uint8_t byte) override { models_[s]->advance(byte); }

private:
    std::vector<std::unique_ptr<M1Model>> models_;
    std::vector<M1Model*> pending_;
    WorkerTeam* team_;
};

std::unique_ptr<ModelBatch> M1Model::openBatch(size_t streams, WorkerTeam* team) const {
    return std::make_unique<M1Batch>(*this, streams, team);
}

std::unique_ptr<M1Model> M1Model::load(const std::string& path) {
    const std::vector<uint8_t> bytes = readFile(path, uint64_t(1) << 31);
    std::shared_ptr<const m1::M1Weights> weights;
    try {
        weights = std::make_shared<const m1::M1Weights>(m1::M1Weights::deserialize(bytes.data(), bytes.size()));
    } catch (const m1::M1FormatError& e) {
        throw FormatError(path + ": " + e.what());
    }
    // A model made for numerics this runtime does not compute (a later
    // eqlab's) would code containers that its own eqlab does not decode:
    // refused, naming both.
    const int stamped = weights->provenance.numericsVersion;
    if (!m1::computesNumerics(stamped))
        throw FormatError(path + ": this M1 model was made for numerics version " + std::to_string(stamped) +
                          ", this eqlab's runtime computes version " + std::to_string(m1::kNumericsVersion) +
                          "; it computes versions " + std::to_string(m1::kOldestNumericsVersion) + " to " +
                          std::to_string(m1::kNumericsVersion) +
                          " and no other. To use it here, re-stamp it: eqlab-cli stamp-m1 " + path + " OUT.eqm1");
    return std::make_unique<M1Model>(std::move(weights));
}

M1Model::M1Model(std::shared_ptr<const m1::M1Weights> weights)
    : M1Model(weights, std::make_shared<const m1::M1Runtime>(*weights, weights->provenance.numericsVersion),
              m1WeightsHash(*weights, weights->provenance.numericsVersion)) {}

std::shared_ptr<ByteModel> M1Model::withHash(const std::string& hash) const {
    for (int v = m1::kOldestNumericsVersion; v <= m1::kNumericsVersion; ++v)
        if (v != runtime_->numerics() && m1WeightsHash(*weights_, v) == hash)
            return std::shared_ptr<ByteModel>(
                new M1Model(weights_, std::make_shared<const m1::M1Runtime>(*weights_, v), hash));
    return nullptr;
}

M1Model::M1Model(std::shared_ptr<const m1::M1Weights> w, std::shared_ptr<const m1::M1Runtime> rt, std::string hash,
                 int cacheCapacity)
    : weights_(std::move(w)),
      runtime_(std::move(rt)),
      hash_(std::move(hash)),
      stream_(runtime_->newStream(cacheCapacity)) {
    reset();
}

void M1Model::probabilities(float* out) {
    if (!ready_) compute();
    requireFinite();
    std::copy(probs_, probs_ + m1::kVocab, out);
}

std::unique_ptr<ByteModel> M1Model::clone() const {
    return std::unique_ptr<ByteModel>(new M1Model(weights_, runtime_, hash_));
}

std::string M1Model::name() const {
    char buf[160];
    const auto& p = weights_->provenance;
    std::snprintf(buf, sizeof buf, "M1 %s, %.2fM params, valid %.3f bits/byte", weights_->config.describe().c_str(),
                  double(weights_->config.nonEmbeddingParams()) / 1e6, p.validBitsPerByte);
    return buf;
}

namespace {
constexpr size_t kMinSpeculation = 2;   // positions evaluated by a run's first runtime call at least...
constexpr size_t kMaxSpeculation = 64;  // ...and at most
constexpr size_t kContinuation = 1;     // positions per call once a run outlasts its usual length
}  // namespace

void M1Model::reset() {
    runLength_ = 0.9 * runLength_ + 0.1 * double(run_);
    run_ = 0;
    stream_.length = 0;  // cached keys/values of earlier windows are never read again
    realLength_ = 0;
    next_ = m1::kBos;
    ready_ = false;
    lookahead_ = nullptr;
    lookaheadCount_ = 0;
}

void M1Model::setLookahead(const uint8_t* bytes, size_t count) {
    lookahead_ = bytes;
    lookaheadCount_ = count;
}

void M1Model::requireFinite() const {
    for (int s = 0; s < m1::kVocab; ++s)
        if (!std::isfinite(probs_[s]))
            throw FormatError("the model (" + name() +
                              ") produces non-finite probabilities (NaN or infinity): its weights overflow float "
                              "arithmetic, so it cannot code text");
}

void M1Model::compute() {
    computeBatch({this});
}

size_t M1Model::queueRows(std::vector<int>& tokens, std::vector<m1::M1Stream*>& rows) {
    // Feed next_ and, speculatively, the lookahead bytes after it: rows that
    // are consecutive positions of this stream. Row independence makes each
    // distribution exactly what feeding one token at a time would give.
    // How many: after a reset, as many as the usual run between resets (an
    // Equal-Info window's bytes, a running mean, rounded down). A run that
    // outlasts that mostly ends soon, so it goes on one at a time, until it
    // is clearly a long run (a whole stream), which then doubles. Each call
    // costs a pass over the weights, each row its arithmetic; but many lanes
    // share each call (lane_engine.h), so a lane's extra call mostly rides on
    // a call the others make anyway, while a row past the window's end is
    // thrown away. Against the usual run plus the position that ends it, then
    // two at a time: rows per coded byte on the bundled sample 1.39 -> 1.26
    // (at least 1.23: a window also evaluates the byte that does not fit),
    // eqinfo-ac b = 16 encoding of 64 KB of m1-valid 7% faster on one thread
    // and 5% on two (farm-bench, medians of 7 pairs).
    size_t want = kContinuation;
    if (run_ == 0)
        want = std::clamp(size_t(runLength_), kMinSpeculation, kMaxSpeculation);
    else if (double(run_) >= 2.0 * runLength_)
        want = std::clamp(run_, kContinuation, kMaxSpeculation);
    // Past the context the cache slides; its ring's slack (kSlidingSlack)
    // keeps every slot a real row reads from being overwritten by a
    // speculated row, even one whose guess is then rejected.
    static_assert(kMaxSpeculation <= size_t(m1::kSlidingSlack) + 1, "speculation within the sliding ring's slack");
    const size_t extra = std::min(lookaheadCount_, want - 1);
    tokens.push_back(next_);
    for (size_t i = 0; i < extra; ++i) tokens.push_back(lookahead_[i]);
    rows.insert(rows.end(), 1 + extra, &stream_);
    stream_.length = realLength_;
    specBytes_.assign(lookahead_, lookahead_ + extra);
    return 1 + extra;
}

void M1Model::acceptRows(const float* probs, size_t count) {
    spec_.assign(probs, probs + count * m1::kVocab);
    specIndex_ = 0;
    ++realLength_;  // next_ is real; the rest is speculation until advanced over
    probs_ = spec_.data();
    ready_ = true;
    cachedPrecision_ = 0;
}

void M1Model::computeBatch(const std::vector<M1Model*>& models, WorkerTeam* team) {
    std::vector<int> tokens;
    std::vector<m1::M1Stream*> rows;
    std::vector<std::pair<M1Model*, size_t>> queued;
    for (M1Model* m : models) {
        if (m->ready_) continue;
        if (!queued.empty() && m->runtime_ != queued.front().first->runtime_)
            throw std::logic_error("M1Model::computeBatch: models on different runtimes");
        queued.emplace_back(m, m->queueRows(tokens, rows));
    }
    if (queued.empty()) return;
    std::vector<float> probs(tokens.size() * m1::kVocab);
    queued.front().first->runtime_->step(rows.data(), tokens.data(), int(tokens.size()), probs.data(), team);
    size_t offset = 0;
    for (auto [m, count] : queued) {
        m->acceptRows(probs.data() + offset * m1::kVocab, count);
        offset += count;
    }
}

const Cdf& M1Model::cdf(int precision) {
    if (!ready_) compute();
    if (precision != cachedPrecision_) {
        requireFinite();  // the quantiser would read NaN as 0: a silent uniform CDF, 8 bits per byte
        quantizeProbabilities(probs_, precision, cache_);
        cachedPrecision_ = precision;
    }
    return cache_;
}

void M1Model::advance(uint8_t byte) {
    ++run_;
    if (!ready_) compute();  // next_ must be fed before byte
    // The lookahead now starts after `byte`, or is void if it guessed wrong.
    if (lookaheadCount_ > 0 && lookahead_[0] == byte) {
        ++lookahead_;
        --lookaheadCount_;
    } else {
        lookahead_ = nullptr;
        lookaheadCount_ = 0;
    }
    if (specIndex_ < specBytes_.size() && specBytes_[specIndex_] == byte) {
        // The speculation already holds the distribution after this byte.
        ++specIndex_;
        ++realLength_;
        probs_ = spec_.data() + specIndex_ * m1::kVocab;
        cachedPrecision_ = 0;
        return;
    }
    next_ = byte;
    ready_ = false;
}

}  // namespace eqlab
