// Training M1: AdamW with warmup and cosine decay, gradient clipping,
// periodic validation in bits/byte, checkpoints every few minutes and exact
// resume. No torch in this header: callers (eqlab-cli, the GUI) include it cheaply.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "m1/m1_format.h"

namespace eqlab::nn {
class ProcessGroup;
}

namespace eqlab::m1 {

struct TrainOptions {
    std::string corpus;            // training text (read whole into memory)
    std::string valid;             // validation text
    std::string out;               // the weight file; checkpoints are OUT.ckpt.*
    int64_t steps = 20000;         // optimiser steps in total (a resumed run continues to this)
    int batch = 16;                // sequences per step
    int seq = 256;                 // bytes per training sequence (BOS + seq - 1 bytes of context)
    double lr = 1e-3;              // peak learning rate
    double warmupFraction = 0.02;  // linear warmup over this fraction of the steps
    double minLrFraction = 0.1;    // cosine decay down to lr * this
    double weightDecay = 0.01;
    double clip = 1.0;  // gradient norm clip
    uint64_t seed = 1;
    int threads = 0;                // 0: libtorch's default
    std::string device = "cpu";     // "cpu" or "cuda"
    int validEvery = 250;           // steps between validations
    uint64_t validBytes = 1 << 18;  // bytes of the validation file scored
    double checkpointSeconds = 300;
    double maxSeconds = 0;  // > 0: a time budget; the schedule then runs on elapsed time, and training stops at it
    bool resume = false;    // continue from OUT.ckpt.*
    std::string init;       // fine-tune: start from these weights (their config wins) instead of random ones
    double augment = 0.0;   // probability of each layout/typography variation per sequence (see augmentText)
    bool keepBest = false;  // also write the weights of the best validation so far to OUT.best
    std::string note;       // stored in the weights' provenance
    // Data parallel: the process group this rank trains in (nn/process_group.h; nullptr: one
    // process; the front ends join the launcher's, waiting distTimeoutSeconds for the others).
    // Each step every rank draws the same batch x ranks sequences and trains on its own `batch`
    // of them, gradients averaged; rank 0 writes OUT and the checkpoints.
    std::shared_ptr<nn::ProcessGroup> group;
    double distTimeoutSeconds = 300;
};

struct TrainProgress {
    int64_t step = 0, steps = 0;
    double loss = 0.0;  // training cross-entropy, bits/byte (smoothed)
    double lr = 0.0;
    std::optional<double> validBitsPerByte;  // set on steps that validated
    uint64_t bytesSeen = 0;
    double seconds = 0.0;  // training wall time, resumed runs included
    bool checkpointed = false;
    int rank = 0;  // data parallel: this process's rank (only rank 0's progress is worth a line)
};

// One progress line: "step 500/20000  loss 1.630 bits/byte  lr 9.9e-04  955153 bytes/s  17 s  valid 1.9235".
std::string describe(const TrainProgress& p);
// Whether a progress report is worth a line (validations, checkpoints, every `every` steps).
inline bool worthALine(const TrainProgress& p, int64_t every) {
    return p.rank == 0 && (p.validBitsPerByte || p.checkpointed || p.step % every == 0);
}

struct TrainResult {
    int64_t steps = 0;
    double validBitsPerByte = 0.0;
    double seconds = 0.0;
    bool stopped = false;     // the callback asked to stop (a checkpoint was written)
    int rank = 0, ranks = 1;  // data parallel: this process's rank, and how many trained
};

// Trains (or resumes) and writes OUT. progress is called every few steps;
// returning false stops after writing a checkpoint. Before the first step it
// throws eqlab::Error naming the file when the corpus or the validation text
// is empty, compressed (gzip, xz, zstd, zip), not text (more than 1% control
// bytes such as NUL) or shorter than one sequence (the corpus: seq + 1 bytes;
// the validation text: one window of min(context, 1024) bytes);
// InvalidArgument when validBytes is less than one window or OUT is the corpus
// or the validation text; IoError when OUT cannot be written. Later failures
// throw std::runtime_error (or M1FormatError) with a message naming the problem.
TrainResult train(const M1Config& config, const TrainOptions& options,
                  const std::function<bool(const TrainProgress&)>& progress);

// The variations `augment` draws from, applied to raw corpus bytes: with
// probability p the text is hard-wrapped at a random width (a space becomes a
// newline), and independently with probability p ASCII quotes become curly
// quotes and "--" an em dash (UTF-8). One-line-per-speech transcripts such as
// SOTU have neither, while books and most web text have both; a model that
// never saw a newline pays ~15 bits for each. Returns at least `want` bytes
// when `raw` allows (it may shorten by a few bytes).
std::string augmentText(std::string_view raw, double p, std::mt19937_64& rng);

// Validation bits/byte of weights on a text: non-overlapping windows of
// `window` bytes, each predicted from BOS (how coding sees them).
double validationBitsPerByte(const M1Weights& weights, const std::string& path, uint64_t maxBytes, int window);

// A stable id of a corpus: "fnv1a64:<hex>:<bytes>".
std::string corpusId(const std::string& bytes);

}  // namespace eqlab::m1
