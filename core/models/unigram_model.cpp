#include "models/unigram_model.h"

#include <algorithm>
#include <cstring>

#include "base/binary_io.h"
#include "base/errors.h"
#include "base/file_io.h"
#include "base/hashes.h"
#include "base/output_file.h"

namespace eqlab {

namespace {
constexpr char kUnigramMagic[4] = {'E', 'Q', 'U', 'G'};
constexpr size_t kMaxNameLength = 256;  // bytes of a unigram model's name
}  // namespace

bool UnigramModel::isUnigramFile(const uint8_t* data, size_t size) {
    return size >= 4 && std::memcmp(data, kUnigramMagic, 4) == 0;
}

UnigramModel UnigramModel::fit(const uint8_t* data, size_t size, const std::string& name) {
    UnigramModel m;
    m.name_ = name.substr(0, kMaxNameLength);
    for (size_t i = 0; i < size; ++i) ++m.counts_[data[i]];
    return m;
}

std::vector<float> UnigramModel::probabilities() const {
    std::vector<float> p(kAlphabet);
    fillProbabilities(p.data());
    return p;
}

void UnigramModel::probabilities(float* out) {
    fillProbabilities(out);
}

void UnigramModel::fillProbabilities(float* out) const {
    double total = kAlphabet;
    for (uint64_t c : counts_) total += double(c);
    for (int s = 0; s < kAlphabet; ++s) out[s] = float((double(counts_[s]) + 1.0) / total);
}

const Cdf& UnigramModel::cdf(int precision) {
    if (precision != cachedPrecision_) {
        std::vector<float> p = probabilities();
        quantizeProbabilities(p.data(), precision, cache_);
        cachedPrecision_ = precision;
    }
    return cache_;
}

std::vector<uint8_t> UnigramModel::serialize() const {
    ByteSink out;
    out.bytes(kUnigramMagic, 4);
    out.u32(kVersion);
    out.str(name_);
    for (uint64_t c : counts_) out.u64(c);
    out.u32(crc32Of(out.data().data(), out.size()));
    return std::move(out.data());
}

UnigramModel UnigramModel::deserialize(const uint8_t* data, size_t size) {
    ByteSource in(data, size, "unigram model");
    const uint8_t* magic = in.take(4, "magic");
    if (std::memcmp(magic, kUnigramMagic, 4) != 0) in.fail("not a unigram model file (bad magic)");
    uint32_t version = in.u32("version");
    if (version != kVersion)
        in.fail("unsupported version " + std::to_string(version) + " (this eqlab reads version " +
                std::to_string(kVersion) + ")");
    UnigramModel m;
    m.name_ = in.str("name", kMaxNameLength);
    for (auto& c : m.counts_) c = in.u64("counts");
    const size_t covered = in.offset();
    uint32_t crc = in.u32("checksum");
    if (crc != crc32Of(data, covered)) in.fail("checksum mismatch: the file is corrupted");
    if (in.remaining() != 0) in.fail("unexpected bytes after the end of the model");
    return m;
}

UnigramModel UnigramModel::load(const std::string& path) {
    std::vector<uint8_t> bytes = readFile(path, 1 << 20);
    try {
        return deserialize(bytes.data(), bytes.size());
    } catch (const FormatError& e) {
        throw FormatError(path + ": " + e.what());
    }
}

void UnigramModel::save(const std::string& path) const {
    writeFile(path, serialize());
}

std::string UnigramModel::hash() const {
    std::vector<uint8_t> s = serialize();
    return sha256Hex(s.data(), s.size());
}

}  // namespace eqlab
