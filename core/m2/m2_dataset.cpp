#include "m2/m2_dataset.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cctype>
#include <chrono>
#include <limits>
#include <optional>

#include "base/errors.h"
#include "base/hashes.h"
#include "base/json_fields.h"
#include "base/output_file.h"
#include "m2/dataset_corpus.h"
#include "m2/dataset_format.h"
#include "m2/dataset_merge.h"
#include "m2/dataset_shard.h"
#include "methods/default_models.h"

namespace eqlab::m2 {

namespace {

constexpr const char* kBuildJson = "build.json";

std::string methodParamsString(const CodecParams& p) {
    return p.label() + "|P=" + std::to_string(p.effectivePrecision()) + "|chunk=" + std::to_string(p.chunkBytes) +
           "|gzip=" + std::to_string(p.gzipLevel) + "|term=" + std::to_string(int(p.termination));
}

// build.json's build_seconds and shards into d, or, for a dataset saved before
// build.json, dataset.json's legacy "build_seconds" (f), or nothing.
void readBuildRecord(const std::string& dir, const JsonFields& f, Dataset& d) {
    const std::string path = dir + "/" + kBuildJson;
    if (QFile::exists(QString::fromStdString(path))) {
        const JsonFields b = JsonFields::readFile(path, "an eqlab M2 dataset's build record");
        d.buildSeconds = b.number("build_seconds", 0);
        d.buildShards = int(b.integer("shards", 1, std::numeric_limits<int32_t>::max()));
    } else if (f.has("build_seconds")) {
        d.buildSeconds = f.number("build_seconds", 0);
    }
}

[[noreturn]] void refuseShard(const std::string& dir) {
    throw FormatError(dir + " is " + describeDatasetShard(dir) +
                      ", not a dataset: eqlab-cli merge-dataset --out DIR SHARD_DIR... merges all its shards "
                      "into one");
}

}  // namespace

const std::vector<std::string>& reproduceMethods() {
    static const std::vector<std::string> methods = {
        "bytes", "sentencepiece", "gzip", "static-ac", "ac", "eqinfo-ac[b=16,v=256]", "eqinfo-ac[b=16,v=65536]"};
    return methods;
}

std::string specFileName(const std::string& spec) {
    std::string out = spec;
    for (char& c : out)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '=' && c != ',' && c != '.' && c != '-') c = '_';
    return out;
}

uint64_t Split::totalTokens() const {
    uint64_t n = 0;
    for (uint32_t l : lengths) n += l;
    return n;
}

uint64_t Split::totalBytes() const {
    uint64_t n = 0;
    for (uint32_t b : coveredBytes) n += b;
    return n;
}

std::string datasetKey(const std::string& corpusId, const DatasetOptions& o, const std::string& modelHash) {
    CodecParams p = o.params;
    p.chunkBytes = uint32_t(o.exampleBytes);  // examples are the chunks/streams, whatever params say
    const std::string s = "eqlab-m2-dataset-" + std::to_string(kDatasetVersion) + "|" + corpusId + "|" +
                          methodParamsString(p) + "|model=" + modelHash + "|example=" + std::to_string(o.exampleBytes) +
                          "|seq=" + std::to_string(o.seqTokens) + "|max=" + std::to_string(o.maxBytes) +
                          "|valid=" + std::to_string(o.validFraction);
    return sha256Hex(reinterpret_cast<const uint8_t*>(s.data()), s.size()).substr(0, 32);
}

Dataset buildDataset(const std::string& corpusPath, const DatasetOptions& o, const StatusFn& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<DatasetShard> whole;
    whole.push_back(buildDatasetShard(corpusPath, o, /*index=*/0, /*count=*/1, progress));
    Dataset d = assembleDataset(std::move(whole), {corpusPath});
    d.buildSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return d;
}

void saveDataset(const Dataset& d, const std::string& dir) {
    if (isDatasetShardFolder(dir))
        throw InvalidArgument(dir + " holds " + describeDatasetShard(dir) + ": a dataset goes in a folder of its own");
    if (!QDir().mkpath(QString::fromStdString(dir))) throw IoError("cannot create " + dir);
    // dataset.json goes first and comes back last: a kill between the files leaves no header beside
    // token files it does not describe (each file is atomic, the set is not).
    const QString header = QString::fromStdString(dir + "/dataset.json");
    if (QFile::exists(header) && !QFile::remove(header)) throw IoError("cannot replace " + dir + "/dataset.json");
    writeTokens(dir + "/train.bin", d.train.tokens);
    writeTokens(dir + "/valid.bin", d.valid.tokens);
    QJsonObject b;
    b["build_seconds"] = d.buildSeconds;
    b["shards"] = d.buildShards;
    const QByteArray record = QJsonDocument(b).toJson(QJsonDocument::Compact);
    writeFile(dir + "/" + kBuildJson, std::vector<uint8_t>(record.begin(), record.end()));
    QJsonObject o;
    o["format"] = "eqlab-m2-dataset";
    o["version"] = kDatasetVersion;
    writeHeaderFields(d, o);
    o["bytes_per_token"] = d.bytesPerToken;
    o["shape_note"] = "train.bin and valid.bin are [examples, seq_tokens]; positions past lengths[i] are padding (0)";
    o["train"] = examplesJson(d.train, "train.bin");
    o["valid"] = examplesJson(d.valid, "valid.bin");
    const QByteArray json = QJsonDocument(o).toJson(QJsonDocument::Compact);
    writeFile(dir + "/dataset.json", std::vector<uint8_t>(json.begin(), json.end()));
}

Dataset loadDataset(const std::string& dir) {
    if (isDatasetShardFolder(dir)) refuseShard(dir);
    const JsonFields f = JsonFields::readFile(dir + "/dataset.json", "an eqlab M2 dataset");
    if (f.need("format").toString() != "eqlab-m2-dataset") f.fail("not an eqlab M2 dataset");
    const int64_t version = f.integer("version", 0, std::numeric_limits<int32_t>::max());
    if (version != kDatasetVersion)
        f.fail("version " + std::to_string(version) + ", expected " + std::to_string(kDatasetVersion));
    Dataset d;
    readHeaderFields(f, d);
    d.bytesPerToken = f.number("bytes_per_token", 0);
    if (!(d.bytesPerToken > 0)) f.fail("\"bytes_per_token\" is not positive");
    d.train = readExamples(f.object("train"), dir, "train.bin", d);
    d.valid = readExamples(f.object("valid"), dir, "valid.bin", d);
    readBuildRecord(dir, f, d);
    return d;
}

std::optional<Dataset> loadCachedDataset(const std::string& corpusPath, const DatasetOptions& o, const std::string& dir,
                                         const StatusFn& progress) {
    if (!QFile::exists(QString::fromStdString(dir + "/dataset.json"))) return std::nullopt;
    try {
        if (progress && !progress({0.0, "checking the cached dataset", -1})) throw Cancelled();
        Dataset d = loadDataset(dir);
        // The key depends on the corpus bytes and the model: recompute it cheaply from both.
        const std::string corpusId =
            corpusIdOf(readDatasetCorpus(corpusPath, o.maxBytes, std::max<uint64_t>(1, o.exampleBytes)));
        if (d.key == datasetKey(corpusId, o, modelHashOf(loadModelsFor(o.params.method, o.modelPath)))) return d;
    } catch (const FormatError&) {
        // A damaged or older cache is rebuilt.
    }
    return std::nullopt;
}

Dataset buildOrLoadDataset(const std::string& corpusPath, const DatasetOptions& o, const std::string& dir,
                           const StatusFn& progress, bool* cached) {
    if (isDatasetShardFolder(dir)) refuseShard(dir);  // before the build, which could not be saved there
    if (std::optional<Dataset> d = loadCachedDataset(corpusPath, o, dir, progress)) {
        if (cached) *cached = true;
        if (progress) progress({1.0, "done", 0});  // nothing left to cancel
        return std::move(*d);
    }
    // The build's own "done" waits for the dataset to be saved.
    const StatusFn building = [&progress](const ProgressStatus& s) {
        return !progress || progress(s.fraction < 1.0 ? s : ProgressStatus{1.0, "saving", 0});
    };
    Dataset d = buildDataset(corpusPath, o, building);
    saveDataset(d, dir);
    if (progress) progress({1.0, "done", 0});  // saved: nothing left to cancel
    if (cached) *cached = false;
    return d;
}

}  // namespace eqlab::m2
