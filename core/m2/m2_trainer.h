// Training M2 on a token dataset (m2_dataset.h): the same decoder as M1 over
// the method's vocabulary, AdamW with warmup and cosine decay, periodic
// validation in bits/token and bits/byte (the paper's formula: tokens/bytes x
// loss/ln 2, over the bytes the scored tokens cover), accuracy by position
// inside an Equal-Info window, a CSV log, checkpoints, stop and exact resume.
// No torch in this header.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "m2/m2_dataset.h"

namespace eqlab::nn {
class ProcessGroup;
}

namespace eqlab::m2 {

struct M2Config {
    int dModel = 128;  // CPU-sized default; the paper's smallest is d 512, 8 heads, 6 layers, MLP 2048
    int heads = 4;
    int layers = 2;
    int mlp = 512;

    // "d=128 heads=4 layers=2 mlp=512": run.json's "config" (read back by
    // run_record.cpp, so the format stays) and eqlab-cli bench-m2's.
    std::string describe() const {
        return "d=" + std::to_string(dModel) + " heads=" + std::to_string(heads) + " layers=" + std::to_string(layers) +
               " mlp=" + std::to_string(mlp);
    }
};

struct TrainOptions {
    std::string runDir;       // log.csv, run.json and the checkpoint go here
    std::string datasetDir;   // where the dataset lives, recorded in run.json for resume ("" = not recorded)
    std::string name;         // shown in logs and charts ("" = the dataset's method)
    int64_t steps = 1000000;  // at most
    double maxSeconds = 0;    // > 0: a time budget; the schedule runs on elapsed time
    int batch = 16;
    double lr = 1e-3;
    double warmupFraction = 0.05;
    double minLrFraction = 0.1;
    double weightDecay = 0.1;
    double clip = 1.0;
    uint64_t seed = 1;
    int threads = 0;      // 0: libtorch's default
    int evalEvery = 50;   // steps between validations
    bool resume = false;  // continue from runDir's checkpoint (m2_checkpoint.h); its dataset and model must match
    // A checkpoint is written every checkpointSeconds of training (<= 0: not by time), every
    // checkpointEvery steps (0: not by steps), when the run stops and at its end.
    double checkpointSeconds = 300;
    int64_t checkpointEvery = 0;
    // Polled after every step; once true, the run checkpoints and stops as when `progress` returns
    // false (a signal handler may set it: eqlab-cli train-m2 on SIGINT and SIGTERM). nullptr: none.
    const std::atomic<bool>* stopFlag = nullptr;
    // Data parallel: the process group this rank trains in (nn/process_group.h; nullptr: one
    // process). Every step each rank draws the same batch x ranks examples from the one sampler
    // and trains on its own `batch` of them; the gradients are summed over the ranks, so a run
    // is the same computation whatever the number of ranks (up to the order of float sums) and
    // resumes on any number of them that keeps batch x ranks (another step size is refused).
    // Rank 0 writes log.csv, run.json and the checkpoints.
    std::shared_ptr<nn::ProcessGroup> group;
    bool checkSync = false;  // data parallel: compare every rank's parameters after every step
};

struct Baselines {
    double uniformBitsPerToken = 0, uniformBitsPerByte = 0;  // log2 v, and per byte of the validation text
    double unigramBitsPerToken = 0, unigramBitsPerByte = 0;  // token frequencies of the training split
};
Baselines baselines(const Dataset& d);

// One row of the log.
struct EvalPoint {
    int64_t step = 0;
    uint64_t tokensSeen = 0, bytesSeen = 0;
    double seconds = 0, lr = 0;
    double trainBitsPerToken = 0;  // smoothed training loss
    double validBitsPerToken = 0, validBitsPerByte = 0, validAccuracy = 0;
    std::vector<double> accuracyByPosition;  // eqinfo-ac: per token position inside a window
};

// The paper's criterion, here: best validation bits/token at least 2% below
// the token-unigram baseline (TrainResult::learned, run.json's "learned").
constexpr double kLearnedRatio = 0.98;
inline bool isLearned(const EvalPoint& best, const Baselines& b) {
    return best.validBitsPerToken <= kLearnedRatio * b.unigramBitsPerToken;
}

// Where a run's curve ends against the unigram: learned at its end (its
// last validation meets the criterion above too), learned only at its best
// step (the curve rose back above it), or not learned.
enum class Learned { No, AtBestStep, AtEnd };
inline Learned learnedState(const EvalPoint& best, const EvalPoint& last, const Baselines& b) {
    if (!isLearned(best, b)) return Learned::No;
    return isLearned(last, b) ? Learned::AtEnd : Learned::AtBestStep;
}

struct TrainResult {
    EvalPoint best;  // lowest validation bits/token
    EvalPoint last;
    Baselines base;
    bool stopped = false;    // the callback or stopFlag asked to stop (a checkpoint was written)
    uint64_t resumedAt = 0;  // options.resume: the checkpoint's step (last.step equal to it: nothing left to train)
    bool learned() const { return isLearned(best, base); }
};

// progress is called after every validation; returning false stops after a
// checkpoint (resume later with options.resume). A resume continues exactly:
// on CPU with fixed threads its weights and log equal an uninterrupted run's.
// Throws FormatError (options.resume: no checkpoint, a damaged one, or one of
// another dataset or model shape, naming each difference), std::runtime_error.
TrainResult train(const Dataset& d, const M2Config& config, const TrainOptions& options,
                  const std::function<bool(const EvalPoint&)>& progress);

// The CSV log's header and rows (log.csv).
std::string logHeader(int positions);
std::string logRow(const EvalPoint& p);
// Reads a run's log.csv back (for charts and resume). Throws std::runtime_error.
std::vector<EvalPoint> readLog(const std::string& path);

// M2 training throughput, tokens/s, for a benchmark against Python PyTorch:
// `steps` optimiser steps after `warmup` on random tokens of vocabulary v.
double benchmarkTokensPerSecond(const M2Config& c, int64_t vocab, int seq, int batch, int warmup, int steps,
                                int threads);

}  // namespace eqlab::m2
