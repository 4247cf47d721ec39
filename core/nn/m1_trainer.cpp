#include "nn/m1_trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include "base/errors.h"
#include "base/output_file.h"
#include "base/text.h"
#include "m1/m1_runtime.h"  // kNumericsVersion, stamped on every model written
#include "nn/data_parallel.h"
#include "nn/m1_module.h"
#include "nn/torch_tuning.h"

namespace eqlab::m1 {

namespace {

constexpr double kLn2 = 0.69314718055994530942;
constexpr double kLossSmoothing = 0.98;   // EMA factor of the reported training loss
constexpr size_t kAugmentSlack = 16;      // raw bytes beyond the sequence, for variations that shorten text
constexpr double kMaxBinaryShare = 0.01;  // more control bytes than this (NUL, ESC...) and a file is not text
constexpr int kMaxValidWindow = 1024;     // validation windows: the context, at most this many bytes

// The compressed format whose magic number `bytes` starts with, or nullptr:
// corpora are sometimes given still compressed.
const char* compressedFormat(const std::string& bytes) {
    struct Magic {
        std::string_view bytes;
        const char* name;
    };
    static const Magic kMagics[] = {{"\x1f\x8b", "gzip"},
                                    {std::string_view("\xfd\x37\x7a\x58\x5a\x00", 6), "xz"},
                                    {"\x28\xb5\x2f\xfd", "zstd"},
                                    {"PK\x03\x04", "zip"}};
    for (const Magic& m : kMagics)
        if (std::string_view(bytes).substr(0, m.bytes.size()) == m.bytes) return m.name;
    return nullptr;
}

// Throws Error naming `path` (the `role`: "corpus" or "validation
// text") when its bytes cannot train or score M1: none, not text (compressed
// or binary), or fewer than `minBytes` (`unit` says what that many is).
void checkText(const std::string& role, const std::string& path, const std::string& bytes, size_t minBytes,
               const std::string& unit) {
    const std::string what = "the " + role + " " + path;
    if (bytes.empty()) throw Error(what + " is empty");
    if (const char* format = compressedFormat(bytes))
        throw Error(what + " is " + format + "-compressed, not text: decompress it first");
    const double binary = binaryByteShare(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    if (binary > kMaxBinaryShare) {
        char share[32];
        std::snprintf(share, sizeof share, "%.1f%%", 100.0 * binary);
        throw Error(what + " is not text: " + share +
                    " of its bytes are control bytes such as NUL (text has next to none)");
    }
    if (bytes.size() < minBytes)
        throw Error(what + " has " + std::to_string(bytes.size()) + " bytes, fewer than " + unit);
}

std::string readAll(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

// Writes through OutputFile: atomic, every write checked.
void writeText(const std::string& path, const std::string& data) {
    writeFile(path, reinterpret_cast<const uint8_t*>(data.data()), data.size());
}

void saveWeights(const M1Weights& w, const std::string& path) {
    writeFile(path, w.serialize());
}

// Fraction of the run done: by steps, or by time when there is a time budget.
double runProgress(const TrainOptions& o, int64_t step, double seconds) {
    double f = double(step) / double(o.steps);
    if (o.maxSeconds > 0) f = std::max(f, seconds / o.maxSeconds);
    return std::min(1.0, f);
}

double learningRate(const TrainOptions& o, double progress) {
    if (progress < o.warmupFraction) return o.lr * std::max(progress / o.warmupFraction, 1e-3);
    const double t = (progress - o.warmupFraction) / std::max(1e-9, 1.0 - o.warmupFraction);
    return o.lr * (o.minLrFraction + (1.0 - o.minLrFraction) * 0.5 * (1.0 + std::cos(M_PI * t)));
}

// Inputs [B, T] (BOS then T-1 bytes) and targets [B, T]: the first T bytes of each sequence.
std::pair<torch::Tensor, torch::Tensor> makeBatch(const std::vector<std::string_view>& seqs, int T) {
    const int64_t B = int64_t(seqs.size());
    auto in = torch::empty({B, T}, torch::kLong);
    auto tg = torch::empty({B, T}, torch::kLong);
    auto* pi = in.data_ptr<int64_t>();
    auto* pt = tg.data_ptr<int64_t>();
    for (int64_t b = 0; b < B; ++b) {
        const auto* src = reinterpret_cast<const uint8_t*>(seqs[size_t(b)].data());
        pi[b * T] = kBos;
        for (int t = 0; t < T; ++t) {
            pt[b * T + t] = src[t];
            if (t + 1 < T) pi[b * T + t + 1] = src[t];
        }
    }
    return {in, tg};
}

// Validation bits/byte over non-overlapping windows of T bytes; data
// parallel, each rank scores every size-th batch and the sums are added.
double evaluate(M1& model, const std::string& text, uint64_t maxBytes, int T, const torch::Device& device,
                nn::DataParallel& dp) {
    torch::NoGradGuard guard;
    model->eval();
    const uint64_t n = std::min<uint64_t>(maxBytes, text.size());
    std::vector<uint64_t> offsets;
    for (uint64_t o = 0; o + uint64_t(T) <= n; o += uint64_t(T)) offsets.push_back(o);
    if (offsets.empty()) throw std::runtime_error("the validation text is shorter than one sequence");
    double nats = 0.0;
    constexpr size_t kEvalBatch = 32;
    for (size_t i = kEvalBatch * size_t(dp.rank()); i < offsets.size(); i += kEvalBatch * size_t(dp.size())) {
        std::vector<std::string_view> part;
        for (size_t j = i; j < std::min(offsets.size(), i + kEvalBatch); ++j)
            part.push_back(std::string_view(text).substr(offsets[j], size_t(T)));
        auto [in, tg] = makeBatch(part, T);
        auto logits = model->forward(in.to(device));
        auto loss = torch::nn::functional::cross_entropy(
            logits.reshape({-1, kVocab}), tg.to(device).reshape({-1}),
            torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
        nats += loss.item<double>();
    }
    model->train();
    if (dp.distributed()) nats = dp.sum({nats})[0];
    return nats / kLn2 / double(offsets.size() * size_t(T));
}

// What every rank of a data-parallel run must share.
nn::Agreement agreement(const M1Config& c, const TrainOptions& o, const std::string& corpus, const std::string& valid) {
    const auto num = nn::agreementNumber;
    nn::Agreement a = {{"model", c.describe()},
                       {"corpus", corpus},
                       {"validation text", valid},
                       {"--out", o.out},
                       {"--init", o.init},
                       {"--resume", o.resume ? "yes" : "no"},
                       {"--steps", std::to_string(o.steps)},
                       {"--minutes", num(o.maxSeconds / 60)},
                       {"--batch", std::to_string(o.batch)},
                       {"--seq", std::to_string(o.seq)},
                       {"--seed", std::to_string(o.seed)},
                       {"--augment", num(o.augment)},
                       {"--valid-every", std::to_string(o.validEvery)},
                       {"--valid-bytes", std::to_string(o.validBytes)},
                       {"--checkpoint-minutes", num(o.checkpointSeconds / 60)},
                       {"--keep-best", o.keepBest ? "yes" : "no"},
                       {"--device", o.device}};
    const nn::Agreement schedule =
        nn::optimizerAgreement(o.lr, o.warmupFraction, o.minLrFraction, o.weightDecay, o.clip);
    a.insert(a.end(), schedule.begin(), schedule.end());
    return a;
}

struct RunState {
    int64_t step = 0;
    uint64_t bytesSeen = 0;
    double seconds = 0.0;
    double validBpb = 0.0;
    double smoothLoss = 0.0;
    std::mt19937_64 rng;
};

M1Provenance provenance(const RunState& s, const TrainOptions& o, const std::string& corpusHash) {
    M1Provenance p;
    p.steps = uint64_t(s.step);
    p.seed = o.seed;
    p.validBitsPerByte = s.validBpb;
    p.bytesSeen = s.bytesSeen;
    p.trainSeconds = s.seconds;
    p.corpusHash = corpusHash;
    p.corpusName = o.corpus.substr(o.corpus.find_last_of('/') + 1);
    p.note = o.note;
    p.numericsVersion = kNumericsVersion;
    return p;
}

void checkpoint(M1& model, torch::optim::AdamW& opt, const RunState& s, const TrainOptions& o,
                const std::string& corpusHash) {
    saveWeights(model->toWeights(provenance(s, o, corpusHash)), o.out);
    std::ostringstream optimizer;  // libtorch's archive, written by OutputFile like every other file
    torch::save(opt, optimizer);
    writeText(o.out + ".ckpt.opt", optimizer.str());
    std::ostringstream st;
    st << "eqlab-m1-checkpoint 1\n"
       << s.step << ' ' << s.bytesSeen << ' ' << s.seconds << ' ' << s.validBpb << ' ' << s.smoothLoss << '\n'
       << s.rng << '\n';
    writeText(o.out + ".ckpt.state", st.str());
}

void restore(M1& model, torch::optim::AdamW& opt, RunState& s, const TrainOptions& o, const torch::Device& device) {
    M1Weights w = M1Weights::load(o.out);
    model->loadWeights(w);
    model->to(device);
    torch::load(opt, o.out + ".ckpt.opt");
    std::istringstream st(readAll(o.out + ".ckpt.state"));
    std::string magic;
    int version = 0;
    st >> magic >> version;
    if (magic != "eqlab-m1-checkpoint" || version != 1)
        throw std::runtime_error(o.out + ".ckpt.state: not an eqlab checkpoint");
    st >> s.step >> s.bytesSeen >> s.seconds >> s.validBpb >> s.smoothLoss >> s.rng;
    if (!st) throw std::runtime_error(o.out + ".ckpt.state: damaged checkpoint");
}

}  // namespace

std::string augmentText(std::string_view raw, double p, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> coin(0.0, 1.0);
    const bool wrap = coin(rng) < p;
    const bool typography = coin(rng) < p;
    const int width = std::uniform_int_distribution<int>(45, 80)(rng);
    int column = std::uniform_int_distribution<int>(0, width - 1)(rng);
    std::string out;
    out.reserve(raw.size() + raw.size() / 8);
    auto opening = [&] {  // a quote opens after a space, a line start, a bracket or a dash
        if (out.empty()) return true;
        const char c = out.back();
        return c == ' ' || c == '\n' || c == '(' || c == '[' || uint8_t(c) == 0x94 || uint8_t(c) == 0x9c;
    };
    for (size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (typography && c == '"') {
            out += opening() ? "\u201c" : "\u201d";
        } else if (typography && c == '\'') {
            out += opening() ? "\u2018" : "\u2019";
        } else if (typography && c == '-' && i + 1 < raw.size() && raw[i + 1] == '-') {
            if (!out.empty() && out.back() == ' ') out.pop_back();
            out += "\u2014";
            ++i;
            if (i + 1 < raw.size() && raw[i + 1] == ' ') ++i;
        } else if (wrap && c == ' ' && column >= width) {
            out += '\n';
            column = 0;
            continue;
        } else {
            out += c;
        }
        column = c == '\n' ? 0 : column + 1;
    }
    return out;
}

std::string describe(const TrainProgress& p) {
    char buf[256];
    int n = std::snprintf(buf, sizeof buf, "step %lld/%lld  loss %.3f bits/byte  lr %.2e  %.0f bytes/s  %.0f s",
                          (long long)p.step, (long long)p.steps, p.loss, p.lr,
                          p.seconds > 0 ? double(p.bytesSeen) / p.seconds : 0.0, p.seconds);
    if (p.validBitsPerByte) n += std::snprintf(buf + n, sizeof buf - size_t(n), "  valid %.4f", *p.validBitsPerByte);
    if (p.checkpointed) std::snprintf(buf + n, sizeof buf - size_t(n), "  [checkpoint]");
    return buf;
}

std::string corpusId(const std::string& bytes) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
    char buf[64];
    std::snprintf(buf, sizeof buf, "fnv1a64:%016llx:%llu", (unsigned long long)h, (unsigned long long)bytes.size());
    return buf;
}

TrainResult train(const M1Config& asked, const TrainOptions& o,
                  const std::function<bool(const TrainProgress&)>& progress) {
    std::optional<M1Weights> start;
    if (!o.init.empty() && !o.resume) start = M1Weights::load(o.init);
    const M1Config config = start ? start->config : asked;
    config.validate();
    if (o.seq < 2 || o.seq > config.context) throw std::runtime_error("--seq must be between 2 and the context length");
    if (o.batch < 1 || o.steps < 1) throw std::runtime_error("--batch and --steps must be positive");
    if (o.threads > 0) nn::setTorchThreads(o.threads);
    nn::tuneAllocatorForTraining();
    const nn::CachedMemoryReleaser releaser;
    const torch::Device device(o.device == "cuda" ? torch::kCUDA : torch::kCPU);
    if (device.is_cuda() && !torch::cuda::is_available()) throw std::runtime_error("CUDA is not available");

    // Every input and the output are checked before the first step: a bad
    // file found after hours of training loses them.
    const std::string text = readAll(o.corpus);
    checkText("corpus", o.corpus, text, size_t(o.seq) + 1,
              "one training sequence (--seq " + std::to_string(o.seq) + " and one more)");
    const std::string valid = readAll(o.valid);
    const int validWindow = std::min(config.context, kMaxValidWindow);
    checkText("validation text", o.valid, valid, size_t(validWindow),
              "one validation window (" + std::to_string(validWindow) + " bytes)");
    if (o.validBytes < uint64_t(validWindow))
        throw InvalidArgument("--valid-bytes " + std::to_string(o.validBytes) +
                              " is less than one validation window (" + std::to_string(validWindow) + " bytes)");
    nn::DataParallel dp(o.group);
    if (dp.distributed() && device.is_cuda())
        throw InvalidArgument(
            "data-parallel training runs on CPU (Gloo); on CUDA it needs NCCL, which eqlab does "
            "not use yet: train on one GPU, or data-parallel with --device cpu");
    if (dp.writes()) {
        // Opening the output creates its temporary beside it; going out of
        // scope uncommitted removes it again. Refuses a corpus as the output.
        OutputFile probe(o.out, {o.corpus, o.valid});
    }
    const std::string corpusHash = corpusId(text);
    if (dp.distributed())
        dp.group()->agree("train-m1 options or data", agreement(config, o, corpusHash, corpusId(valid)));

    torch::manual_seed(o.seed);
    M1 model(config);
    model->to(device);
    torch::optim::AdamW opt(model->parameters(),
                            torch::optim::AdamWOptions(o.lr).betas({0.9, 0.95}).weight_decay(o.weightDecay));
    RunState s;
    s.rng.seed(o.seed);
    if (o.resume) restore(model, opt, s, o, device);

    if (start) {
        model->loadWeights(*start);
        model->to(device);
    }
    dp.broadcastParameters(model->parameters());  // the same start on every rank
    std::uniform_int_distribution<uint64_t> pick(0, text.size() - size_t(o.seq));
    double bestValid = 1e300;
    if (o.keepBest && o.resume) {
        try {
            bestValid = M1Weights::load(o.out + ".best").provenance.validBitsPerByte;
        } catch (const std::exception&) {
        }
    }
    auto lastCheckpoint = std::chrono::steady_clock::now();
    auto lastTick = lastCheckpoint;
    TrainResult result;
    model->train();
    while (s.step < o.steps && runProgress(o, s.step, s.seconds) < 1.0) {
        const double lr = learningRate(o, runProgress(o, s.step, s.seconds));
        for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
        std::vector<std::string> augmented;
        std::vector<std::string_view> seqs;
        augmented.reserve(size_t(o.batch));
        // Every rank draws the whole step's sequences (the sampler stays one) and keeps its own share.
        const int first = o.batch * dp.rank();
        for (int b = 0; b < o.batch * dp.size(); ++b) {
            const auto raw = std::string_view(text).substr(pick(s.rng), size_t(o.seq) + kAugmentSlack);
            if (b < first || b >= first + o.batch) {
                if (o.augment > 0) augmentText(raw, o.augment, s.rng);  // the same draws as the rank that keeps it
                continue;
            }
            if (o.augment > 0) {
                augmented.push_back(augmentText(raw, o.augment, s.rng));
                if (augmented.back().size() >= size_t(o.seq)) {
                    seqs.push_back(augmented.back());
                    continue;
                }
            }
            seqs.push_back(raw);
        }
        auto [in, tg] = makeBatch(seqs, o.seq);
        auto logits = model->forward(in.to(device));
        auto loss = torch::nn::functional::cross_entropy(logits.reshape({-1, kVocab}), tg.to(device).reshape({-1}));
        if (dp.distributed()) loss = loss / double(dp.size());  // summed over the ranks: the mean of all
        opt.zero_grad();
        loss.backward();
        dp.sumGradients(model->parameters());
        torch::nn::utils::clip_grad_norm_(model->parameters(), o.clip);
        opt.step();

        const auto now = std::chrono::steady_clock::now();
        // The ranks agree on the loss (the sum of their shares) and the time (their mean).
        const std::vector<double> control =
            dp.sum({loss.item<double>(), std::chrono::duration<double>(now - lastTick).count()});
        lastTick = now;
        const double bits = control[0] / kLn2;
        s.smoothLoss = s.step == 0 ? bits : kLossSmoothing * s.smoothLoss + (1 - kLossSmoothing) * bits;
        ++s.step;
        s.bytesSeen += uint64_t(o.batch) * uint64_t(o.seq) * uint64_t(dp.size());
        s.seconds += control[1] / dp.size();

        TrainProgress p;
        p.step = s.step;
        p.steps = o.steps;
        p.loss = s.smoothLoss;
        p.lr = lr;
        p.bytesSeen = s.bytesSeen;
        p.seconds = s.seconds;
        p.rank = dp.rank();
        const bool last = runProgress(o, s.step, s.seconds) >= 1.0;
        if (s.step % o.validEvery == 0 || last) {
            s.validBpb = evaluate(model, valid, o.validBytes, validWindow, device, dp);
            p.validBitsPerByte = s.validBpb;
            if (o.keepBest && s.validBpb < bestValid && dp.writes()) {
                bestValid = s.validBpb;
                saveWeights(model->toWeights(provenance(s, o, corpusHash)), o.out + ".best");
            }
        }
        // Rank 0's clock decides; every rank then resets its own, so that no rank counts the writing as training.
        const bool due = dp.anyRank(dp.writes() &&
                                    std::chrono::duration<double>(now - lastCheckpoint).count() >= o.checkpointSeconds);
        if (due || last) {
            if (dp.writes()) checkpoint(model, opt, s, o, corpusHash);
            dp.barrier();
            lastCheckpoint = std::chrono::steady_clock::now();
            lastTick = lastCheckpoint;  // checkpoint time is not training time
            p.checkpointed = true;
        }
        const bool stop = dp.anyRank(progress && !progress(p));  // one rank's stop stops them all
        if (stop) {
            if (!p.checkpointed && dp.writes()) checkpoint(model, opt, s, o, corpusHash);
            result.stopped = true;
            break;
        }
    }
    result.steps = s.step;
    result.rank = dp.rank();
    result.ranks = dp.size();
    result.validBitsPerByte = s.validBpb;
    result.seconds = s.seconds;
    return result;
}

double validationBitsPerByte(const M1Weights& weights, const std::string& path, uint64_t maxBytes, int window) {
    nn::tuneAllocatorForTraining();  // batches of 32 windows: 512 MB attention tensors at 1,024 bytes
    const nn::CachedMemoryReleaser releaser;
    M1 model(weights.config);
    model->loadWeights(weights);
    nn::DataParallel one(nullptr);
    return evaluate(model, readAll(path), maxBytes, std::min(window, weights.config.context), torch::kCPU, one);
}

}  // namespace eqlab::m1
