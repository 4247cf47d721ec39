#include "methods/codec.h"

#include <cmath>
#include <limits>

#include "base/binary_io.h"
#include "base/errors.h"
#include "base/hashes.h"
#include "coding/tokens.h"
#include "methods/ac_codec.h"
#include "methods/equal_info.h"
#include "methods/gzip_codec.h"

namespace eqlab {

double Encoded::bits() const {
    return double(tokens.size()) * std::log2(double(vocab));
}

int Encoded::storageBits() const {
    switch (params.method) {
        case Method::Bytes:
            return 8;
        case Method::SentencePiece:
            return bitsForVocab(vocab);
        default:
            return params.tokenBits;
    }
}

namespace {

ByteModel& needByteModel(const ModelSet& models, Method m) {
    if (!models.byteModel) throw InvalidArgument(methodName(m) + " needs a byte model");
    return *models.byteModel;
}

const SentencePieceModel& needSentencePiece(const ModelSet& models) {
    if (!models.sentencePiece) throw InvalidArgument("sentencepiece needs a SentencePiece model");
    return *models.sentencePiece;
}

// Token bit spans for a bitstream cut into k-bit tokens.
void setTokenBits(Trace& t, const std::vector<uint32_t>& tokens, int k) {
    t.tokens.resize(tokens.size());
    for (size_t i = 0; i < tokens.size(); ++i) t.tokens[i] = {tokens[i], i * uint64_t(k), (i + 1) * uint64_t(k), 0, 0};
}

}  // namespace

std::vector<std::string> encodePasses(const CodecParams& params, const EncodeOptions& options) {
    if (params.method != Method::EqualInfoAc) return {"coding"};
    // As encodeEqualInfo plans its progress: pass 1, then the check or pass 2.
    if (params.termination == CodecParams::Termination::Shortest) return {"coding", "resolving windows"};
    if (options.stats && options.checkWindows) return {"coding", "checking windows decode"};
    return {"coding"};
}

Encoded encode(const uint8_t* data, size_t size, const CodecParams& params, const ModelSet& models,
               const EncodeOptions& options) {
    params.validate();
    Encoded e;
    e.params = params;
    e.inputBytes = size;
    e.inputCrc = crc32Of(data, size);
    const int k = params.tokenBits;
    switch (params.method) {
        case Method::Bytes: {
            e.params.tokenBits = 8;
            e.vocab = 256;
            e.tokens.assign(data, data + size);
            if (options.trace) {
                Trace& t = e.trace;
                t.alignment = Alignment::Exact;
                t.bitBegin.resize(size);
                t.bitEnd.resize(size);
                t.tokens.resize(size);
                for (size_t i = 0; i < size; ++i) {
                    t.bitBegin[i] = 8 * uint64_t(i);
                    t.bitEnd[i] = 8 * uint64_t(i) + 8;
                    t.tokens[i] = {data[i], t.bitBegin[i], t.bitEnd[i], i, i + 1};
                }
            }
            break;
        }
        case Method::Gzip: {
            GzipResult g = gzipEncode(data, size, params.gzipLevel, options.trace);
            e.vocab = uint64_t(1) << k;
            e.tokens = bitsToTokens(g.stream, g.stream.size() * 8, k);
            if (options.trace) {
                e.trace = std::move(g.trace);
                setTokenBits(e.trace, e.tokens, k);
                e.trace.alignTokensByEmission();
            }
            break;
        }
        case Method::StaticAc:
        case Method::Ac:
        case Method::EqualInfoAc: {
            const ByteModel& model = needByteModel(models, params.method);
            CoderResult r = params.method == Method::EqualInfoAc ? encodeEqualInfo(data, size, params, model, options)
                                                                 : encodeChunks(data, size, params, model, options);
            e.vocab = uint64_t(1) << k;
            e.tokens = bitsToTokens(r.bits.bytes(), r.bits.size(), k);
            e.side = std::move(r.side);
            if (options.stats) e.surprisalBits = r.surprisalBits;
            if (params.method == Method::EqualInfoAc) {
                e.windows = r.windows;
                e.sideInfoWindows = r.sideInfoWindows;
                if (options.stats)
                    e.tokenOnlyDecodable = r.windows ? double(r.tokenOnlyDecodable) / double(r.windows) : 1.0;
            }
            if (options.trace) {
                e.trace = std::move(r.trace);
                setTokenBits(e.trace, e.tokens, k);
                e.trace.alignTokensByEmission();
            }
            break;
        }
        case Method::SentencePiece: {
            const SentencePieceModel& sp = needSentencePiece(models);
            SentencePieceModel::Encoding enc = sp.encode(data, size);
            e.vocab = uint64_t(sp.vocabSize());
            e.tokens = std::move(enc.ids);
            if (options.trace) {
                Trace& t = e.trace;
                const uint64_t w = uint64_t(bitsForVocab(e.vocab));
                t.alignment = Alignment::Exact;
                t.bitBegin.assign(size, std::numeric_limits<uint64_t>::max());
                t.bitEnd.assign(size, 0);
                t.tokens.resize(e.tokens.size());
                for (size_t i = 0; i < e.tokens.size(); ++i) {
                    const auto [lo, hi] = enc.spans[i];
                    t.tokens[i] = {e.tokens[i], i * w, (i + 1) * w, lo, hi};
                    for (uint64_t j = lo; j < hi; ++j) {
                        t.bitBegin[j] = std::min(t.bitBegin[j], i * w);
                        t.bitEnd[j] = std::max(t.bitEnd[j], (i + 1) * w);
                    }
                }
            }
            break;
        }
    }
    return e;
}

std::vector<uint8_t> decode(const Encoded& e, const ModelSet& models, const ProgressFn& progress, int threads) {
    e.params.validate();
    for (uint32_t t : e.tokens)
        if (t >= e.vocab) throw FormatError("token " + std::to_string(t) + " is outside the vocabulary");
    std::vector<uint8_t> out;
    switch (e.params.method) {
        case Method::Bytes:
            if (e.tokens.size() != e.inputBytes) throw FormatError("bytes: token count differs from the length");
            out.assign(e.tokens.begin(), e.tokens.end());
            break;
        case Method::Gzip:
            out = gzipDecode(tokensToBits(e.tokens, e.params.tokenBits), e.inputBytes);
            break;
        case Method::StaticAc:
        case Method::Ac:
        case Method::EqualInfoAc: {
            const ByteModel& model = needByteModel(models, e.params.method);
            const std::vector<uint8_t> bits = tokensToBits(e.tokens, e.params.tokenBits);
            const uint64_t nbits = e.tokens.size() * uint64_t(e.params.tokenBits);
            out = e.params.method == Method::EqualInfoAc
                      ? decodeEqualInfo(bits, nbits, e.params, e.inputBytes, e.side, model, progress, threads)
                      : decodeChunks(bits, nbits, e.params, e.inputBytes, e.side, model, progress, threads);
            break;
        }
        case Method::SentencePiece:
            out = needSentencePiece(models).decode(e.tokens);
            break;
    }
    if (out.size() != e.inputBytes)
        throw FormatError("decoded " + std::to_string(out.size()) + " bytes, expected " + std::to_string(e.inputBytes));
    if (crc32Of(out.data(), out.size()) != e.inputCrc)
        throw FormatError("the decoded data does not match the original's CRC-32: wrong model or corrupted data");
    return out;
}

}  // namespace eqlab
