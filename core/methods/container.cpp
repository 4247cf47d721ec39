#include "methods/container.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "base/binary_io.h"
#include "base/errors.h"
#include "base/hashes.h"
#include "coding/tokens.h"
#include "models/model_files.h"
#include "models/uniform_model.h"

namespace eqlab {

namespace {

constexpr char kMagic[4] = {'E', 'Q', 'L', 'C'};
constexpr uint32_t kMaxBodyBytes = 1u << 30;            // header body, side information included
constexpr uint32_t kMaxEmbeddedModelBytes = 64u << 20;  // an embedded model larger is rejected
constexpr uint64_t kMaxInputBytes = uint64_t(1) << 40;  // 1 TiB of original data
constexpr size_t kMaxNameBytes = 256;
constexpr size_t kMaxHashBytes = 128;
constexpr uint64_t kMaxDeflateRatio = 1032;  // DEFLATE's most bytes out a byte in: a 258-byte match in 2 bits
constexpr uint8_t kFlagDistinct = 1;         // eqinfo-ac windows use distinct termination
constexpr uint8_t kFlagM1Reset = 2;          // eqinfo-ac: a u32 m1Reset follows chunkBytes (absent: 1, every window)

}  // namespace

std::string containerModelName(ContainerModel k) {
    switch (k) {
        case ContainerModel::None:
            return "none";
        case ContainerModel::Uniform:
            return "uniform";
        case ContainerModel::Unigram:
            return "unigram (embedded)";
        case ContainerModel::M1:
            return "M1 (by hash)";
        case ContainerModel::SentencePiece:
            return "sentencepiece (embedded)";
    }
    return "unknown";
}

bool looksLikeContainer(const uint8_t* data, size_t size) {
    return size >= 4 && std::memcmp(data, kMagic, 4) == 0;
}

std::vector<uint8_t> writeContainerHead(const Encoded& e, uint64_t tokenCount, const ModelSet& models) {
    ContainerModel kind = ContainerModel::None;
    std::string name, hash;
    std::vector<uint8_t> embedded;
    if (usesRangeCoder(e.params.method)) {
        if (!models.byteModel) throw InvalidArgument("writeContainer: the byte model is missing");
        const ByteModel& m = *models.byteModel;
        kind = m.kind() == ModelKind::Uniform   ? ContainerModel::Uniform
               : m.kind() == ModelKind::Unigram ? ContainerModel::Unigram
                                                : ContainerModel::M1;
        name = m.name();
        hash = m.hash();
        if (kind == ContainerModel::Unigram) embedded = m.serialize();
    } else if (e.params.method == Method::SentencePiece) {
        if (!models.sentencePiece) throw InvalidArgument("writeContainer: the SentencePiece model is missing");
        kind = ContainerModel::SentencePiece;
        name = "sentencepiece v=" + std::to_string(models.sentencePiece->vocabSize());
        hash = models.sentencePiece->hash();
        embedded = models.sentencePiece->serialized();
    }

    ByteSink body;
    body.u8(uint8_t(e.params.method));
    body.u8(uint8_t(e.params.tokenBits));
    body.u16(uint16_t(e.params.windowBits));
    body.u8(uint8_t(usesRangeCoder(e.params.method) ? e.params.effectivePrecision() : 0));
    body.u8(uint8_t(int8_t(e.params.gzipLevel)));
    body.u8(uint8_t((e.params.termination == CodecParams::Termination::Distinct ? kFlagDistinct : 0) |
                    (e.params.m1Reset != 1 ? kFlagM1Reset : 0)));
    body.u32(e.params.chunkBytes);
    if (e.params.m1Reset != 1) body.u32(e.params.m1Reset);
    body.u64(e.inputBytes);
    body.u32(e.inputCrc);
    body.u64(e.vocab);
    body.u64(tokenCount);
    body.u8(uint8_t(kind));
    body.str(name.substr(0, kMaxNameBytes));
    body.str(hash);
    body.u32(uint32_t(embedded.size()));
    body.bytes(embedded);
    body.u32(uint32_t(e.side.size()));
    body.bytes(e.side);

    ByteSink out;
    out.bytes(kMagic, 4);
    out.u16(kContainerVersion);
    out.u32(uint32_t(body.size()));
    out.bytes(body.data());
    out.u32(crc32Of(out.data().data(), out.size()));
    out.u64((tokenCount * uint64_t(e.storageBits()) + 7) / 8);
    return std::move(out.data());
}

std::vector<uint8_t> writeContainer(const Encoded& e, const ModelSet& models) {
    ByteSink out;
    out.bytes(writeContainerHead(e, e.tokens.size(), models));
    const std::vector<uint8_t> payload = tokensToBits(e.tokens, e.storageBits());
    out.bytes(payload);
    out.u32(crc32Of(payload.data(), payload.size()));
    return std::move(out.data());
}

size_t containerHeadBytes(const uint8_t* preamble, size_t size) {
    ByteSource in(preamble, size, "eqlab container");
    if (size >= 4 && size < kContainerPreambleBytes && std::memcmp(preamble, kMagic, 4) == 0)
        in.fail("file is truncated (header incomplete)");
    if (size < 4 || std::memcmp(preamble, kMagic, 4) != 0) in.fail("not an eqlab container (bad magic)");
    in.take(4, "magic");
    const uint16_t version = in.u16("version");
    if (version < kOldestContainerVersion || version > kContainerVersion)
        in.fail("unsupported format version " + std::to_string(version) + " (this eqlab reads versions " +
                std::to_string(kOldestContainerVersion) + " to " + std::to_string(kContainerVersion) + ")");
    const uint32_t bodyLength = in.u32("header length");
    if (bodyLength > kMaxBodyBytes) in.fail("header length " + std::to_string(bodyLength) + " is out of range");
    return kContainerPreambleBytes + size_t(bodyLength) + 4 + 8;
}

uint64_t maxDecodedBytes(const Container& c, uint64_t tokenCount, uint64_t payloadBytes) {
    const CodecParams& p = c.encoded.params;
    // a x b, saturating.
    const auto times = [](uint64_t a, uint64_t b) {
        return b != 0 && a > std::numeric_limits<uint64_t>::max() / b ? std::numeric_limits<uint64_t>::max() : a * b;
    };
    switch (p.method) {
        case Method::Bytes:
            return tokenCount;
        case Method::Gzip:
            return times(payloadBytes, kMaxDeflateRatio);
        case Method::StaticAc:
        case Method::Ac: {
            ByteSource side(c.encoded.side.data(), c.encoded.side.size(), "side information");
            uint64_t chunks = 0;
            for (; side.remaining() != 0; ++chunks) side.varint("chunk length");
            return times(chunks, p.chunkBytes);
        }
        case Method::EqualInfoAc: {
            const uint64_t windows = tokenCount * uint64_t(p.tokenBits) / uint64_t(p.windowBits);
            // The coder interval shrinks by at least the most probable byte's
            // share (plus the rounding of one step) per byte, and stays wider
            // than 2^-(b + 2) while the window's committed bits are <= b.
            const double share = 1.0 - 255.0 / double(uint64_t(1) << p.effectivePrecision()) + std::ldexp(1.0, -29);
            const double perWindow = std::floor(double(p.windowBits + 2) / -std::log2(share)) + 1;
            return times(windows, std::min<uint64_t>(uint64_t(perWindow), p.chunkBytes));
        }
        case Method::SentencePiece:
            return times(tokenCount, std::max<uint64_t>(1, c.embeddedModel.size()));
    }
    return 0;
}

ContainerHead readContainerHead(const uint8_t* data, size_t size) {
    if (size < kContainerPreambleBytes || containerHeadBytes(data, size) != size)
        throw FormatError("eqlab container: the head is truncated");
    ByteSource in(data, size, "eqlab container");
    in.take(4, "magic");
    const uint16_t version = in.u16("version");
    const uint32_t bodyLength = in.u32("header length");
    const uint8_t* bodyPtr = in.take(bodyLength, "header");
    const uint32_t headerCrc = in.u32("header checksum");
    if (headerCrc != crc32Of(data, in.offset() - 4)) in.fail("header checksum mismatch: the header is corrupted");

    Container c;
    Encoded& e = c.encoded;
    ByteSource body(bodyPtr, bodyLength, "eqlab container header");
    const uint8_t method = body.u8("method");
    if (method > uint8_t(Method::SentencePiece)) body.fail("unknown method id " + std::to_string(method));
    e.params.method = Method(method);
    e.params.tokenBits = body.u8("token bits");
    e.params.windowBits = body.u16("window bits");
    e.params.precision = body.u8("precision");
    e.params.gzipLevel = int8_t(body.u8("gzip level"));
    const uint8_t flags = version >= 2 ? body.u8("flags") : 0;
    if (flags & ~(kFlagDistinct | kFlagM1Reset)) body.fail("unknown flags " + std::to_string(flags));
    e.params.termination =
        (flags & kFlagDistinct) ? CodecParams::Termination::Distinct : CodecParams::Termination::Shortest;
    e.params.chunkBytes = body.u32("chunk size");
    if (flags & kFlagM1Reset) {
        e.params.m1Reset = body.u32("M1 reset period");
        if (e.params.m1Reset == 1) body.fail("the M1 reset flag is set for the default period");
    }
    try {
        e.params.validate();
    } catch (const InvalidArgument& err) {
        body.fail(std::string("invalid parameters: ") + err.what());
    }
    e.inputBytes = body.u64("original length");
    if (e.inputBytes > kMaxInputBytes) body.fail("original length is out of range");
    e.inputCrc = body.u32("original checksum");
    e.vocab = body.u64("vocabulary size");
    const uint64_t tokenCount = body.u64("token count");
    const uint8_t kind = body.u8("model kind");
    if (kind > uint8_t(ContainerModel::SentencePiece)) body.fail("unknown model kind " + std::to_string(kind));
    c.modelKind = ContainerModel(kind);
    c.modelName = body.str("model name", kMaxNameBytes);
    c.modelHash = body.str("model hash", kMaxHashBytes);
    const uint32_t modelBytes = body.u32("embedded model length");
    if (modelBytes > kMaxEmbeddedModelBytes) body.fail("embedded model is too large");
    const uint8_t* model = body.take(modelBytes, "embedded model");
    c.embeddedModel.assign(model, model + modelBytes);
    const uint32_t sideBytes = body.u32("side information length");
    const uint8_t* side = body.take(sideBytes, "side information");
    e.side.assign(side, side + sideBytes);
    if (body.remaining() != 0) body.fail("unexpected bytes at the end of the header");

    // The vocabulary and model must fit the method.
    const Method m = e.params.method;
    const bool bitMethod = m != Method::SentencePiece;
    const uint64_t expectVocab = m == Method::Bytes ? 256 : (uint64_t(1) << e.params.tokenBits);
    if (bitMethod && e.vocab != expectVocab) body.fail("vocabulary size does not match the token bits");
    if (!bitMethod && (e.vocab < 2 || e.vocab > (uint64_t(1) << 24))) body.fail("vocabulary size is out of range");
    const bool modelOk = usesRangeCoder(m)
                             ? (c.modelKind == ContainerModel::Uniform || c.modelKind == ContainerModel::Unigram ||
                                c.modelKind == ContainerModel::M1)
                         : m == Method::SentencePiece ? c.modelKind == ContainerModel::SentencePiece
                                                      : c.modelKind == ContainerModel::None;
    if (!modelOk)
        body.fail("model kind '" + containerModelName(c.modelKind) + "' does not fit method " + methodName(m));
    if (m == Method::Bytes && tokenCount != e.inputBytes)
        body.fail("token count " + std::to_string(tokenCount) + " differs from the original length " +
                  std::to_string(e.inputBytes));

    // Payload.
    ContainerHead head;
    const int storage = e.storageBits();
    head.payloadBytes = in.u64("payload length");
    head.tokenCount = tokenCount;
    if (tokenCount > (uint64_t(1) << 40) || head.payloadBytes != (tokenCount * uint64_t(storage) + 7) / 8)
        in.fail("payload length does not match the token count");
    if (m == Method::StaticAc || m == Method::Ac) {
        // The chunk table: one token count a chunk, as many as the original length has chunks, adding up to the
        // payload's.
        ByteSource side(e.side.data(), e.side.size(), "side information");
        uint64_t chunks = 0, tokens = 0;
        for (; side.remaining() != 0; ++chunks) {
            const uint64_t n = side.varint("chunk length");
            if (n > tokenCount - tokens) body.fail("the chunk table holds more tokens than the payload");
            tokens += n;  // so never past tokenCount: the sum cannot wrap
        }
        if (chunks != e.params.chunkCount(e.inputBytes) || tokens != tokenCount)
            body.fail("the chunk table (" + std::to_string(chunks) + " chunks, " + std::to_string(tokens) +
                      " tokens) does not fit the original length " + std::to_string(e.inputBytes) + " (" +
                      std::to_string(e.params.chunkCount(e.inputBytes)) + " chunks of " +
                      std::to_string(e.params.chunkBytes) + " bytes) and " + std::to_string(tokenCount) + " tokens");
    }
    const uint64_t most = maxDecodedBytes(c, tokenCount, head.payloadBytes);
    if (e.inputBytes > most)
        body.fail("the header claims " + std::to_string(e.inputBytes) + " bytes, but " +
                  std::to_string(head.payloadBytes) + " payload bytes of " + methodName(m) + " can hold at most " +
                  std::to_string(most));
    head.container = std::move(c);
    return head;
}

Container readContainer(const uint8_t* data, size_t size) {
    if (size < kContainerPreambleBytes) {
        ByteSource in(data, size, "eqlab container");
        if (size < 4 || std::memcmp(data, kMagic, 4) != 0) in.fail("not an eqlab container (bad magic)");
        in.fail("file is truncated (header incomplete)");
    }
    const size_t headBytes = containerHeadBytes(data, size);
    if (headBytes > size) throw FormatError("eqlab container: header length is out of range (file truncated?)");
    ContainerHead head = readContainerHead(data, headBytes);
    Encoded& e = head.container.encoded;
    ByteSource in(data + headBytes, size - headBytes, "eqlab container");
    if (head.payloadBytes > in.remaining()) in.fail("file is truncated (payload incomplete)");
    const uint8_t* payload = in.take(size_t(head.payloadBytes), "payload");
    const uint32_t payloadCrc = in.u32("payload checksum");
    if (payloadCrc != crc32Of(payload, size_t(head.payloadBytes)))
        in.fail("payload checksum mismatch: the tokens are corrupted");
    if (in.remaining() != 0) in.fail("unexpected bytes after the end of the container");
    std::vector<uint8_t> packed(payload, payload + head.payloadBytes);
    const int storage = e.storageBits();
    e.tokens = bitsToTokens(packed, head.tokenCount * uint64_t(storage), storage);
    return std::move(head.container);
}

ModelSet Container::models(const std::function<std::shared_ptr<ByteModel>()>& loadM1) const {
    ModelSet set;
    switch (modelKind) {
        case ContainerModel::None:
            break;
        case ContainerModel::Uniform:
            set.byteModel = std::make_shared<UniformModel>();
            break;
        case ContainerModel::Unigram:
            set.byteModel = std::shared_ptr<ByteModel>(deserializeByteModel(ModelKind::Unigram, embeddedModel));
            break;
        case ContainerModel::SentencePiece:
            set.sentencePiece = std::make_shared<SentencePieceModel>(SentencePieceModel::fromSerialized(embeddedModel));
            break;
        case ContainerModel::M1: {
            std::shared_ptr<ByteModel> m = loadM1 ? loadM1() : nullptr;
            if (!m) throw ModelMismatch("this container needs the M1 model " + modelName + " (hash " + modelHash + ")");
            // The same weights coded under an older numerics version (the
            // model re-stamped since) decode under that version.
            if (m->hash() != modelHash)
                if (std::shared_ptr<ByteModel> older = m->withHash(modelHash)) m = older;
            set.byteModel = m;
            break;
        }
    }
    const std::string actual = set.byteModel       ? set.byteModel->hash()
                               : set.sentencePiece ? set.sentencePiece->hash()
                                                   : modelHash;
    if (actual != modelHash)
        throw ModelMismatch("the model does not match the container: it needs " + modelName + " with hash " +
                            modelHash.substr(0, 16) + "..., the model given has hash " + actual.substr(0, 16) + "...");
    return set;
}

}  // namespace eqlab
