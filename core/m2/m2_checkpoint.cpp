#include "m2/m2_checkpoint.h"

#include <QFile>
#include <cstdio>
#include <cstring>

#include "base/binary_io.h"
#include "base/errors.h"
#include "base/file_io.h"
#include "base/hashes.h"
#include "base/output_file.h"

namespace eqlab::m2 {

namespace {

constexpr char kMagic[4] = {'E', 'Q', 'M', '2'};
constexpr size_t kMaxText = 4096;            // the longest key, method or config read back
constexpr size_t kMaxSamplerText = 1 << 16;  // mt19937_64's state as text: 312 numbers, about 6.3 KB
// An older eqlab's checkpoint: three files, no checksum.
constexpr char kLegacyModelFile[] = "model.pt";

void f64(ByteSink& s, double v) {
    uint64_t u;
    std::memcpy(&u, &v, 8);
    s.u64(u);
}

double f64(ByteSource& s, const char* field) {
    const uint64_t u = s.u64(field);
    double v;
    std::memcpy(&v, &u, 8);
    return v;
}

std::string configText(const M2Config& c) {
    return c.describe();
}

}  // namespace

std::vector<uint8_t> encodeCheckpoint(const Checkpoint& c) {
    ByteSink s;
    s.bytes(kMagic, 4);
    s.u32(kCheckpointVersion);
    s.str(c.datasetKey);
    s.str(c.method);
    s.u64(c.vocab);
    s.u32(uint32_t(c.seqTokens));
    s.str(configText(c.config));
    s.u64(uint64_t(c.step));
    s.u64(c.tokensSeen);
    s.u64(c.bytesSeen);
    f64(s, c.seconds);
    f64(s, c.smoothedLoss);
    s.str(c.sampler);
    s.u64(c.model.size());
    s.u64(c.optimizer.size());
    s.u32(crc32Of(s.data().data(), s.size()));
    const size_t body = s.size();
    s.bytes(c.model.data(), c.model.size());
    s.bytes(c.optimizer.data(), c.optimizer.size());
    s.u32(crc32Of(s.data().data() + body, s.size() - body));
    return std::move(s.data());
}

Checkpoint decodeCheckpoint(const uint8_t* data, size_t size, const std::string& what) {
    ByteSource s(data, size, what);
    if (size < 4 || std::memcmp(data, kMagic, 4) != 0) s.fail("not an eqlab M2 checkpoint (bad magic)");
    s.take(4, "magic");
    const uint32_t version = s.u32("version");
    if (version != kCheckpointVersion)
        s.fail("checkpoint version " + std::to_string(version) + ", this eqlab reads " +
               std::to_string(kCheckpointVersion));
    Checkpoint c;
    c.datasetKey = s.str("dataset key", kMaxText);
    c.method = s.str("method", kMaxText);
    c.vocab = s.u64("vocab");
    c.seqTokens = int(s.u32("seq_tokens"));
    const std::string config = s.str("config", kMaxText);
    c.step = int64_t(s.u64("step"));
    c.tokensSeen = s.u64("tokens seen");
    c.bytesSeen = s.u64("bytes seen");
    c.seconds = f64(s, "seconds");
    c.smoothedLoss = f64(s, "smoothed loss");
    c.sampler = s.str("sampler state", kMaxSamplerText);
    const uint64_t modelBytes = s.u64("model size"), optimizerBytes = s.u64("optimizer size");
    const size_t header = s.offset();
    if (s.u32("header CRC-32") != crc32Of(data, header)) s.fail("the header's CRC-32 does not match (damaged)");
    // Sizes checked against the file before anything is allocated.
    if (modelBytes > s.remaining() || optimizerBytes > s.remaining() - modelBytes ||
        s.remaining() - modelBytes - optimizerBytes != 4)
        s.fail("the model and optimizer sizes (" + std::to_string(modelBytes) + " + " + std::to_string(optimizerBytes) +
               " bytes) do not match the file's " + std::to_string(size));
    const size_t body = s.offset();
    const uint8_t* m = s.take(size_t(modelBytes), "model");
    const uint8_t* o = s.take(size_t(optimizerBytes), "optimizer");
    if (s.u32("CRC-32") != crc32Of(data + body, size_t(modelBytes + optimizerBytes)))
        s.fail("the model's or the optimizer's CRC-32 does not match (damaged)");
    if (c.step < 0 || c.vocab < 2 || c.vocab > 65536 || c.seqTokens < 2 || !(c.seconds >= 0))
        s.fail("impossible state (step, vocabulary, sequence length or time)");
    if (std::sscanf(config.c_str(), "d=%d heads=%d layers=%d mlp=%d", &c.config.dModel, &c.config.heads,
                    &c.config.layers, &c.config.mlp) != 4 ||
        c.config.describe() != config)
        s.fail("unreadable model shape \"" + config + "\"");
    c.model.assign(reinterpret_cast<const char*>(m), size_t(modelBytes));
    c.optimizer.assign(reinterpret_cast<const char*>(o), size_t(optimizerBytes));
    return c;
}

void writeCheckpoint(const std::string& runDir, const Checkpoint& c) {
    writeFile(runDir + "/" + kCheckpointFile, encodeCheckpoint(c));
}

Checkpoint readCheckpoint(const std::string& runDir) {
    const std::string path = runDir + "/" + kCheckpointFile;
    if (!QFile::exists(QString::fromStdString(path))) {
        if (QFile::exists(QString::fromStdString(runDir + "/" + kLegacyModelFile)))
            throw FormatError(runDir +
                              ": its checkpoint (model.pt, optimizer.pt, state.txt) is of an older eqlab, "
                              "written without a checksum; it cannot be resumed, train the run again");
        throw FormatError(runDir + " has no checkpoint (" + kCheckpointFile +
                          ") to resume from: the run stopped before its first one");
    }
    const std::vector<uint8_t> raw = readFile(path);
    return decodeCheckpoint(raw.data(), raw.size(), path);
}

std::string resumeMismatch(const Checkpoint& k, const Dataset& d, const M2Config& c) {
    std::vector<std::string> diffs;
    auto differ = [&diffs](const std::string& what, const std::string& run, const std::string& now) {
        if (run != now) diffs.push_back(what + " " + run + ", not " + now);
    };
    differ("method", k.method, d.method);
    differ("vocabulary", std::to_string(k.vocab), std::to_string(d.vocab));
    differ("sequence length", std::to_string(k.seqTokens), std::to_string(d.seqTokens));
    differ("dataset key", k.datasetKey, d.key);
    differ("model", k.config.describe(), c.describe());
    std::string out;
    for (const std::string& s : diffs) out += (out.empty() ? "" : "; ") + s;
    return out;
}

}  // namespace eqlab::m2
