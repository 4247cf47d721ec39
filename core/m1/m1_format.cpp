#include "m1/m1_format.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/binary_io.h"

namespace eqlab::m1 {

namespace {

constexpr char kMagic[4] = {'E', 'Q', 'M', '1'};
constexpr uint32_t kMaxHeaderBytes = 1u << 16;
constexpr int kMaxDim = 1 << 16;  // any single config dimension
constexpr uint32_t kMaxRank = 4;
constexpr uint32_t kMaxNumericsVersion = 1u << 20;  // any stamp above is damage

[[noreturn]] void fail(const std::string& m) {
    throw M1FormatError("M1 weights: " + m);
}

void writeTensors(ByteSink& w, const std::map<std::string, Tensor>& tensors) {
    w.u32(uint32_t(tensors.size()));
    for (const auto& [name, t] : tensors) {
        w.str(name);
        w.u32(uint32_t(t.shape.size()));
        for (int d : t.shape) w.u32(uint32_t(d));
        w.bytes(t.data.data(), t.data.size() * sizeof(float));  // little-endian hosts only (checked in load)
    }
}

double f64(ByteSource& in, const char* field) {
    const uint64_t u = in.u64(field);
    double d;
    std::memcpy(&d, &u, 8);
    return d;
}

void f64(ByteSink& out, double v) {
    uint64_t u;
    std::memcpy(&u, &v, 8);
    out.u64(u);
}

}  // namespace

uint32_t crc32Std(const uint8_t* data, size_t size, uint32_t crc) {
    static uint32_t table[256];
    static bool ready = [] {
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return true;
    }();
    (void)ready;
    crc = ~crc;
    for (size_t i = 0; i < size; ++i) crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

bool isM1File(const uint8_t* data, size_t size) {
    return size >= 4 && std::memcmp(data, kMagic, 4) == 0;
}

int64_t M1Config::nonEmbeddingParams() const {
    const int64_t d = dModel, m = mlp;
    const int64_t perLayer = 2 * (2 * d)               // two LayerNorms
                             + d * 3 * d + 3 * d       // qkv
                             + d * d + d               // attention output
                             + d * m + m + m * d + d;  // MLP
    return perLayer * layers + 2 * d;                  // + final LayerNorm
}

void M1Config::validate() const {
    auto bad = [](const std::string& m) { throw M1FormatError("M1 config: " + m); };
    if (dModel < 8 || dModel > kMaxDim) bad("d_model out of range");
    if (heads < 1 || heads > 64 || dModel % heads != 0) bad("heads must divide d_model");
    if (layers < 1 || layers > 64) bad("layers out of range");
    if (mlp < 1 || mlp > kMaxDim) bad("mlp width out of range");
    if (context < 1 || context > kMaxDim) bad("context out of range");
}

std::string M1Config::describe() const {
    std::ostringstream s;
    s << "d=" << dModel << " heads=" << heads << " layers=" << layers << " mlp=" << mlp << " context=" << context;
    return s.str();
}

size_t Tensor::numel() const {
    size_t n = 1;
    for (int d : shape) n *= size_t(d);
    return n;
}

std::map<std::string, std::vector<int>> M1Weights::expectedShapes(const M1Config& c) {
    const int d = c.dModel, m = c.mlp;
    std::map<std::string, std::vector<int>> s;
    s["embed.weight"] = {kInputVocab, d};
    for (int l = 0; l < c.layers; ++l) {
        const std::string p = "blocks." + std::to_string(l) + ".";
        s[p + "ln1.weight"] = {d};
        s[p + "ln1.bias"] = {d};
        s[p + "qkv.weight"] = {3 * d, d};
        s[p + "qkv.bias"] = {3 * d};
        s[p + "proj.weight"] = {d, d};
        s[p + "proj.bias"] = {d};
        s[p + "ln2.weight"] = {d};
        s[p + "ln2.bias"] = {d};
        s[p + "fc1.weight"] = {m, d};
        s[p + "fc1.bias"] = {m};
        s[p + "fc2.weight"] = {d, m};
        s[p + "fc2.bias"] = {d};
    }
    s["lnf.weight"] = {d};
    s["lnf.bias"] = {d};
    s["head.weight"] = {kVocab, d};
    s["head.bias"] = {kVocab};
    return s;
}

std::vector<uint8_t> M1Weights::tensorBytes() const {
    ByteSink w;
    writeTensors(w, tensors);
    return std::move(w.data());
}

std::vector<uint8_t> M1Weights::serialize() const {
    ByteSink h;
    h.u32(uint32_t(config.dModel));
    h.u32(uint32_t(config.heads));
    h.u32(uint32_t(config.layers));
    h.u32(uint32_t(config.mlp));
    h.u32(uint32_t(config.context));
    h.u64(provenance.steps);
    h.u64(provenance.seed);
    f64(h, provenance.validBitsPerByte);
    h.u64(provenance.bytesSeen);
    f64(h, provenance.trainSeconds);
    h.str(provenance.corpusHash.substr(0, 128));
    h.str(provenance.corpusName.substr(0, 256));
    h.str(provenance.note.substr(0, 1024));
    h.u32(uint32_t(provenance.numericsVersion));
    ByteSink w;
    w.bytes(kMagic, 4);
    w.u32(kWeightsVersion);
    w.u32(uint32_t(h.size()));
    w.bytes(h.data());
    writeTensors(w, tensors);
    w.u32(crc32Std(w.data().data(), w.size()));
    return std::move(w.data());
}

M1Weights M1Weights::deserialize(const uint8_t* data, size_t size) {
    const uint32_t probe = 1;
    if (*reinterpret_cast<const uint8_t*>(&probe) != 1) fail("this machine is not little-endian");
    ByteSource r(data, size, "M1 weights");
    if (!isM1File(data, size)) fail("not an M1 weights file (bad magic)");
    r.take(4, "magic");
    const uint32_t version = r.u32("version");
    if (version < 1 || version > kWeightsVersion)
        fail("unsupported version " + std::to_string(version) + " (this eqlab reads versions 1 to " +
             std::to_string(kWeightsVersion) + ")");
    if (size < 4 || crc32Std(data, size - 4) != (uint32_t(data[size - 4]) | uint32_t(data[size - 3]) << 8 |
                                                 uint32_t(data[size - 2]) << 16 | uint32_t(data[size - 1]) << 24))
        fail("checksum mismatch: the file is truncated or corrupted");
    const uint32_t headerBytes = r.u32("header length");
    if (headerBytes > kMaxHeaderBytes || headerBytes > r.remaining()) fail("header length out of range");
    ByteSource h(r.take(headerBytes, "header"), headerBytes, "M1 weights header");
    M1Weights w;
    M1Config& c = w.config;
    c.dModel = int(h.u32("d_model"));
    c.heads = int(h.u32("heads"));
    c.layers = int(h.u32("layers"));
    c.mlp = int(h.u32("mlp"));
    c.context = int(h.u32("context"));
    c.validate();
    M1Provenance& p = w.provenance;
    p.steps = h.u64("steps");
    p.seed = h.u64("seed");
    p.validBitsPerByte = f64(h, "valid bits/byte");
    p.bytesSeen = h.u64("bytes seen");
    p.trainSeconds = f64(h, "train seconds");
    p.corpusHash = h.str("corpus hash", 128);
    p.corpusName = h.str("corpus name", 256);
    p.note = h.str("note", 1024);
    p.numericsVersion = kNumericsOfVersion1Files;
    if (version >= 2) {
        const uint32_t numerics = h.u32("numerics version");
        if (numerics > kMaxNumericsVersion) fail("numerics version " + std::to_string(numerics) + " out of range");
        p.numericsVersion = int(numerics);
    }

    const auto expected = expectedShapes(c);
    const uint32_t count = r.u32("tensor count");
    if (count != expected.size())
        fail("expected " + std::to_string(expected.size()) + " tensors, found " + std::to_string(count));
    for (uint32_t i = 0; i < count; ++i) {
        const std::string name = r.str("tensor name", 64);
        const auto it = expected.find(name);
        if (it == expected.end()) fail("unexpected tensor '" + name + "'");
        const uint32_t rank = r.u32("tensor rank");
        if (rank > kMaxRank) fail("tensor '" + name + "' has rank " + std::to_string(rank));
        Tensor t;
        for (uint32_t k = 0; k < rank; ++k) t.shape.push_back(int(r.u32("tensor shape")));
        if (t.shape != it->second) fail("tensor '" + name + "' has the wrong shape for " + c.describe());
        const size_t n = t.numel();
        const uint8_t* bytes = r.take(n * sizeof(float), "tensor data");
        t.data.resize(n);
        std::memcpy(t.data.data(), bytes, n * sizeof(float));
        for (float x : t.data)
            if (!std::isfinite(x)) fail("tensor '" + name + "' holds a NaN or infinity");
        w.tensors[name] = std::move(t);
    }
    if (w.tensors.size() != expected.size()) fail("a tensor appears twice");
    r.take(4, "checksum");
    if (r.remaining() != 0) fail("unexpected bytes after the checksum");
    return w;
}

M1Weights M1Weights::load(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("cannot read " + path);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    try {
        return deserialize(bytes.data(), bytes.size());
    } catch (const M1FormatError& e) {
        throw M1FormatError(path + ": " + e.what());
    }
}

const Tensor& M1Weights::at(const std::string& name) const {
    const auto it = tensors.find(name);
    if (it == tensors.end()) throw M1FormatError("M1 weights: missing tensor '" + name + "'");
    return it->second;
}

}  // namespace eqlab::m1
