// One shard of a dataset build: the examples [first, end) of the global
// example index, coded as the whole build codes them, with what merging
// needs to reproduce the whole build's files byte for byte
// (m2/dataset_merge.h). Shard I of N holds a contiguous range; the ranges
// differ in length by at most one. A single-process build is shard 0 of 1,
// assembled (m2_dataset.h's buildDataset), so sharded and whole builds share
// one code path.
//
// On disk a shard is a folder of its own: shard.json (format
// "eqlab-m2-dataset-shard", the build's header fields, the shard's place and
// its examples) and tokens.bin ([examples, seq_tokens] uint16, as train.bin),
// each written atomically. A shard folder is never a dataset: loadDataset
// refuses it, naming merge-dataset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "m2/m2_dataset.h"

namespace eqlab::m2 {

constexpr int kDatasetShardVersion = 1;

// Examples [begin, end) of shard `index` of `count` over `examples`:
// begin = floor(index * examples / count). Precondition: 0 <= index < count <= examples.
struct ExampleRange {
    size_t begin = 0, end = 0;
};
ExampleRange shardRange(size_t examples, int index, int count);

struct DatasetShard {
    // The whole build's header: key (datasetKey over the whole corpus and
    // the options), method, params, vocab, seqTokens, exampleBytes,
    // tokensPerWindow, corpusName, corpusId, modelHash. Its splits stay
    // empty; bytesPerToken and buildSeconds are the merge's to fill.
    Dataset build;
    int index = 0, count = 1;  // shard `index` of `count`, 0 <= index < count
    ExampleRange range;        // its examples in the global index
    size_t totalExamples = 0;  // the whole build's examples (>= count)
    size_t trainExamples = 0;  // the whole build's: examples [0, this) train, the rest valid
    uint64_t codedTokens = 0;  // its examples' tokens before truncation (bytes_per_token's denominator)
    Split examples;            // its examples in order, as a split holds them
    double buildSeconds = 0;   // coding it, wall time
};

// Codes shard `index` of `count` of the build buildDataset(corpusPath, o)
// would make. progress covers this shard's work only, phased as
// buildDataset's. Throws InvalidArgument (bad options, a corpus shorter than
// two examples, index outside [0, count), more shards than examples),
// IoError, Cancelled.
DatasetShard buildDatasetShard(const std::string& corpusPath, const DatasetOptions& o, int index, int count,
                               const StatusFn& progress = {});

// Throws InvalidArgument when DIR holds a dataset (dataset.json): a shard
// goes in a folder of its own. Callers may check before coding the shard.
void requireShardFolder(const std::string& dir);
// DIR/tokens.bin, then DIR/shard.json, each atomically. Throws as
// requireShardFolder, IoError.
void saveDatasetShard(const DatasetShard& s, const std::string& dir);
// Throws FormatError naming what is wrong: DIR is a dataset, not a shard;
// DIR has no shard.json; a field out of its range or disagreeing with the others.
DatasetShard loadDatasetShard(const std::string& dir);

// True when DIR holds a shard.json.
bool isDatasetShardFolder(const std::string& dir);
// "shard I of N of dataset build KEY", read from DIR/shard.json (FormatError when that is damaged).
std::string describeDatasetShard(const std::string& dir);

}  // namespace eqlab::m2
