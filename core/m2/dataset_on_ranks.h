// build-dataset launched on several ranks (torchrun, Slurm; nn/process_group.h):
// each rank codes its shard of the examples (m2/dataset_shard.h) into
// OUT.shards/, rank 0 merges them into OUT once every other rank is done
// (m2/dataset_merge.h: the single build's files, byte for byte) and removes
// the shards. The ranks first compare their options. A rank that fails says
// so to the others; one that dies stops beating its heart, and the others
// give up on it after the group's timeout. OUT must be on a file system every
// rank sees; elsewhere, build with --shard I/N and merge-dataset by hand.
#pragma once

#include <string>

#include "base/phased_progress.h"
#include "m2/m2_dataset.h"

namespace eqlab::nn {
class ProcessGroup;
}

namespace eqlab::m2 {

// When DIR already holds the dataset these options cut from this corpus
// (rank 0 checks, as buildOrLoadDataset does), no rank codes: each returns it
// and *cached is set. progress: this rank's shard (rank 0: then "waiting for
// the other ranks", "merging"). Returns the merged dataset on rank 0, the
// rank's shard's header elsewhere.
// Throws InvalidArgument (options differ between ranks), std::runtime_error
// naming the rank that failed or went silent, and as buildDatasetShard and mergeDatasetShards.
Dataset buildDatasetOnRanks(nn::ProcessGroup& group, const std::string& corpusPath, const DatasetOptions& o,
                            const std::string& dir, const StatusFn& progress = {}, bool* cached = nullptr);

}  // namespace eqlab::m2
