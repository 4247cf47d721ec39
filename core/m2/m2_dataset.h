// M2's training data: a corpus cut into examples of a fixed byte length,
// each compressed with one method, truncated or padded to M2's sequence
// length, with the last examples held out for validation (the same bytes for
// every method). Stored as flat little-endian uint16 token files plus a
// JSON header, the form common PyTorch trainers read; cached by a key of
// everything that determines the tokens. Built whole or in shards on many
// machines and merged (m2/dataset_shard.h, m2/dataset_merge.h), to the same bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/phased_progress.h"
#include "methods/method.h"

namespace eqlab::m2 {

constexpr int kDatasetVersion = 1;

struct DatasetOptions {
    CodecParams params;           // the method; params.chunkBytes is set to exampleBytes
    std::string modelPath;        // M1 weights for ac/eqinfo-ac ("" = the bundled model)
    uint64_t exampleBytes = 512;  // bytes per example (the paper: 10,240; CPU-sized here)
    int seqTokens = 128;          // M2's sequence length (the paper: 512)
    uint64_t maxBytes = 1 << 20;  // corpus bytes used, from the start (0: all)
    double validFraction = 0.05;  // the last examples, held out
    int threads = 0;              // 0: all cores
};

struct Split {
    size_t examples = 0;
    std::vector<uint16_t> tokens;        // examples x seqTokens, padded with 0 past `lengths`
    std::vector<uint32_t> lengths;       // real tokens per example (<= seqTokens)
    std::vector<uint32_t> coveredBytes;  // input bytes those tokens cover
    uint64_t totalTokens() const;        // sum of lengths
    uint64_t totalBytes() const;         // sum of coveredBytes
    const uint16_t* row(size_t i, int seq) const { return tokens.data() + i * size_t(seq); }
};

struct Dataset {
    std::string method;  // the method label, e.g. "eqinfo-ac[b=16,v=256]"
    CodecParams params;
    uint64_t vocab = 256;
    int seqTokens = 128;
    uint64_t exampleBytes = 512;
    int tokensPerWindow = 0;  // eqinfo-ac with k | b: b / k (position inside a window = t % this); else 0
    std::string corpusName, corpusId, modelHash, key;
    double buildSeconds = 0;   // coding it, summed over its shards (build.json; not part of dataset.json)
    int buildShards = 1;       // the shards it was built in (build.json)
    double bytesPerToken = 0;  // the method's compression over whole examples (before truncation)
    Split train, valid;
};

// The methods `eqlab-cli reproduce` and the GUI's Reproduce button train on,
// spelled as in the paper's comparison.
// Each is a method label (CodecParams::fromLabel reads it, methods/method.h).
const std::vector<std::string>& reproduceMethods();

// A spec as a file name: characters other than letters, digits and "=,.-" become '_'.
std::string specFileName(const std::string& spec);

// The cache key: a hash of the format version, the corpus, the method and
// its parameters, the model's hash and the cutting options.
std::string datasetKey(const std::string& corpusId, const DatasetOptions& o, const std::string& modelHash);

// Builds from a corpus file: all examples as one shard (m2/dataset_shard.h),
// assembled as merge-dataset assembles many (m2/dataset_merge.h). progress
// reports the whole build, each phase weighted by its measured cost
// (methods/work_costs.h): "loading M1" (or "loading the model"), the
// encode's passes ("coding", "checking windows decode", ...), "cutting
// examples", then "done". Throws InvalidArgument (bad options, a corpus
// shorter than two examples), IoError, Cancelled.
Dataset buildDataset(const std::string& corpusPath, const DatasetOptions& o, const StatusFn& progress = {});

// DIR/train.bin, DIR/valid.bin, DIR/build.json ({"build_seconds", "shards"}:
// what differs from run to run) and DIR/dataset.json last, each written
// atomically: dataset.json, train.bin and valid.bin depend only on the corpus
// and the options. Throws InvalidArgument when DIR holds a dataset shard, IoError.
void saveDataset(const Dataset& d, const std::string& dir);
// Throws FormatError naming what is wrong; on a shard folder, that it is shard
// I of N and that merge-dataset makes the dataset. buildSeconds comes from
// build.json, else from dataset.json's "build_seconds" (datasets saved before
// build.json), else 0.
Dataset loadDataset(const std::string& dir);

// DIR's dataset when it is the one these options cut from this corpus (its
// key matches: the corpus bytes and the model are hashed again), nothing when
// DIR holds no dataset, a damaged one or another. progress: "checking the
// cached dataset". Throws Cancelled, IoError (an unreadable corpus or model).
std::optional<Dataset> loadCachedDataset(const std::string& corpusPath, const DatasetOptions& o, const std::string& dir,
                                         const StatusFn& progress = {});

// Loads DIR when its key matches (loadCachedDataset), else builds and saves. *cached says
// which. progress: buildDataset's, then "saving"; or, for a cached
// dataset, "checking the cached dataset" (the model is loaded for its hash).
Dataset buildOrLoadDataset(const std::string& corpusPath, const DatasetOptions& o, const std::string& dir,
                           const StatusFn& progress = {}, bool* cached = nullptr);

}  // namespace eqlab::m2
