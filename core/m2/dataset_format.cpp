#include "m2/dataset_format.h"

#include <QJsonArray>
#include <limits>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/output_file.h"

namespace eqlab::m2 {

namespace {

QJsonArray toJson(const std::vector<uint32_t>& v) {
    QJsonArray a;
    for (uint32_t x : v) a.append(qint64(x));
    return a;
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

void writeHeaderFields(const Dataset& d, QJsonObject& o) {
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
    o["dtype"] = "uint16";
    o["byte_order"] = "little";
}

void readHeaderFields(const JsonFields& f, Dataset& d) {
    d.key = f.text("key");
    d.method = f.text("method");
    try {
        d.params.method = parseMethod(f.text("method_name"));
        d.params.windowBits = int(f.integer("window_bits", 1, 1 << 20));
        d.params.tokenBits = int(f.integer("token_bits", 1, 64));
        d.params.chunkBytes = uint32_t(f.integer("chunk_bytes", 0, std::numeric_limits<uint32_t>::max()));
        d.params.gzipLevel = int(f.integer("gzip_level", -1, 9));
        d.params.termination = CodecParams::Termination(f.integer("termination", 0, 1));
        // The label says the rest (an M1 reset period) and must agree with the fields.
        const CodecParams labelled = CodecParams::fromLabel(d.method);
        if (labelled.method != d.params.method)
            f.fail("\"method\" " + d.method + " is not a " + methodName(d.params.method) + " method (\"method_name\")");
        d.params.m1Reset = labelled.m1Reset;
        d.params.validate();
    } catch (const InvalidArgument& e) {
        f.fail(std::string("the method's parameters: ") + e.what());
    }
    d.vocab = uint64_t(f.integer("vocab", 2, 65536));
    d.seqTokens = int(f.integer("seq_tokens", 2, 65536));
    d.exampleBytes = uint64_t(f.integer("example_bytes", 16, 1 << 24));
    d.tokensPerWindow = int(f.integer("tokens_per_window", 0, d.seqTokens));
    d.corpusName = f.text("corpus");
    d.corpusId = f.text("corpus_id");
    d.modelHash = f.text("model_hash");
    f.expect("dtype", "uint16");
    f.expect("byte_order", "little");
}

QJsonObject examplesJson(const Split& s, const std::string& file) {
    QJsonObject so;
    so["examples"] = qint64(s.examples);
    so["file"] = QString::fromStdString(file);
    so["tokens"] = qint64(s.totalTokens());
    so["bytes"] = qint64(s.totalBytes());
    so["lengths"] = toJson(s.lengths);
    so["covered_bytes"] = toJson(s.coveredBytes);
    return so;
}

Split readExamples(const JsonFields& sf, const std::string& dir, const std::string& file, const Dataset& d) {
    // The token files are read whole: at most this many examples of seq_tokens fit readFile's limit.
    const int64_t maxExamples = int64_t((uint64_t(1) << 33) / uint64_t(d.seqTokens));
    Split s;
    s.examples = size_t(sf.integer("examples", 1, maxExamples));
    sf.expect("file", file);
    // Every example scores 1 to seq_tokens tokens over 1 to example_bytes bytes of its text.
    s.lengths = sf.integers("lengths", s.examples, 1, uint32_t(d.seqTokens));
    s.coveredBytes = sf.integers("covered_bytes", s.examples, 1, uint32_t(d.exampleBytes));
    for (size_t i = 0; i < s.examples; ++i)
        if (s.lengths[i] < uint32_t(d.seqTokens) && s.coveredBytes[i] != d.exampleBytes)
            sf.fail("example " + std::to_string(i) + " is not truncated (" + std::to_string(s.lengths[i]) + " of " +
                    std::to_string(d.seqTokens) + " tokens) but covers " + std::to_string(s.coveredBytes[i]) +
                    " bytes, not all " + std::to_string(d.exampleBytes));
    if (uint64_t(sf.integer("tokens", 0, std::numeric_limits<int64_t>::max())) != s.totalTokens())
        sf.fail("\"tokens\" is not the sum of \"lengths\" (" + std::to_string(s.totalTokens()) + ")");
    if (uint64_t(sf.integer("bytes", 0, std::numeric_limits<int64_t>::max())) != s.totalBytes())
        sf.fail("\"bytes\" is not the sum of \"covered_bytes\" (" + std::to_string(s.totalBytes()) + ")");
    const std::string path = dir + "/" + file;
    s.tokens = readTokens(path, s.examples * size_t(d.seqTokens));
    for (size_t i = 0; i < s.examples; ++i) {
        const uint16_t* row = s.row(i, d.seqTokens);
        for (uint32_t t = 0; t < uint32_t(d.seqTokens); ++t) {
            if (t < s.lengths[i] && row[t] >= d.vocab)
                throw FormatError(path + ": example " + std::to_string(i) + " token " + std::to_string(t) + " is " +
                                  std::to_string(row[t]) + ", outside the vocabulary of " + std::to_string(d.vocab));
            if (t >= s.lengths[i] && row[t] != 0)
                throw FormatError(path + ": example " + std::to_string(i) + " has a token (" + std::to_string(row[t]) +
                                  ") in its padding, at " + std::to_string(t) + " past its length " +
                                  std::to_string(s.lengths[i]));
        }
    }
    return s;
}

void writeTokens(const std::string& path, const std::vector<uint16_t>& tokens) {
    std::vector<uint8_t> bytes(tokens.size() * 2);
    for (size_t i = 0; i < tokens.size(); ++i) {  // little-endian whatever the machine
        bytes[2 * i] = uint8_t(tokens[i] & 0xff);
        bytes[2 * i + 1] = uint8_t(tokens[i] >> 8);
    }
    writeFile(path, bytes);
}

}  // namespace eqlab::m2
