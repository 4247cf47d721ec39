#include "m2/m2_trainer.h"

#include <torch/torch.h>

#include <QDir>
#include <chrono>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "m2/m2_checkpoint.h"
#include "m2/run_label.h"
#include "m2/run_record.h"
#include "nn/data_parallel.h"
#include "nn/m1_module.h"
#include "nn/m1_trainer.h"
#include "nn/torch_tuning.h"

namespace eqlab::m2 {

namespace {

constexpr double kLn2 = 0.69314718055994530942;
constexpr double kLossSmoothing = 0.95;

m1::M1Config toM1Config(const M2Config& c, int seq) {
    m1::M1Config m;
    m.dModel = c.dModel;
    m.heads = c.heads;
    m.layers = c.layers;
    m.mlp = c.mlp;
    m.context = seq;
    m.validate();
    return m;
}

// Inputs [B, S] (BOS = v, then tokens 0..S-2), targets [B, S], mask [B, S] for rows `rows` of a split.
struct Batch {
    torch::Tensor in, target, mask, position;
};
Batch makeBatch(const Dataset& d, const Split& s, const std::vector<size_t>& rows) {
    const int S = d.seqTokens;
    const int64_t B = int64_t(rows.size());
    auto in = torch::empty({B, S}, torch::kLong), tg = torch::empty({B, S}, torch::kLong);
    auto mask = torch::zeros({B, S}, torch::kFloat);
    auto* pi = in.data_ptr<int64_t>();
    auto* pt = tg.data_ptr<int64_t>();
    auto* pm = mask.data_ptr<float>();
    for (int64_t b = 0; b < B; ++b) {
        const uint16_t* row = s.row(rows[size_t(b)], S);
        const uint32_t len = s.lengths[rows[size_t(b)]];
        pi[b * S] = int64_t(d.vocab);
        for (int t = 0; t < S; ++t) {
            pt[b * S + t] = row[t];
            if (t + 1 < S) pi[b * S + t + 1] = row[t];
            pm[b * S + t] = uint32_t(t) < len ? 1.0f : 0.0f;
        }
    }
    auto position = torch::arange(S, torch::kLong).unsqueeze(0).expand({B, S});
    return {in, tg, mask, position};
}

struct Eval {
    double bitsPerToken = 0, bitsPerByte = 0, accuracy = 0;
    std::vector<double> byPosition;
};

// The validation split's scores; data parallel, each rank scores every
// size-th batch of 32 examples and the sums are added over the ranks.
Eval evaluate(m1::M1& model, const Dataset& d, const torch::Device& device, nn::DataParallel& dp) {
    torch::NoGradGuard guard;
    model->eval();
    const Split& s = d.valid;
    const int P = d.tokensPerWindow;
    double nats = 0, correct = 0, tokens = 0;
    std::vector<double> posCorrect(size_t(P), 0.0), posCount(size_t(P), 0.0);
    for (size_t i = 32 * size_t(dp.rank()); i < s.examples; i += 32 * size_t(dp.size())) {
        std::vector<size_t> rows;
        for (size_t j = i; j < std::min(s.examples, i + 32); ++j) rows.push_back(j);
        Batch b = makeBatch(d, s, rows);
        auto logits = model->forward(b.in.to(device));
        auto target = b.target.to(device), mask = b.mask.to(device);
        auto loss = torch::nn::functional::cross_entropy(
            logits.reshape({-1, int64_t(d.vocab)}), target.reshape({-1}),
            torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
        nats += (loss * mask.reshape({-1})).sum().item<double>();
        auto hit = (logits.argmax(-1) == target).to(torch::kFloat) * mask;
        correct += hit.sum().item<double>();
        tokens += mask.sum().item<double>();
        if (P > 0) {
            auto pos = (b.position.to(device) % P);
            for (int p = 0; p < P; ++p) {
                auto at = (pos == p).to(torch::kFloat) * mask;
                posCorrect[size_t(p)] += (hit * at).sum().item<double>();
                posCount[size_t(p)] += at.sum().item<double>();
            }
        }
    }
    model->train();
    if (dp.distributed()) {
        std::vector<double> sums = {nats, correct, tokens};
        sums.insert(sums.end(), posCorrect.begin(), posCorrect.end());
        sums.insert(sums.end(), posCount.begin(), posCount.end());
        sums = dp.sum(sums);
        nats = sums[0], correct = sums[1], tokens = sums[2];
        std::copy(sums.begin() + 3, sums.begin() + 3 + P, posCorrect.begin());
        std::copy(sums.begin() + 3 + P, sums.end(), posCount.begin());
    }
    Eval e;
    e.bitsPerToken = nats / kLn2 / std::max(1.0, tokens);
    e.bitsPerByte = nats / kLn2 / double(std::max<uint64_t>(1, s.totalBytes()));
    e.accuracy = correct / std::max(1.0, tokens);
    for (int p = 0; p < P; ++p) e.byPosition.push_back(posCorrect[size_t(p)] / std::max(1.0, posCount[size_t(p)]));
    return e;
}

double learningRate(const TrainOptions& o, double f) {
    if (f < o.warmupFraction) return o.lr * std::max(f / o.warmupFraction, 1e-3);
    const double t = (f - o.warmupFraction) / std::max(1e-9, 1.0 - o.warmupFraction);
    return o.lr * (o.minLrFraction + (1.0 - o.minLrFraction) * 0.5 * (1.0 + std::cos(M_PI * t)));
}

// What every rank of a data-parallel run must share.
nn::Agreement agreement(const Dataset& d, const M2Config& c, const TrainOptions& o) {
    const auto num = nn::agreementNumber;
    nn::Agreement a = {{"dataset key", d.key},
                       {"method", d.method},
                       {"model", c.describe()},
                       {"--run", o.runDir},
                       {"--resume", o.resume ? "yes" : "no"},
                       {"--steps", std::to_string(o.steps)},
                       {"--minutes", num(o.maxSeconds / 60)},
                       {"--batch", std::to_string(o.batch)},
                       {"--seed", std::to_string(o.seed)},
                       {"--eval-every", std::to_string(o.evalEvery)},
                       {"--checkpoint-minutes", num(o.checkpointSeconds / 60)},
                       {"--checkpoint-every", std::to_string(o.checkpointEvery)},
                       {"--check-sync", o.checkSync ? "yes" : "no"}};
    const nn::Agreement schedule =
        nn::optimizerAgreement(o.lr, o.warmupFraction, o.minLrFraction, o.weightDecay, o.clip);
    a.insert(a.end(), schedule.begin(), schedule.end());
    return a;
}

void writeText(const std::string& path, const std::string& text) {
    writeFile(path, std::vector<uint8_t>(text.begin(), text.end()));
}

}  // namespace

Baselines baselines(const Dataset& d) {
    Baselines b;
    b.uniformBitsPerToken = std::log2(double(d.vocab));
    const double validTokens = double(d.valid.totalTokens()),
                 validBytes = double(std::max<uint64_t>(1, d.valid.totalBytes()));
    b.uniformBitsPerByte = b.uniformBitsPerToken * validTokens / validBytes;
    std::vector<double> counts(size_t(d.vocab), 0.5);  // add-half smoothing: unseen tokens stay possible
    double total = 0.5 * double(d.vocab);
    for (size_t i = 0; i < d.train.examples; ++i)
        for (uint32_t t = 0; t < d.train.lengths[i]; ++t) {
            counts[d.train.row(i, d.seqTokens)[t]] += 1;
            total += 1;
        }
    double bits = 0;
    for (size_t i = 0; i < d.valid.examples; ++i)
        for (uint32_t t = 0; t < d.valid.lengths[i]; ++t)
            bits -= std::log2(counts[d.valid.row(i, d.seqTokens)[t]] / total);
    b.unigramBitsPerToken = bits / std::max(1.0, validTokens);
    b.unigramBitsPerByte = bits / validBytes;
    return b;
}

std::string logHeader(int positions) {
    std::string h =
        "step,tokens_seen,bytes_seen,seconds,lr,train_bits_per_token,valid_bits_per_token,valid_bits_per_byte,valid_"
        "accuracy";
    for (int p = 0; p < positions; ++p) h += ",accuracy_pos" + std::to_string(p);
    return h + "\n";
}

std::string logRow(const EvalPoint& p) {
    std::ostringstream s;
    s.precision(9);
    s << p.step << ',' << p.tokensSeen << ',' << p.bytesSeen << ',' << p.seconds << ',' << p.lr << ','
      << p.trainBitsPerToken << ',' << p.validBitsPerToken << ',' << p.validBitsPerByte << ',' << p.validAccuracy;
    for (double a : p.accuracyByPosition) s << ',' << a;
    s << '\n';
    return s.str();
}

std::vector<EvalPoint> readLog(const std::string& path) {
    std::ifstream f(path);
    if (!f) throw std::runtime_error("cannot read " + path);
    std::string line;
    std::getline(f, line);
    if (line.rfind("step,tokens_seen,", 0) != 0) throw std::runtime_error(path + ": not an eqlab M2 log");
    std::vector<EvalPoint> out;
    while (std::getline(f, line)) {
        if (line.empty()) continue;
        std::istringstream s(line);
        std::vector<double> v;
        std::string cell;
        while (std::getline(s, cell, ',')) v.push_back(std::stod(cell));
        if (v.size() < 9) throw std::runtime_error(path + ": a short row");
        EvalPoint p;
        p.step = int64_t(v[0]);
        p.tokensSeen = uint64_t(v[1]);
        p.bytesSeen = uint64_t(v[2]);
        p.seconds = v[3];
        p.lr = v[4];
        p.trainBitsPerToken = v[5];
        p.validBitsPerToken = v[6];
        p.validBitsPerByte = v[7];
        p.validAccuracy = v[8];
        p.accuracyByPosition.assign(v.begin() + 9, v.end());
        out.push_back(p);
    }
    return out;
}

TrainResult train(const Dataset& d, const M2Config& c, const TrainOptions& o,
                  const std::function<bool(const EvalPoint&)>& progress) {
    if (o.batch < 1 || o.steps < 1 || o.evalEvery < 1 || o.checkpointEvery < 0)
        throw std::runtime_error("batch, steps and eval-every must be positive, checkpoint-every not negative");
    if (o.runDir.empty()) throw std::runtime_error("a run folder is needed");
    nn::DataParallel dp(o.group);
    if (dp.distributed()) dp.group()->agree("train-m2 options or data", agreement(d, c, o));
    if (dp.writes() && !QDir().mkpath(QString::fromStdString(o.runDir)))
        throw std::runtime_error("cannot create " + o.runDir);
    if (o.threads > 0) nn::setTorchThreads(o.threads);
    nn::tuneAllocatorForTraining();
    const nn::CachedMemoryReleaser releaser;
    torch::manual_seed(int64_t(o.seed));
    const torch::Device device(torch::kCPU);
    m1::M1 model(toM1Config(c, d.seqTokens), int64_t(d.vocab) + 1, int64_t(d.vocab));
    torch::optim::AdamW opt(model->parameters(),
                            torch::optim::AdamWOptions(o.lr).betas({0.9, 0.95}).weight_decay(o.weightDecay));
    TrainResult result;
    result.base = baselines(d);
    std::mt19937_64 rng(o.seed);
    std::vector<EvalPoint> log;
    EvalPoint cur;
    double smooth = 0;
    if (o.resume) {
        const Checkpoint k = readCheckpoint(o.runDir);
        const std::string mismatch = resumeMismatch(k, d, c);
        if (!mismatch.empty())
            throw FormatError("cannot resume " + o.runDir + " on this dataset and model; the run's " + mismatch +
                              " (resume it on its own dataset, run.json's dataset_dir, and model shape)");
        try {
            std::istringstream ms(k.model), os(k.optimizer);
            torch::load(model, ms);
            torch::load(opt, os);
        } catch (const c10::Error& e) {
            // The CRC matched, so these are the bytes written: a libtorch of another version, most likely.
            throw FormatError(o.runDir + "/" + kCheckpointFile + ": libtorch cannot read its model or optimizer (" +
                              e.what_without_backtrace() + ")");
        }
        std::istringstream sampler(k.sampler);
        sampler >> rng;
        if (!sampler) throw FormatError(o.runDir + "/" + kCheckpointFile + ": a damaged sampler state");
        cur.step = k.step;
        cur.tokensSeen = k.tokensSeen;
        cur.bytesSeen = k.bytesSeen;
        cur.seconds = k.seconds;
        smooth = k.smoothedLoss;
        log = readLog(o.runDir + "/log.csv");
        while (!log.empty() && log.back().step > cur.step) log.pop_back();  // rows after the checkpoint are redone
        if (!log.empty()) {  // the last validation's figures, as the uninterrupted run has them at this step
            const EvalPoint& v = log.back();
            cur.lr = v.lr;
            cur.trainBitsPerToken = v.trainBitsPerToken;
            cur.validBitsPerToken = v.validBitsPerToken;
            cur.validBitsPerByte = v.validBitsPerByte;
            cur.validAccuracy = v.validAccuracy;
            cur.accuracyByPosition = v.accuracyByPosition;
        }
        result.resumedAt = uint64_t(cur.step);
    }
    // When the run began: a resumed run keeps its time; a new one takes its
    // folder's (Experiment::newRunDir's name), so that its label does not
    // change once run.json is written; a folder named by hand begins now.
    RunRecord before;
    if (o.resume) {
        try {
            before = readRunRecord(o.runDir);
        } catch (const std::exception&) {
            // No readable run.json (a run trained by hand into this folder): its folder's name, or now.
        }
    }
    // The step's batch is --batch x ranks: a resume on another number of ranks keeps it, or is refused.
    if (o.resume && before.batch > 0 && int64_t(before.batch) * before.ranks != int64_t(o.batch) * dp.size()) {
        const int total = before.batch * before.ranks;
        throw InvalidArgument("the run trained " + std::to_string(total) + " sequences a step (--batch " +
                              std::to_string(before.batch) + " on " + std::to_string(before.ranks) + " rank(s)); on " +
                              std::to_string(dp.size()) + " rank(s) resume it with --batch " +
                              (total % dp.size() == 0 ? std::to_string(total / dp.size())
                                                      : "(none: " + std::to_string(total) + " is not a multiple of " +
                                                            std::to_string(dp.size()) + ")"));
    }
    dp.broadcastParameters(model->parameters());  // the same start on every rank, whatever their seeds did
    std::string started = runStarted(before, o.runDir);
    if (started.empty()) started = startedNow();
    for (const EvalPoint& p : log)
        if (result.best.step == 0 || p.validBitsPerToken < result.best.validBitsPerToken) result.best = p;

    auto saveCheckpoint = [&](const std::string& status) {
        if (!dp.writes()) return;
        Checkpoint k;
        k.datasetKey = d.key;
        k.method = d.method;
        k.vocab = d.vocab;
        k.seqTokens = d.seqTokens;
        k.config = c;
        k.step = cur.step;
        k.tokensSeen = cur.tokensSeen;
        k.bytesSeen = cur.bytesSeen;
        k.seconds = cur.seconds;
        k.smoothedLoss = smooth;
        std::ostringstream ms, os, sampler;
        torch::save(model, ms);
        torch::save(opt, os);
        sampler << rng;
        k.model = ms.str();
        k.optimizer = os.str();
        k.sampler = sampler.str();
        writeCheckpoint(o.runDir, k);  // one file, atomic: a kill leaves the previous checkpoint whole
        writeRunRecord(o.runDir, makeRunRecord(d, c, o, result.base, result.best, cur, status, started));
    };
    auto writeLog = [&] {
        if (!dp.writes()) return;
        std::string csv = logHeader(d.tokensPerWindow);
        for (const EvalPoint& p : log) csv += logRow(p);
        writeText(o.runDir + "/log.csv", csv);
    };

    std::uniform_int_distribution<size_t> pick(0, d.train.examples - 1);
    const double bytesPerToken = double(d.train.totalBytes()) / double(std::max<uint64_t>(1, d.train.totalTokens()));
    auto fraction = [&] {
        double f = double(cur.step) / double(o.steps);
        if (o.maxSeconds > 0) f = std::max(f, cur.seconds / o.maxSeconds);
        return std::min(1.0, f);
    };
    auto tick = std::chrono::steady_clock::now();
    double lastCheckpointSeconds = cur.seconds;  // training time at the last checkpoint
    model->train();
    while (fraction() < 1.0) {
        cur.lr = learningRate(o, fraction());
        for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(cur.lr);
        // Every rank draws the whole step's examples and trains on its own share of them.
        std::vector<size_t> all(size_t(o.batch) * size_t(dp.size()));
        for (auto& r : all) r = pick(rng);
        uint64_t n = 0;  // the tokens this step scores, on all ranks
        for (size_t r : all) n += d.train.lengths[r];
        const auto mine = all.begin() + ptrdiff_t(o.batch) * dp.rank();
        Batch b = makeBatch(d, d.train, std::vector<size_t>(mine, mine + o.batch));
        auto logits = model->forward(b.in.to(device));
        auto mask = b.mask.to(device).reshape({-1});
        auto loss = (torch::nn::functional::cross_entropy(
                         logits.reshape({-1, int64_t(d.vocab)}), b.target.to(device).reshape({-1}),
                         torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone)) *
                     mask)
                        .sum() /
                    double(std::max<uint64_t>(1, n));
        opt.zero_grad();
        loss.backward();
        dp.sumGradients(model->parameters());
        torch::nn::utils::clip_grad_norm_(model->parameters(), o.clip);
        opt.step();
        if (o.checkSync) dp.checkSameParameters(model->parameters(), cur.step + 1);
        const auto now = std::chrono::steady_clock::now();
        // The ranks agree on the loss (the sum of their shares), the time (their mean) and whether to stop.
        const std::vector<double> control =
            dp.sum({loss.item<double>(), std::chrono::duration<double>(now - tick).count(),
                    o.stopFlag && o.stopFlag->load() ? 1.0 : 0.0});
        tick = now;
        const double bits = control[0] / kLn2;
        smooth = cur.step == 0 ? bits : kLossSmoothing * smooth + (1 - kLossSmoothing) * bits;
        ++cur.step;
        cur.tokensSeen += n;
        cur.bytesSeen += uint64_t(double(n) * bytesPerToken);
        cur.seconds += control[1] / dp.size();
        const bool stopAsked = control[2] > 0;
        if (cur.step % o.evalEvery == 0 || fraction() >= 1.0 || cur.step == 1) {
            const Eval e = evaluate(model, d, device, dp);
            cur.trainBitsPerToken = smooth;
            cur.validBitsPerToken = e.bitsPerToken;
            cur.validBitsPerByte = e.bitsPerByte;
            cur.validAccuracy = e.accuracy;
            cur.accuracyByPosition = e.byPosition;
            log.push_back(cur);
            if (result.best.step == 0 || cur.validBitsPerToken < result.best.validBitsPerToken) result.best = cur;
            writeLog();
            bool go = !progress || progress(cur);
            go = !dp.anyRank(!go);                    // one rank's stop stops them all
            tick = std::chrono::steady_clock::now();  // validation and logging are not training time
            if (!go) {
                result.stopped = true;
                break;
            }
        }
        if (stopAsked) {
            result.stopped = true;
            break;
        }
        if (fraction() >= 1.0) break;  // the final checkpoint follows
        const bool byTime = o.checkpointSeconds > 0 && cur.seconds - lastCheckpointSeconds >= o.checkpointSeconds;
        const bool bySteps = o.checkpointEvery > 0 && cur.step % o.checkpointEvery == 0;
        if (byTime || bySteps) {
            saveCheckpoint("training");
            dp.barrier();  // the others wait for rank 0's writing here, not in a step
            lastCheckpointSeconds = cur.seconds;
            tick = std::chrono::steady_clock::now();  // checkpoint time is not training time
        }
    }
    result.last = cur;
    saveCheckpoint(result.stopped ? "stopped" : "finished");
    return result;
}

double benchmarkTokensPerSecond(const M2Config& c, int64_t vocab, int seq, int batch, int warmup, int steps,
                                int threads) {
    if (threads > 0) nn::setTorchThreads(threads);
    nn::tuneAllocatorForTraining();
    const nn::CachedMemoryReleaser releaser;
    torch::manual_seed(0);
    m1::M1 model(toM1Config(c, seq), vocab + 1, vocab);
    torch::optim::AdamW opt(model->parameters(), torch::optim::AdamWOptions(1e-3).betas({0.9, 0.95}).weight_decay(0.1));
    auto in = torch::randint(vocab, {batch, seq}, torch::kLong), tg = torch::randint(vocab, {batch, seq}, torch::kLong);
    double seconds = 0;
    for (int i = 0; i < warmup + steps; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        auto loss = torch::nn::functional::cross_entropy(model->forward(in).reshape({-1, vocab}), tg.reshape({-1}));
        opt.zero_grad();
        loss.backward();
        torch::nn::utils::clip_grad_norm_(model->parameters(), 1.0);
        opt.step();
        if (i >= warmup) seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    return double(steps) * double(batch) * double(seq) / seconds;
}

}  // namespace eqlab::m2
