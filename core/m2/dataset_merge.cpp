#include "m2/dataset_merge.h"

#include <QFileInfo>
#include <QJsonObject>
#include <algorithm>
#include <map>

#include "base/errors.h"
#include "m2/dataset_format.h"

namespace eqlab::m2 {

namespace {

// Example i of `from` appended to `to`.
void appendRow(Split& to, const Split& from, size_t i, int seq) {
    const uint16_t* row = from.row(i, seq);
    to.tokens.insert(to.tokens.end(), row, row + seq);
    to.lengths.push_back(from.lengths[i]);
    to.coveredBytes.push_back(from.coveredBytes[i]);
    ++to.examples;
}

std::string shardName(const DatasetShard& s) {
    return "shard " + std::to_string(s.index) + " of " + std::to_string(s.count);
}

// The first header field two shards' builds disagree on ("" when none).
std::string differingField(const Dataset& a, const Dataset& b) {
    QJsonObject ja, jb;
    writeHeaderFields(a, ja);
    writeHeaderFields(b, jb);
    for (auto it = ja.begin(); it != ja.end(); ++it)
        if (jb.value(it.key()) != it.value()) return it.key().toStdString();
    return "";
}

}  // namespace

Dataset assembleDataset(std::vector<DatasetShard> shards, const std::vector<std::string>& names) {
    if (shards.empty()) throw InvalidArgument("no shards to merge");
    const auto name = [&](size_t i) { return i < names.size() ? names[i] : shardName(shards[i]); };
    const DatasetShard& first = shards[0];
    std::map<int, size_t> holder;  // shard index -> its place in `shards`
    for (size_t i = 0; i < shards.size(); ++i) {
        const DatasetShard& s = shards[i];
        if (s.build.key != first.build.key)
            throw InvalidArgument("shards of different builds: " + name(0) + " is of build " + first.build.key + ", " +
                                  name(i) + " of build " + s.build.key);
        if (s.count != first.count)
            throw InvalidArgument("shards of different splits of build " + first.build.key + ": " + name(0) + " is " +
                                  shardName(first) + ", " + name(i) + " is " + shardName(s));
        const std::string field = differingField(first.build, s.build);
        if (!field.empty() || s.totalExamples != first.totalExamples || s.trainExamples != first.trainExamples)
            throw InvalidArgument(name(0) + " and " + name(i) + " are shards of build " + first.build.key +
                                  " but disagree on " +
                                  (field.empty() ? std::string("its examples") : "\"" + field + "\""));
        const auto [at, added] = holder.emplace(s.index, i);
        if (!added) throw InvalidArgument(shardName(s) + " is given twice: " + name(at->second) + " and " + name(i));
    }
    for (int k = 0; k < first.count; ++k)  // stops at the first gap, at most shards.size() on
        if (!holder.count(k))
            throw InvalidArgument("shard " + std::to_string(k) + " of " + std::to_string(first.count) +
                                  " is missing (build " + first.build.key + ")");

    Dataset d = first.build;
    d.buildSeconds = 0;
    d.buildShards = first.count;
    uint64_t codedTokens = 0;
    for (const auto& entry : holder) {  // in index order
        DatasetShard& s = shards[entry.second];
        if (s.range.end - s.range.begin != s.examples.examples)
            throw Error("internal: " + shardName(s) + " holds " + std::to_string(s.examples.examples) +
                        " examples for its range of " + std::to_string(s.range.end - s.range.begin));
        for (size_t i = 0; i < s.examples.examples; ++i)
            appendRow(s.range.begin + i < s.trainExamples ? d.train : d.valid, s.examples, i, d.seqTokens);
        codedTokens += s.codedTokens;
        d.buildSeconds += s.buildSeconds;
        s.examples = Split();  // copied: give the memory back as we go
    }
    d.bytesPerToken = double(first.totalExamples * d.exampleBytes) / double(std::max<uint64_t>(1, codedTokens));
    return d;
}

Dataset mergeDatasetShards(const std::vector<std::string>& shardDirs, const std::string& outDir) {
    if (shardDirs.empty()) throw InvalidArgument("no shard folders to merge");
    const QFileInfo out(QString::fromStdString(outDir));
    std::vector<DatasetShard> shards;
    for (const std::string& dir : shardDirs) {
        const QFileInfo in(QString::fromStdString(dir));
        if (out.exists() && in.exists() && out.canonicalFilePath() == in.canonicalFilePath())
            throw InvalidArgument("--out " + outDir + " is one of the shard folders (" + dir +
                                  "): the dataset needs a folder of its own");
    }
    for (const std::string& dir : shardDirs) shards.push_back(loadDatasetShard(dir));
    const Dataset d = assembleDataset(std::move(shards), shardDirs);
    saveDataset(d, outDir);
    return d;
}

}  // namespace eqlab::m2
