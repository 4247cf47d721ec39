#include "methods/sentencepiece_codec.h"

#include <dlfcn.h>

#include <QCoreApplication>
#include <QFileInfo>
#include <QTemporaryFile>
#include <algorithm>
#include <cstring>
#include <mutex>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/hashes.h"
#include "base/output_file.h"
#include "methods/sentencepiece_backend.h"
#include "models/byte_model.h"

// AddressSanitizer: GCC says so with __SANITIZE_ADDRESS__, clang (the fuzz
// build) with __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define EQLAB_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EQLAB_ADDRESS_SANITIZER 1
#endif
#endif

namespace eqlab {

namespace {

constexpr uint32_t kEscapeBase = 0x10FF00;               // U+10FF00 + byte stands for a raw byte
constexpr uint32_t kSpaceMarker = 0x2581;                // SentencePiece's "▁"
constexpr uint64_t kMaxModelBytes = uint64_t(64) << 20;  // a SentencePiece model file larger is rejected
constexpr int kMaxSentenceBytes = 1 << 16;               // training lines longer than this are skipped by SentencePiece

// Length of the valid UTF-8 sequence at p (1..4) and its code point, or 0 if invalid.
int decodeUtf8(const uint8_t* p, size_t avail, uint32_t& cp) {
    const uint8_t c = p[0];
    int len;
    uint32_t min;
    if (c < 0x80) {
        cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else
        return 0;
    if (avail < size_t(len)) return 0;
    for (int i = 1; i < len; ++i) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
        return;
    }
    if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
    }
    out += char(0x80 | (cp & 0x3F));
}

// The plugin, loaded once: $EQLAB_SENTENCEPIECE_PLUGIN, else next to the
// executable (../lib or lib), else where the build put it.
struct Plugin {
    CreateSentencePieceBackendFn create = nullptr;
    TrainSentencePieceFn train = nullptr;
    std::string error;
};

const Plugin& plugin() {
    static Plugin p;
    static std::once_flag once;
    std::call_once(once, [] {
        std::vector<std::string> candidates;
        const QByteArray env = qgetenv("EQLAB_SENTENCEPIECE_PLUGIN");
        if (!env.isEmpty()) candidates.push_back(env.toStdString());
        if (QCoreApplication::instance()) {
            const QString dir = QCoreApplication::applicationDirPath();
            candidates.push_back((dir + "/../lib/eqlab_sentencepiece.so").toStdString());
            candidates.push_back((dir + "/lib/eqlab_sentencepiece.so").toStdString());
        }
        candidates.push_back(EQLAB_SENTENCEPIECE_PLUGIN_PATH);
        for (const std::string& path : candidates) {
            if (!QFileInfo::exists(QString::fromStdString(path))) continue;
                // RTLD_LOCAL | RTLD_DEEPBIND: libsentencepiece's embedded protobuf
                // stays private to it and never meets libtorch's libprotobuf.
#if defined(EQLAB_ADDRESS_SANITIZER)
            // AddressSanitizer refuses RTLD_DEEPBIND; sanitized builds do not load libtorch.
            void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
#else
            void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
#endif
            if (!h) {
                p.error = dlerror();
                continue;
            }
            p.create = reinterpret_cast<CreateSentencePieceBackendFn>(dlsym(h, kCreateSentencePieceBackend));
            p.train = reinterpret_cast<TrainSentencePieceFn>(dlsym(h, kTrainSentencePiece));
            if (p.create && p.train) return;
            p.error = path + " is not eqlab's SentencePiece plugin";
        }
        if (p.error.empty()) p.error = "the SentencePiece plugin (eqlab_sentencepiece.so) was not found";
    });
    return p;
}

const Plugin& needPlugin() {
    const Plugin& p = plugin();
    if (!p.create) throw Error("sentencepiece: " + p.error);
    return p;
}

}  // namespace

std::string escapeForSentencePiece(const uint8_t* data, size_t size, std::vector<uint64_t>* origin) {
    std::string out;
    out.reserve(size + size / 8);
    if (origin) origin->clear();
    size_t i = 0;
    while (i < size) {
        uint32_t cp = 0;
        const int len = decodeUtf8(data + i, size - i, cp);
        const bool passThrough = len > 0 && cp != 0 && cp != kSpaceMarker && cp < kEscapeBase;
        const size_t take = passThrough ? size_t(len) : 1;  // escape one byte at a time
        for (size_t j = 0; j < take; ++j) {
            const size_t before = out.size();
            if (passThrough)
                out += char(data[i + j]);
            else
                appendUtf8(out, kEscapeBase + data[i + j]);
            if (origin) origin->insert(origin->end(), out.size() - before, i + j);
        }
        i += take;
    }
    return out;
}

std::vector<uint8_t> unescapeFromSentencePiece(const std::string& text) {
    std::vector<uint8_t> out;
    out.reserve(text.size());
    const auto* p = reinterpret_cast<const uint8_t*>(text.data());
    size_t i = 0;
    while (i < text.size()) {
        uint32_t cp = 0;
        const int len = decodeUtf8(p + i, text.size() - i, cp);
        if (len == 4 && cp >= kEscapeBase) {
            out.push_back(uint8_t(cp - kEscapeBase));
            i += 4;
        } else {
            out.push_back(p[i]);
            ++i;
        }
    }
    return out;
}

SentencePieceModel SentencePieceModel::fromSerialized(const std::vector<uint8_t>& proto) {
    SentencePieceModel m;
    m.sp_ = std::shared_ptr<SentencePieceBackend>(needPlugin().create());
    std::string error;
    if (!m.sp_->load(std::string(proto.begin(), proto.end()), &error))
        throw FormatError("sentencepiece: not a valid SentencePiece model: " + error);
    if (m.sp_->pieceSize() < 259)
        throw FormatError("sentencepiece: the model has no byte fallback (fewer than 259 pieces)");
    for (int b = 0; b < 256; ++b) {
        char piece[8];
        std::snprintf(piece, sizeof piece, "<0x%02X>", b);
        const int id = m.sp_->pieceToId(piece);
        if (!m.sp_->isByte(id))
            throw FormatError("sentencepiece: the model was trained without byte_fallback; eqlab needs it");
    }
    m.proto_ = proto;
    return m;
}

SentencePieceModel SentencePieceModel::load(const std::string& path) {
    try {
        return fromSerialized(readFile(path, kMaxModelBytes));
    } catch (const FormatError& e) {
        throw FormatError(path + ": " + e.what());
    }
}

void SentencePieceModel::train(const std::string& corpusPath, const std::string& outPath, int vocabSize,
                               const std::string& modelType) {
    if (vocabSize < 260 || vocabSize > (1 << 20))
        throw InvalidArgument("sentencepiece vocabulary size must be between 260 and 2^20");
    // Train on the escaped corpus so that what the model sees is what encode() feeds it.
    std::vector<uint8_t> corpus = readFile(corpusPath);
    std::string escaped = escapeForSentencePiece(corpus.data(), corpus.size());
    QTemporaryFile tmp;
    if (!tmp.open()) throw IoError("cannot create a temporary file for SentencePiece training");
    tmp.write(escaped.data(), qint64(escaped.size()));
    tmp.flush();
    std::map<std::string, std::string> args = {
        {"input", tmp.fileName().toStdString()},
        {"model_type", modelType},
        {"vocab_size", std::to_string(vocabSize)},
        {"byte_fallback", "true"},
        {"normalization_rule_name", "identity"},
        {"add_dummy_prefix", "false"},
        {"remove_extra_whitespaces", "false"},
        {"character_coverage", "0.9995"},
        {"max_sentence_length", std::to_string(kMaxSentenceBytes)},
        {"input_sentence_size", "2000000"},
        {"shuffle_input_sentence", "true"},
        {"num_threads", "2"},
        {"minloglevel", "1"},
        {"model_prefix", ""},
    };
    std::string proto, error;
    if (!needPlugin().train(args, &proto, &error)) throw Error("sentencepiece: training failed: " + error);
    std::vector<uint8_t> bytes(proto.begin(), proto.end());
    fromSerialized(bytes);  // validates what we are about to write
    writeFile(outPath, bytes);
}

int SentencePieceModel::vocabSize() const {
    return sp_->pieceSize();
}

std::string SentencePieceModel::hash() const {
    return sha256Hex(proto_.data(), proto_.size());
}

size_t sentencePieceSegmentEnd(const uint8_t* data, size_t size, bool atEnd) {
    const size_t hard = std::min(size, kMaxSentencePieceSegmentBytes);
    if (size > kSentencePieceSegmentBytes - 1) {
        const void* nl =
            std::memchr(data + kSentencePieceSegmentBytes - 1, '\n', hard - (kSentencePieceSegmentBytes - 1));
        if (nl) return size_t(static_cast<const uint8_t*>(nl) - data) + 1;
    }
    if (size >= kMaxSentencePieceSegmentBytes) return kMaxSentencePieceSegmentBytes;
    return atEnd ? size : 0;
}

size_t completeEscapedPrefix(const std::string& text) {
    // Only a 4-byte sequence (lead byte 0xF0..0xF7) can be an escape; one cut short is held back.
    const size_t n = text.size();
    for (size_t back = 1; back <= 3 && back <= n; ++back)
        if ((uint8_t(text[n - back]) & 0xF8) == 0xF0) return n - back;
    return n;
}

SentencePieceModel::Encoding SentencePieceModel::encode(const uint8_t* data, size_t size) const {
    Encoding all;
    size_t begin = 0;
    do {
        const size_t end = begin + sentencePieceSegmentEnd(data + begin, size - begin, /*atEnd=*/true);
        Encoding part = encodeSegment(data + begin, end - begin);
        all.ids.insert(all.ids.end(), part.ids.begin(), part.ids.end());
        for (const auto& [lo, hi] : part.spans) all.spans.emplace_back(lo + begin, hi + begin);
        begin = end;
    } while (begin < size);
    return all;
}

SentencePieceModel::Encoding SentencePieceModel::encodeSegment(const uint8_t* data, size_t size) const {
    std::vector<uint64_t> origin;
    const std::string escaped = escapeForSentencePiece(data, size, &origin);
    std::vector<int> ids;
    std::string error;
    if (!sp_->encode(escaped, &ids, &error)) throw Error("sentencepiece: encoding failed: " + error);
    Encoding e;
    e.ids.reserve(ids.size());
    e.spans.reserve(ids.size());
    // Each piece's surface in the escaped text, and from it the input bytes.
    size_t pos = 0;
    for (int id : ids) {
        const std::string& piece = sp_->idToPiece(id);
        size_t len;
        if (sp_->isByte(id)) {
            len = 1;
        } else if (sp_->isControl(id) || sp_->isUnknown(id)) {
            throw FormatError("sentencepiece produced an unknown piece; is byte fallback on?");
        } else {
            len = 0;  // "▁" (3 bytes) stands for one space
            for (size_t j = 0; j < piece.size();) {
                if (piece.compare(j, 3, "\xE2\x96\x81") == 0) {
                    ++len;
                    j += 3;
                } else {
                    ++len;
                    ++j;
                }
            }
        }
        if (pos + len > escaped.size()) throw FormatError("sentencepiece: pieces overrun the input");
        e.ids.push_back(uint32_t(id));
        e.spans.emplace_back(origin[pos], origin[pos + len - 1] + 1);
        pos += len;
    }
    if (pos != escaped.size()) throw FormatError("sentencepiece: pieces do not cover the input");
    return e;
}

std::vector<uint8_t> SentencePieceModel::decode(const std::vector<uint32_t>& ids) const {
    return unescapeFromSentencePiece(decodeEscaped(ids));
}

std::string SentencePieceModel::decodeEscaped(const std::vector<uint32_t>& ids) const {
    const int n = sp_->pieceSize();
    std::string text;
    for (uint32_t id : ids) {
        if (id >= uint32_t(n)) throw FormatError("token " + std::to_string(id) + " is outside the vocabulary");
        const int i = int(id);
        if (sp_->isByte(i)) {
            text += char(std::stoi(sp_->idToPiece(i).substr(3, 2), nullptr, 16));
        } else if (sp_->isControl(i) || sp_->isUnknown(i) || sp_->isUnused(i)) {
            throw FormatError("token " + std::to_string(id) + " is a control piece, not text");
        } else {
            const std::string& piece = sp_->idToPiece(i);
            for (size_t j = 0; j < piece.size();) {
                if (piece.compare(j, 3, "\xE2\x96\x81") == 0) {
                    text += ' ';
                    j += 3;
                } else {
                    text += piece[j++];
                }
            }
        }
    }
    return text;
}

}  // namespace eqlab
