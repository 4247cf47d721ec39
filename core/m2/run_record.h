// run.json: what an M2 run folder says about itself, written by the trainer
// at every checkpoint and read back by the Learnability view (to reopen and
// resume runs). One struct, written and parsed here only. No torch.
#pragma once

#include <string>

#include "m2/m2_trainer.h"

namespace eqlab::m2 {

constexpr char kRunFormat[] = "eqlab-m2-run";  // run.json's "format"
constexpr int kRunVersion = 1;                 // run.json's "version"; newer versions are refused
constexpr char kRunFile[] = "run.json";        // inside a run folder

struct RunRecord {
    std::string name;        // shown in lists and legends
    std::string method;      // the dataset's method label, e.g. "eqinfo-ac[b=16,v=256]"
    std::string datasetKey;  // Dataset::key
    std::string datasetDir;  // the dataset folder the run trains on ("" in runs written before it was recorded)
    std::string corpus;      // the corpus' file name
    std::string started;  // when the run began, local "yyyy-MM-ddTHH:mm:ss" ("" in runs written before it was recorded)
    uint64_t vocab = 0;
    int seqTokens = 0;
    int tokensPerWindow = 0;  // Dataset::tokensPerWindow (0: no windows)
    double bytesPerToken = 0;
    M2Config config;
    int batch = 0;  // sequences per step on each rank
    int ranks = 1;  // data-parallel ranks (the step's batch: batch x ranks); 1 in runs written before
    double lr = 0;
    uint64_t seed = 0;
    double budgetSeconds = 0;  // TrainOptions::maxSeconds
    Baselines base;
    EvalPoint best,
        last;  // step, tokens/bytes seen, seconds and the validation figures (no lr, no accuracy by position)
    bool learned = false;  // isLearned(best, base) when written
    std::string status;    // "training", "stopped" or "finished"
};

// The record of a run in progress or finished, begun at `started` (as RunRecord::started).
RunRecord makeRunRecord(const Dataset& d, const M2Config& c, const TrainOptions& o, const Baselines& b,
                        const EvalPoint& best, const EvalPoint& last, const std::string& status,
                        const std::string& started);

// Writes RUN_DIR/run.json atomically. Throws IoError.
void writeRunRecord(const std::string& runDir, const RunRecord& r);
// Reads RUN_DIR/run.json. Throws IoError (unreadable) or FormatError (not
// JSON, not an eqlab M2 run, a newer version, a blank name or method).
RunRecord readRunRecord(const std::string& runDir);

}  // namespace eqlab::m2
