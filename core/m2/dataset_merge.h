// Shards of one dataset build (m2/dataset_shard.h) put together into the
// dataset a single-process build makes: the same dataset.json, train.bin and
// valid.bin, byte for byte.
#pragma once

#include <string>
#include <vector>

#include "m2/dataset_shard.h"
#include "m2/m2_dataset.h"

namespace eqlab::m2 {

// The dataset of all `count` shards of one build, in any order; names[i]
// says where shards[i] came from in messages. Throws InvalidArgument,
// naming the shards: none given; a shard missing ("shard 1 of 3 is
// missing") or given twice; shards of different builds (their keys) or
// splits (their counts); shards disagreeing on a header field. buildSeconds
// is the shards' summed, buildShards their count.
Dataset assembleDataset(std::vector<DatasetShard> shards, const std::vector<std::string>& names);

// Loads the shard folders, assembles them and saves the dataset to outDir
// (saveDataset). Everything is checked before anything is written: on a
// refusal outDir is left as it was. Throws InvalidArgument (as
// assembleDataset; outDir one of the shard folders), FormatError (a folder
// that is not a shard, a damaged shard), IoError.
Dataset mergeDatasetShards(const std::vector<std::string>& shardDirs, const std::string& outDir);

}  // namespace eqlab::m2
