// The compression methods eqlab compares and the parameters they take.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace eqlab {

enum class Method : uint8_t {
    Bytes = 0,          // one token per byte, v = 256
    Gzip = 1,           // zlib DEFLATE bitstream cut into k-bit tokens
    StaticAc = 2,       // arithmetic coding under a static byte unigram, chunked like Ac
    Ac = 3,             // arithmetic coding under M1 over whole chunks, no windows
    EqualInfoAc = 4,    // Equal-Info Windows of b bits under M1
    SentencePiece = 5,  // a SentencePiece vocabulary, v = its size
};

constexpr int kMinTokenBits = 1;
constexpr int kMaxTokenBits = 16;
constexpr int kMinWindowBits = 8;               // a window must hold one byte at P >= 8
constexpr int kMaxWindowBits = 4096;            // windows beyond this are effectively plain AC
constexpr uint32_t kDefaultChunkBytes = 10240;  // the paper's example length
constexpr uint32_t kMaxChunkBytes = 1u << 30;
constexpr uint32_t kMaxM1Reset = 1u << 20;  // resets every N-th window: N at most this (0: never)

// Parameters of one compression run. Fields that a method ignores keep their defaults.
struct CodecParams {
    Method method = Method::EqualInfoAc;
    int windowBits = 16;                       // b: Equal-Info window size in bits (multiple of k)
    int tokenBits = 8;                         // k: bits per token, 1..16, v = 2^k (bytes: 8)
    int precision = 0;                         // P: CDF precision in bits; 0 = the method's default
    uint32_t chunkBytes = kDefaultChunkBytes;  // ac: chunk length; eqinfo-ac: stream length
    int gzipLevel = -1;                        // zlib level 0..9, -1 = zlib's default (6)
    // eqinfo-ac: how a window is terminated (see equal_info.h). Distinct
    // (default): the shortest bit string that no shorter prefix of the window
    // would have used, so the tokens alone always decode. Shortest (the
    // paper's rule): the shortest bit string that decodes; a decoder with the
    // tokens alone cannot always tell how many bytes a window holds.
    enum class Termination : uint8_t { Shortest = 0, Distinct = 1 } termination = Termination::Distinct;
    // eqinfo-ac: M1's context resets at every m1Reset-th window of a stream
    // (1, the default and the paper's method: every window; 0: never, only
    // where a stream begins). The coder resets at every window either way.
    // Other than 1 needs distinct termination: a window then decodes only
    // after the windows before it since the last reset.
    uint32_t m1Reset = 1;

    // P actually used: the explicit value, or 16 for ac/static-ac and
    // clamp(b - 2, 8, 16) for eqinfo-ac (b = 16 gives the paper's P = 14).
    int effectivePrecision() const;
    // Throws InvalidArgument naming the first parameter out of range.
    void validate() const;
    // The method's label, and fromLabel() its inverse. Grammar:
    //   label := NAME | NAME "[" item ("," item)* "]"
    //   item  := "b=" N | "k=" N | "v=" 2^k | "shortest" | "distinct" | "reset=" N | "reset=never"
    // label() prints NAME for bytes and sentencepiece, NAME[v=2^k] for gzip,
    // static-ac and ac, and eqinfo-ac[b=B,v=2^k] with ",shortest" for the
    // paper's termination and ",reset=N" (or never) for an M1 context that
    // outlives a window: what tells two methods apart in a comparison.
    // Precision, chunk length and gzip level are not part of a label.
    std::string label() const;

    // How a `size`-byte input is cut into chunks (ac, static-ac) or streams
    // (eqinfo-ac) of chunkBytes: how many, and where the one holding byte
    // `pos` (< size) ends.
    uint64_t chunkCount(uint64_t size) const { return (size + chunkBytes - 1) / chunkBytes; }
    uint64_t chunkEnd(uint64_t pos, uint64_t size) const {
        return std::min<uint64_t>(size, (pos / chunkBytes + 1) * uint64_t(chunkBytes));
    }
    // Parses a label (or a hand-written spec such as "eqinfo-ac[b=32,k=16]");
    // fields the label does not name keep their defaults. For every valid p,
    // fromLabel(p.label()).label() == p.label(), and the parsed method, b, k
    // and termination equal p's where the label names them. Throws
    // InvalidArgument naming what cannot be read, or what validate() rejects.
    static CodecParams fromLabel(const std::string& label);
};

// Methods from a comma-separated list of labels (CodecParams::fromLabel, e.g.
// "ac,eqinfo-ac[b=32,k=16]": commas inside brackets belong to the label;
// spaces around a label are ignored). Throws InvalidArgument for an empty
// list or item, or what fromLabel rejects.
std::vector<CodecParams> parseMethodList(const std::string& list);

std::string methodName(Method m);
// Parses "bytes", "gzip", "static-ac", "ac", "eqinfo-ac", "sentencepiece";
// throws InvalidArgument listing the valid names otherwise.
Method parseMethod(const std::string& name);
const std::vector<Method>& allMethods();

// True for the methods coded by eqlab's range coder under a ByteModel.
inline bool usesRangeCoder(Method m) {
    return m == Method::StaticAc || m == Method::Ac || m == Method::EqualInfoAc;
}

}  // namespace eqlab
