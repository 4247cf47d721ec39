#include "m2/dataset_shard.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QThread>
#include <algorithm>
#include <chrono>
#include <limits>

#include "base/errors.h"
#include "base/output_file.h"
#include "m2/dataset_corpus.h"
#include "m2/dataset_format.h"
#include "methods/codec.h"
#include "methods/default_models.h"
#include "methods/work_costs.h"

namespace eqlab::m2 {

namespace {

constexpr uint64_t kExamplesPerReport = 16;  // progress every this many examples (methods coded one by one)
// Cutting the coded stream into examples (one pass over the trace): about
// 0.1 us a byte, measured as the time between the encode's end and the
// build's in eqlab-cli build-dataset; a sliver of the bar.
constexpr double kCutSecondsPerByte = 1e-7;
constexpr const char* kShardFormat = "eqlab-m2-dataset-shard";
constexpr const char* kShardJson = "shard.json";
constexpr const char* kShardTokens = "tokens.bin";

uint64_t fileSize(const std::string& path) {
    return path.empty() ? 0 : uint64_t(std::max<qint64>(0, QFileInfo(QString::fromStdString(path)).size()));
}

// Scored tokens of one example: at most seq of its tokens, and the bytes they cover.
void appendExample(Split& s, const std::vector<uint32_t>& tokens, size_t first, size_t count,
                   uint64_t coveredIfTruncated, uint64_t exampleBytes, int seq) {
    const size_t n = std::min(count, size_t(seq));
    for (size_t i = 0; i < size_t(seq); ++i) s.tokens.push_back(i < n ? uint16_t(tokens[first + i]) : uint16_t(0));
    s.lengths.push_back(uint32_t(n));
    s.coveredBytes.push_back(uint32_t(count > size_t(seq) ? std::min(coveredIfTruncated, exampleBytes) : exampleBytes));
    ++s.examples;
}

std::string shardName(int index, int count) {
    return "shard " + std::to_string(index) + " of " + std::to_string(count);
}

}  // namespace

ExampleRange shardRange(size_t examples, int index, int count) {
    const auto at = [&](int i) { return size_t(uint64_t(i) * uint64_t(examples) / uint64_t(count)); };
    return {at(index), at(index + 1)};
}

DatasetShard buildDatasetShard(const std::string& corpusPath, const DatasetOptions& opt, int index, int count,
                               const StatusFn& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    DatasetOptions o = opt;
    if (o.exampleBytes < 16 || o.exampleBytes > (1u << 24))
        throw InvalidArgument("--example-bytes must be 16..16777216");
    if (o.seqTokens < 2 || o.seqTokens > 65536) throw InvalidArgument("--seq must be 2..65536");
    if (o.validFraction <= 0 || o.validFraction >= 1) throw InvalidArgument("--valid-fraction must be between 0 and 1");
    if (count < 1 || index < 0 || index >= count)
        throw InvalidArgument("--shard " + std::to_string(index) + "/" + std::to_string(count) +
                              ": expected I/N with 0 <= I < N");
    o.params.chunkBytes = uint32_t(o.exampleBytes);
    o.params.validate();

    // The whole corpus: its id is the build's, whichever shard this is.
    const std::vector<uint8_t> text = readDatasetCorpus(corpusPath, o.maxBytes, o.exampleBytes);
    const size_t examples = text.size() / o.exampleBytes;
    if (examples < 2)
        throw InvalidArgument(corpusPath + " holds fewer than two examples of " + std::to_string(o.exampleBytes) +
                              " bytes");
    const size_t validCount = std::max<size_t>(1, size_t(double(examples) * o.validFraction + 0.5));
    const size_t trainCount = examples - validCount;
    if (trainCount < 1) throw InvalidArgument("no training examples left after the validation split");
    if (size_t(count) > examples)
        throw InvalidArgument("--shard " + std::to_string(index) + "/" + std::to_string(count) + ": " + corpusPath +
                              " holds " + std::to_string(examples) + " examples, fewer than " + std::to_string(count) +
                              " shards");
    DatasetShard s;
    s.index = index;
    s.count = count;
    s.range = shardRange(examples, index, count);
    s.totalExamples = examples;
    s.trainExamples = trainCount;
    const uint8_t* part = text.data() + s.range.begin * o.exampleBytes;
    const size_t partExamples = s.range.end - s.range.begin;
    const size_t partBytes = partExamples * o.exampleBytes;

    const int threads = o.threads > 0 ? o.threads : std::max(1, QThread::idealThreadCount());
    const bool chunked =
        o.params.method == Method::Ac || o.params.method == Method::StaticAc || o.params.method == Method::EqualInfoAc;
    EncodeOptions eo;
    eo.trace = true;
    eo.threads = chunked ? threads : 1;  // other methods: one encode per example, in turn
    // The plan: load the model, the encode's passes over this shard's examples, cut them into examples.
    bool fallback = false;
    const std::string modelFile = modelFileFor(o.params.method, o.modelPath, &fallback);
    const bool expectM1 = (o.params.method == Method::Ac || o.params.method == Method::EqualInfoAc) && !fallback;
    const std::vector<std::string> passes = encodePasses(o.params, eo);
    const CodingCost cost = codingCost(o.params, eo, expectM1, eo.threads);
    std::vector<ProgressPhase> phases;
    const std::string loadName = loadPhaseName(o.params.method, expectM1);
    if (!loadName.empty()) phases.push_back({loadName, modelLoadSeconds(fileSize(modelFile))});
    const size_t firstPass = phases.size();
    for (size_t k = 0; k < passes.size(); ++k) phases.push_back({passes[k], cost.passes[k] * double(partBytes)});
    phases.push_back({"cutting examples", kCutSecondsPerByte * double(partBytes)});
    PhasedProgress plan(std::move(phases), progress);
    if (!loadName.empty()) plan.begin(0);

    const ModelSet models = loadModelsFor(o.params.method, o.modelPath);
    plan.begin(firstPass);
    Dataset& d = s.build;
    d.params = o.params;
    d.method = o.params.label();
    d.seqTokens = o.seqTokens;
    d.exampleBytes = o.exampleBytes;
    d.corpusName = corpusPath.substr(corpusPath.find_last_of('/') + 1);
    d.corpusId = corpusIdOf(text);
    d.modelHash = modelHashOf(models);
    d.key = datasetKey(d.corpusId, o, d.modelHash);
    if (o.params.method == Method::EqualInfoAc && o.params.windowBits % o.params.tokenBits == 0)
        d.tokensPerWindow = o.params.windowBits / o.params.tokenBits;

    uint64_t allTokens = 0;
    if (chunked) {
        // One encode over the shard's examples: chunks (ac) and streams
        // (eqinfo-ac) are exactly the examples, coded independently and in
        // parallel, so a range codes as it does inside the whole corpus.
        eo.progress = plan.ofPasses(firstPass, passes.size(), partBytes);
        Encoded e = encode(part, partBytes, o.params, models, eo);
        plan.begin(firstPass + passes.size());
        d.vocab = e.vocab;
        allTokens = e.tokens.size();
        const Trace& t = e.trace;
        size_t tok = 0;
        for (size_t ex = 0; ex < partExamples; ++ex) {
            const uint64_t b0 = ex * o.exampleBytes, b1 = b0 + o.exampleBytes;
            const Segment& last = t.segments[t.segmentOfByte[b1 - 1]];
            const uint64_t bitEnd = last.bitBegin + last.bitsTotal;
            const size_t first = tok;
            while (tok < t.tokens.size() && t.tokens[tok].bitEnd <= bitEnd) ++tok;
            if (tok < t.tokens.size() && t.tokens[tok].bitBegin < bitEnd)
                throw Error("internal: a token straddles two examples (" + d.method + ")");
            const size_t n = tok - first;
            uint64_t covered = 0;
            if (n > size_t(o.seqTokens)) covered = t.tokens[first + size_t(o.seqTokens) - 1].byteEnd - b0;
            appendExample(s.examples, e.tokens, first, n, covered, o.exampleBytes, o.seqTokens);
        }
        if (tok != t.tokens.size()) throw Error("internal: tokens left over after the last example (" + d.method + ")");
    } else {
        const ProgressFn coding = plan.of(firstPass);
        ProgressTicker ticker(coding, partExamples, kExamplesPerReport);
        for (size_t ex = 0; ex < partExamples; ++ex) {
            const Encoded e = encode(part + ex * o.exampleBytes, o.exampleBytes, o.params, models, eo);
            d.vocab = e.vocab;
            allTokens += e.tokens.size();
            const size_t n = e.tokens.size();
            uint64_t covered = 0;
            if (n > size_t(o.seqTokens)) {
                covered = e.trace.alignment == Alignment::DeflateBlock
                              ? o.exampleBytes * uint64_t(o.seqTokens) / n  // blocks are too coarse: pro rata
                              : e.trace.tokens[size_t(o.seqTokens) - 1].byteEnd;
            }
            appendExample(s.examples, e.tokens, 0, n, covered, o.exampleBytes, o.seqTokens);
            ticker.tick(ex + 1);
        }
    }
    plan.finish();
    if (d.vocab > 65536) throw InvalidArgument("M2 datasets hold tokens of at most 16 bits");
    s.codedTokens = allTokens;
    s.buildSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return s;
}

void requireShardFolder(const std::string& dir) {
    if (QFile::exists(QString::fromStdString(dir + "/dataset.json")))
        throw InvalidArgument(dir + " holds a dataset: a shard goes in a folder of its own");
}

void saveDatasetShard(const DatasetShard& s, const std::string& dir) {
    requireShardFolder(dir);
    if (!QDir().mkpath(QString::fromStdString(dir))) throw IoError("cannot create " + dir);
    writeTokens(dir + "/" + kShardTokens, s.examples.tokens);
    QJsonObject o;
    o["format"] = kShardFormat;
    o["version"] = kDatasetShardVersion;
    writeHeaderFields(s.build, o);
    QJsonObject place;
    place["index"] = s.index;
    place["count"] = s.count;
    place["first_example"] = qint64(s.range.begin);
    place["end_example"] = qint64(s.range.end);
    place["total_examples"] = qint64(s.totalExamples);
    place["train_examples"] = qint64(s.trainExamples);
    place["coded_tokens"] = qint64(s.codedTokens);
    place["build_seconds"] = s.buildSeconds;
    o["shard"] = place;
    o["examples"] = examplesJson(s.examples, kShardTokens);
    o["note"] =
        "one shard of a dataset build, not a dataset: eqlab-cli merge-dataset --out DIR SHARD_DIR... "
        "merges all of them";
    const QByteArray json = QJsonDocument(o).toJson(QJsonDocument::Compact);
    writeFile(dir + "/" + kShardJson, std::vector<uint8_t>(json.begin(), json.end()));
}

bool isDatasetShardFolder(const std::string& dir) {
    return QFile::exists(QString::fromStdString(dir + "/" + kShardJson));
}

namespace {

// shard.json's format, version and place; the header and examples are the caller's to read.
JsonFields readShardPlace(const std::string& dir, DatasetShard& s, std::string& key) {
    const std::string where = dir + "/" + kShardJson;
    if (!isDatasetShardFolder(dir)) {
        if (QFile::exists(QString::fromStdString(dir + "/dataset.json")))
            throw FormatError(dir + " is a dataset, not a dataset shard");
        throw FormatError(dir + " is not a dataset shard (it has no " + kShardJson + ")");
    }
    const JsonFields f = JsonFields::readFile(where, "an eqlab M2 dataset shard");
    if (f.need("format").toString() != kShardFormat) f.fail("not an eqlab M2 dataset shard");
    const int64_t version = f.integer("version", 0, std::numeric_limits<int32_t>::max());
    if (version != kDatasetShardVersion)
        f.fail("version " + std::to_string(version) + ", expected " + std::to_string(kDatasetShardVersion));
    key = f.text("key");
    const JsonFields p = f.object("shard");
    s.count = int(p.integer("count", 1, std::numeric_limits<int32_t>::max()));
    s.index = int(p.integer("index", 0, s.count - 1));
    return f;
}

}  // namespace

std::string describeDatasetShard(const std::string& dir) {
    DatasetShard s;
    std::string key;
    readShardPlace(dir, s, key);
    return shardName(s.index, s.count) + " of dataset build " + key;
}

DatasetShard loadDatasetShard(const std::string& dir) {
    DatasetShard s;
    std::string key;
    const JsonFields f = readShardPlace(dir, s, key);
    readHeaderFields(f, s.build);
    const JsonFields p = f.object("shard");
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    s.totalExamples = size_t(p.integer("total_examples", s.count, kMax));
    s.trainExamples = size_t(p.integer("train_examples", 1, int64_t(s.totalExamples) - 1));
    const ExampleRange r = shardRange(s.totalExamples, s.index, s.count);
    s.range.begin = size_t(p.integer("first_example", int64_t(r.begin), int64_t(r.begin)));
    s.range.end = size_t(p.integer("end_example", int64_t(r.end), int64_t(r.end)));
    s.codedTokens = uint64_t(p.integer("coded_tokens", 1, kMax));
    s.buildSeconds = p.number("build_seconds", 0);
    s.examples = readExamples(f.object("examples"), dir, kShardTokens, s.build);
    if (s.examples.examples != s.range.end - s.range.begin)
        f.fail("holds " + std::to_string(s.examples.examples) + " examples, not the " +
               std::to_string(s.range.end - s.range.begin) + " of " + shardName(s.index, s.count));
    return s;
}

}  // namespace eqlab::m2
