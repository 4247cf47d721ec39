#include "fuzz/fuzz_support.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>

#include "base/errors.h"
#include "base/hashes.h"
#include "base/output_file.h"
#include "methods/container.h"
#include "methods/default_models.h"

namespace eqlab::fuzz {

namespace {

constexpr size_t kContainerPrefix = 10;        // "EQLC" u16 version u32 bodyLength
constexpr char kMemoryTempDir[] = "/dev/shm";  // Linux's tmpfs for shared memory

uint32_t le32(const uint8_t* p) {
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

uint64_t le64(const uint8_t* p) {
    return uint64_t(le32(p)) | uint64_t(le32(p + 4)) << 32;
}

void putLe32(uint8_t* p, uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = uint8_t(v >> (8 * i));
}

// The bundled models, as loadModelsFor finds them, with the tests' tiny M1
// standing in for the bundled one (as in the test suite).
const ModelSet& loaded(Method method) {
    static std::mutex mutex;
    static std::map<Method, ModelSet> cache;
    const std::lock_guard<std::mutex> lock(mutex);
    const auto it = cache.find(method);
    if (it != cache.end()) return it->second;
    setenv("EQLAB_DEFAULT_M1", EQLAB_TEST_DATA "/tiny-m1.eqm1", /*overwrite=*/1);
    setenv("EQLAB_RESOURCES", EQLAB_RESOURCE_DIR, /*overwrite=*/1);
    return cache[method] = loadModelsFor(method, "");
}

}  // namespace

ModelSet modelsFor(Method method) {
    ModelSet set = loaded(method);
    if (set.byteModel) set.byteModel = std::shared_ptr<ByteModel>(set.byteModel->clone());
    return set;
}

std::shared_ptr<ByteModel> tinyM1() {
    return modelsFor(Method::Ac).byteModel;
}

uint64_t maxDecodedBytes(bool m1) {
    static const uint64_t fromEnvironment = [] {
        const char* v = std::getenv("EQLAB_FUZZ_MAX_DECODED");
        return v ? std::strtoull(v, nullptr, 10) : 0;
    }();
    return fromEnvironment ? fromEnvironment : m1 ? kMaxM1DecodedBytes : kMaxDecodedBytes;
}

std::vector<uint8_t> withContainerChecksums(const uint8_t* data, size_t size) {
    std::vector<uint8_t> out(data, data + size);
    if (size < kContainerPrefix || !looksLikeContainer(data, size)) return out;
    const uint64_t headerEnd = kContainerPrefix + uint64_t(le32(data + 6));
    if (headerEnd + 4 > size) return out;
    putLe32(out.data() + headerEnd, crc32Of(out.data(), size_t(headerEnd)));
    const uint64_t payloadAt = headerEnd + 4 + 8;
    if (payloadAt > size) return out;
    const uint64_t payloadBytes = le64(data + headerEnd + 4);
    if (payloadBytes > size - payloadAt || payloadAt + payloadBytes + 4 > size) return out;
    putLe32(out.data() + payloadAt + payloadBytes, crc32Of(out.data() + payloadAt, size_t(payloadBytes)));
    return out;
}

std::vector<uint8_t> withTrailingChecksum(const uint8_t* data, size_t size) {
    std::vector<uint8_t> out(data, data + size);
    if (size >= 4) putLe32(out.data() + size - 4, crc32Of(data, size - 4));
    return out;
}

std::vector<std::string> splitParts(const uint8_t* data, size_t size, size_t count) {
    const std::string all(reinterpret_cast<const char*>(data), size);
    const std::string separator = kPartSeparator;
    std::vector<std::string> parts;
    size_t from = 0;
    while (parts.size() + 1 < count) {
        const size_t at = all.find(separator, from);
        if (at == std::string::npos) break;
        parts.push_back(all.substr(from, at - from));
        from = at + separator.size();
    }
    parts.push_back(from < all.size() ? all.substr(from) : std::string());
    parts.resize(count);
    return parts;
}

const std::string& scratchDir() {
    // In memory where the system has a tmpfs: the atomic writes' fsync then costs nothing.
    static QTemporaryDir dir(QFileInfo(kMemoryTempDir).isWritable() ? QString(kMemoryTempDir) + "/eqlab-fuzz-XXXXXX"
                                                                    : QDir::tempPath() + "/eqlab-fuzz-XXXXXX");
    static const std::string path = [] {
        if (!dir.isValid()) throw IoError("fuzz: cannot make a scratch folder");
        return dir.path().toStdString();
    }();
    return path;
}

std::string writeScratch(const std::string& name, const std::string& bytes) {
    const std::string path = scratchDir() + "/" + name;
    if (!QDir().mkpath(QFileInfo(QString::fromStdString(path)).path()))
        throw IoError("fuzz: cannot make the folder of " + path);
    writeFile(path, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    return path;
}

void asIsAndRepaired(const uint8_t* data, size_t size, Repairer repair, Loader load) {
    load(data, size);
    const std::vector<uint8_t> repaired = repair(data, size);
    if (repaired.size() != size || !std::equal(repaired.begin(), repaired.end(), data))
        load(repaired.data(), repaired.size());
}

}  // namespace eqlab::fuzz
