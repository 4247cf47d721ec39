#include "m2/m2_dataset.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <algorithm>
#include <cctype>
#include <chrono>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/hashes.h"
#include "base/output_file.h"
#include "methods/codec.h"
#include "methods/default_models.h"
#include "methods/work_costs.h"
#include "models/byte_model.h"

namespace eqlab::m2 {

namespace {

constexpr uint64_t kExamplesPerReport = 16;  // progress every this many examples (methods coded one by one)
// Cutting the coded stream into examples (one pass over the trace): about
// 0.1 us a byte, measured as the time between the encode's end and the
// build's in eqlab-cli build-dataset; a sliver of the bar.
constexpr double kCutSecondsPerByte = 1e-7;

uint64_t fileSize(const std::string& path) {
    return path.empty() ? 0 : uint64_t(std::max<qint64>(0, QFileInfo(QString::fromStdString(path)).size()));
}

std::string methodParamsString(const CodecParams& p) {
    return p.label() + "|P=" + std::to_string(p.effectivePrecision()) + "|chunk=" + std::to_string(p.chunkBytes) +
           "|gzip=" + std::to_string(p.gzipLevel) + "|term=" + std::to_string(int(p.termination));
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

// The first maxBytes bytes of a file (0: all of it), whole examples only.
std::vector<uint8_t> readCorpus(const std::string& path, uint64_t maxBytes, uint64_t exampleBytes) {
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly)) throw IoError("cannot read " + path + ": " + f.errorString().toStdString());
    const QByteArray data = maxBytes ? f.read(qint64(maxBytes)) : f.readAll();
    if (f.error() != QFile::NoError) throw IoError("cannot read " + path + ": " + f.errorString().toStdString());
    std::vector<uint8_t> text(data.begin(), data.end());
    text.resize(text.size() / exampleBytes * exampleBytes);
    return text;
}

std::string corpusIdOf(const std::vector<uint8_t>& text) {
    return "sha256:" + sha256Hex(text.data(), text.size()).substr(0, 32) + ":" + std::to_string(text.size());
}

// The model a dataset's tokens depend on ("" for bytes and gzip).
std::string modelHashOf(const ModelSet& models) {
    return models.byteModel ? models.byteModel->hash() : models.sentencePiece ? models.sentencePiece->hash() : "";
}

QJsonArray toJson(const std::vector<uint32_t>& v) {
    QJsonArray a;
    for (uint32_t x : v) a.append(qint64(x));
    return a;
}

std::vector<uint32_t> fromJson(const QJsonValue& v, size_t n, const char* what) {
    const QJsonArray a = v.toArray();
    if (size_t(a.size()) != n) throw FormatError(std::string("dataset.json: ") + what + " has the wrong length");
    std::vector<uint32_t> out;
    out.reserve(n);
    for (const QJsonValue& x : a) out.push_back(uint32_t(x.toInteger()));
    return out;
}

void writeTokens(const std::string& path, const std::vector<uint16_t>& tokens) {
    std::vector<uint8_t> bytes(tokens.size() * 2);
    for (size_t i = 0; i < tokens.size(); ++i) {  // little-endian whatever the machine
        bytes[2 * i] = uint8_t(tokens[i] & 0xff);
        bytes[2 * i + 1] = uint8_t(tokens[i] >> 8);
    }
    writeFile(path, bytes);
}

std::vector<uint16_t> readTokens(const std::string& path, size_t count) {
    const std::vector<uint8_t> bytes = readFile(path);
    if (bytes.size() != count * 2)
        throw FormatError(path + ": " + std::to_string(bytes.size()) + " bytes, the header says " +
                          std::to_string(count * 2));
    std::vector<uint16_t> t(count);
    for (size_t i = 0; i < count; ++i) t[i] = uint16_t(bytes[2 * i] | (bytes[2 * i + 1] << 8));
    return t;
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

Dataset buildDataset(const std::string& corpusPath, const DatasetOptions& opt, const StatusFn& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    DatasetOptions o = opt;
    if (o.exampleBytes < 16 || o.exampleBytes > (1u << 24))
        throw InvalidArgument("--example-bytes must be 16..16777216");
    if (o.seqTokens < 2 || o.seqTokens > 65536) throw InvalidArgument("--seq must be 2..65536");
    if (o.validFraction <= 0 || o.validFraction >= 1) throw InvalidArgument("--valid-fraction must be between 0 and 1");
    o.params.chunkBytes = uint32_t(o.exampleBytes);
    o.params.validate();

    const std::vector<uint8_t> text = readCorpus(corpusPath, o.maxBytes, o.exampleBytes);
    const size_t examples = text.size() / o.exampleBytes;
    if (examples < 2)
        throw InvalidArgument(corpusPath + " holds fewer than two examples of " + std::to_string(o.exampleBytes) +
                              " bytes");
    const size_t validCount = std::max<size_t>(1, size_t(double(examples) * o.validFraction + 0.5));
    const size_t trainCount = examples - validCount;
    if (trainCount < 1) throw InvalidArgument("no training examples left after the validation split");

    const int threads = o.threads > 0 ? o.threads : std::max(1, QThread::idealThreadCount());
    const bool chunked =
        o.params.method == Method::Ac || o.params.method == Method::StaticAc || o.params.method == Method::EqualInfoAc;
    EncodeOptions eo;
    eo.trace = true;
    eo.threads = chunked ? threads : 1;  // other methods: one encode per example, in turn
    // The plan: load the model, the encode's passes over every example, cut them into examples.
    bool fallback = false;
    const std::string modelFile = modelFileFor(o.params.method, o.modelPath, &fallback);
    const bool expectM1 = (o.params.method == Method::Ac || o.params.method == Method::EqualInfoAc) && !fallback;
    const std::vector<std::string> passes = encodePasses(o.params, eo);
    const CodingCost cost = codingCost(o.params, eo, expectM1, eo.threads);
    std::vector<ProgressPhase> phases;
    const std::string loadName = loadPhaseName(o.params.method, expectM1);
    if (!loadName.empty()) phases.push_back({loadName, modelLoadSeconds(fileSize(modelFile))});
    const size_t firstPass = phases.size();
    for (size_t k = 0; k < passes.size(); ++k) phases.push_back({passes[k], cost.passes[k] * double(text.size())});
    phases.push_back({"cutting examples", kCutSecondsPerByte * double(text.size())});
    PhasedProgress plan(std::move(phases), progress);
    if (!loadName.empty()) plan.begin(0);

    const ModelSet models = loadModelsFor(o.params.method, o.modelPath);
    plan.begin(firstPass);
    Dataset d;
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
    auto splitOf = [&](size_t e) -> Split& { return e < trainCount ? d.train : d.valid; };
    if (chunked) {
        // One encode over all examples: chunks (ac) and streams (eqinfo-ac) are
        // exactly the examples, coded independently and in parallel.
        eo.progress = plan.ofPasses(firstPass, passes.size(), text.size());
        Encoded e = encode(text.data(), text.size(), o.params, models, eo);
        plan.begin(firstPass + passes.size());
        d.vocab = e.vocab;
        allTokens = e.tokens.size();
        const Trace& t = e.trace;
        size_t tok = 0;
        for (size_t ex = 0; ex < examples; ++ex) {
            const uint64_t b0 = ex * o.exampleBytes, b1 = b0 + o.exampleBytes;
            const Segment& last = t.segments[t.segmentOfByte[b1 - 1]];
            const uint64_t bitEnd = last.bitBegin + last.bitsTotal;
            const size_t first = tok;
            while (tok < t.tokens.size() && t.tokens[tok].bitEnd <= bitEnd) ++tok;
            if (tok < t.tokens.size() && t.tokens[tok].bitBegin < bitEnd)
                throw Error("internal: a token straddles two examples (" + d.method + ")");
            const size_t count = tok - first;
            uint64_t covered = 0;
            if (count > size_t(o.seqTokens)) covered = t.tokens[first + size_t(o.seqTokens) - 1].byteEnd - b0;
            appendExample(splitOf(ex), e.tokens, first, count, covered, o.exampleBytes, o.seqTokens);
        }
        if (tok != t.tokens.size()) throw Error("internal: tokens left over after the last example (" + d.method + ")");
    } else {
        const ProgressFn coding = plan.of(firstPass);
        ProgressTicker ticker(coding, examples, kExamplesPerReport);
        for (size_t ex = 0; ex < examples; ++ex) {
            const Encoded e = encode(text.data() + ex * o.exampleBytes, o.exampleBytes, o.params, models, eo);
            d.vocab = e.vocab;
            allTokens += e.tokens.size();
            const size_t count = e.tokens.size();
            uint64_t covered = 0;
            if (count > size_t(o.seqTokens)) {
                covered = e.trace.alignment == Alignment::DeflateBlock
                              ? o.exampleBytes * uint64_t(o.seqTokens) / count  // blocks are too coarse: pro rata
                              : e.trace.tokens[size_t(o.seqTokens) - 1].byteEnd;
            }
            appendExample(splitOf(ex), e.tokens, 0, count, covered, o.exampleBytes, o.seqTokens);
            ticker.tick(ex + 1);
        }
    }
    plan.finish();
    if (d.vocab > 65536) throw InvalidArgument("M2 datasets hold tokens of at most 16 bits");
    d.bytesPerToken = double(text.size()) / double(std::max<uint64_t>(1, allTokens));
    d.buildSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return d;
}

void saveDataset(const Dataset& d, const std::string& dir) {
    if (!QDir().mkpath(QString::fromStdString(dir))) throw IoError("cannot create " + dir);
    writeTokens(dir + "/train.bin", d.train.tokens);
    writeTokens(dir + "/valid.bin", d.valid.tokens);
    QJsonObject o;
    o["format"] = "eqlab-m2-dataset";
    o["version"] = kDatasetVersion;
    o["key"] = QString::fromStdString(d.key);
    o["method"] = QString::fromStdString(d.method);
    o["method_name"] = QString::fromStdString(methodName(d.params.method));
    o["window_bits"] = d.params.windowBits;
    o["token_bits"] = d.params.tokenBits;
    o["precision"] = d.params.effectivePrecision();
    o["chunk_bytes"] = qint64(d.params.chunkBytes);
    o["gzip_level"] = d.params.gzipLevel;
    o["termination"] = int(d.params.termination);
    o["vocab"] = qint64(d.vocab);
    o["seq_tokens"] = d.seqTokens;
    o["example_bytes"] = qint64(d.exampleBytes);
    o["tokens_per_window"] = d.tokensPerWindow;
    o["corpus"] = QString::fromStdString(d.corpusName);
    o["corpus_id"] = QString::fromStdString(d.corpusId);
    o["model_hash"] = QString::fromStdString(d.modelHash);
    o["build_seconds"] = d.buildSeconds;
    o["bytes_per_token"] = d.bytesPerToken;
    o["dtype"] = "uint16";
    o["byte_order"] = "little";
    o["shape_note"] = "train.bin and valid.bin are [examples, seq_tokens]; positions past lengths[i] are padding (0)";
    for (auto [name, s] : {std::pair<const char*, const Split*>{"train", &d.train}, {"valid", &d.valid}}) {
        QJsonObject so;
        so["examples"] = qint64(s->examples);
        so["file"] = QString(name) + ".bin";
        so["tokens"] = qint64(s->totalTokens());
        so["bytes"] = qint64(s->totalBytes());
        so["lengths"] = toJson(s->lengths);
        so["covered_bytes"] = toJson(s->coveredBytes);
        o[name] = so;
    }
    const QByteArray json = QJsonDocument(o).toJson(QJsonDocument::Compact);
    writeFile(dir + "/dataset.json", std::vector<uint8_t>(json.begin(), json.end()));
}

Dataset loadDataset(const std::string& dir) {
    const std::vector<uint8_t> raw = readFile(dir + "/dataset.json");
    QJsonParseError err;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char*>(raw.data()), qsizetype(raw.size())), &err);
    if (doc.isNull() || !doc.isObject())
        throw FormatError(dir + "/dataset.json: not JSON (" + err.errorString().toStdString() + ")");
    const QJsonObject o = doc.object();
    if (o["format"].toString() != "eqlab-m2-dataset") throw FormatError(dir + "/dataset.json: not an eqlab M2 dataset");
    if (o["version"].toInt() != kDatasetVersion)
        throw FormatError(dir + "/dataset.json: version " + std::to_string(o["version"].toInt()) + ", expected " +
                          std::to_string(kDatasetVersion));
    Dataset d;
    d.key = o["key"].toString().toStdString();
    d.method = o["method"].toString().toStdString();
    d.params.method = parseMethod(o["method_name"].toString().toStdString());
    d.params.windowBits = o["window_bits"].toInt();
    d.params.tokenBits = o["token_bits"].toInt();
    d.params.chunkBytes = uint32_t(o["chunk_bytes"].toInteger());
    d.params.gzipLevel = o["gzip_level"].toInt();
    d.params.termination = CodecParams::Termination(o["termination"].toInt());
    try {
        d.params.validate();  // what the label, the trainer and the windows assume of them
    } catch (const InvalidArgument& e) {
        throw FormatError(dir + "/dataset.json: " + e.what());
    }
    d.vocab = uint64_t(o["vocab"].toInteger());
    d.seqTokens = o["seq_tokens"].toInt();
    d.exampleBytes = uint64_t(o["example_bytes"].toInteger());
    d.tokensPerWindow = o["tokens_per_window"].toInt();
    d.corpusName = o["corpus"].toString().toStdString();
    d.corpusId = o["corpus_id"].toString().toStdString();
    d.modelHash = o["model_hash"].toString().toStdString();
    d.buildSeconds = o["build_seconds"].toDouble();
    d.bytesPerToken = o["bytes_per_token"].toDouble();
    if (d.vocab < 2 || d.vocab > 65536 || d.seqTokens < 2)
        throw FormatError(dir + "/dataset.json: vocab or seq_tokens out of range");
    for (auto [name, s] : {std::pair<const char*, Split*>{"train", &d.train}, {"valid", &d.valid}}) {
        const QJsonObject so = o[name].toObject();
        s->examples = size_t(so["examples"].toInteger());
        s->lengths = fromJson(so["lengths"], s->examples, "lengths");
        s->coveredBytes = fromJson(so["covered_bytes"], s->examples, "covered_bytes");
        s->tokens = readTokens(dir + "/" + name + ".bin", s->examples * size_t(d.seqTokens));
        for (size_t i = 0; i < s->examples; ++i) {
            if (s->lengths[i] > uint32_t(d.seqTokens))
                throw FormatError(dir + ": an example is longer than seq_tokens");
            for (uint32_t t = 0; t < s->lengths[i]; ++t)
                if (s->row(i, d.seqTokens)[t] >= d.vocab)
                    throw FormatError(dir + ": a token is outside the vocabulary");
        }
    }
    if (d.train.examples == 0 || d.valid.examples == 0) throw FormatError(dir + ": an empty split");
    return d;
}

Dataset buildOrLoadDataset(const std::string& corpusPath, const DatasetOptions& o, const std::string& dir,
                           const StatusFn& progress, bool* cached) {
    if (QFile::exists(QString::fromStdString(dir + "/dataset.json"))) {
        try {
            if (progress && !progress({0.0, "checking the cached dataset", -1})) throw Cancelled();
            Dataset d = loadDataset(dir);
            // The key depends on the corpus bytes and the model: recompute it cheaply from both.
            const std::string corpusId =
                corpusIdOf(readCorpus(corpusPath, o.maxBytes, std::max<uint64_t>(1, o.exampleBytes)));
            if (d.key == datasetKey(corpusId, o, modelHashOf(loadModelsFor(o.params.method, o.modelPath)))) {
                if (cached) *cached = true;
                if (progress && !progress({1.0, "done", 0})) throw Cancelled();
                return d;
            }
        } catch (const FormatError&) {
            // A damaged or older cache is rebuilt.
        }
    }
    // The build's own "done" waits for the dataset to be saved.
    const StatusFn building = [&progress](const ProgressStatus& s) {
        return !progress || progress(s.fraction < 1.0 ? s : ProgressStatus{1.0, "saving", 0});
    };
    Dataset d = buildDataset(corpusPath, o, building);
    saveDataset(d, dir);
    if (progress && !progress({1.0, "done", 0})) throw Cancelled();
    if (cached) *cached = false;
    return d;
}

}  // namespace eqlab::m2
