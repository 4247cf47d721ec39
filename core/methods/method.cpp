#include "methods/method.h"

#include <algorithm>

#include "coding/cdf.h"
#include "base/errors.h"

namespace eqlab {

namespace {
struct NamedMethod {
    Method method;
    const char* name;
};
constexpr NamedMethod kNames[] = {
    {Method::Bytes, "bytes"},         {Method::Gzip, "gzip"},
    {Method::StaticAc, "static-ac"},  {Method::Ac, "ac"},
    {Method::EqualInfoAc, "eqinfo-ac"}, {Method::SentencePiece, "sentencepiece"},
};
}  // namespace

std::string methodName(Method m) {
    for (const auto& n : kNames)
        if (n.method == m) return n.name;
    return "unknown";
}

Method parseMethod(const std::string& name) {
    for (const auto& n : kNames)
        if (name == n.name) return n.method;
    throw InvalidArgument("unknown method '" + name +
                          "' (expected bytes, gzip, static-ac, ac, eqinfo-ac or sentencepiece)");
}

const std::vector<Method>& allMethods() {
    static const std::vector<Method> all = {Method::Bytes, Method::Gzip, Method::StaticAc,
                                            Method::Ac, Method::EqualInfoAc, Method::SentencePiece};
    return all;
}

int CodecParams::effectivePrecision() const {
    if (precision != 0) return precision;
    if (method == Method::EqualInfoAc)
        return std::clamp(windowBits - 2, kMinPrecision, kDefaultPrecision);
    return kDefaultPrecision;
}

void CodecParams::validate() const {
    auto fail = [](const std::string& m) { throw InvalidArgument(m); };
    if (method == Method::Bytes || method == Method::SentencePiece) return;
    if (tokenBits < kMinTokenBits || tokenBits > kMaxTokenBits)
        fail("token bits k must be between 1 and 16 (got " + std::to_string(tokenBits) + ")");
    if (method == Method::Gzip) {
        if (gzipLevel < -1 || gzipLevel > 9)
            fail("gzip level must be between 0 and 9, or -1 for zlib's default");
        return;
    }
    if (chunkBytes < 1 || chunkBytes > kMaxChunkBytes)
        fail("chunk size must be between 1 and 2^30 bytes (got " + std::to_string(chunkBytes) + ")");
    const int p = effectivePrecision();
    if (p < kMinPrecision || p > kMaxPrecision)
        fail("precision P must be between 8 and 24 bits (got " + std::to_string(p) + ")");
    if (method == Method::EqualInfoAc) {
        if (windowBits < kMinWindowBits || windowBits > kMaxWindowBits)
            fail("window bits b must be between 8 and 4096 (got " + std::to_string(windowBits) + ")");
        if (windowBits % tokenBits != 0)
            fail("window bits b = " + std::to_string(windowBits) + " must be a multiple of token bits k = " +
                 std::to_string(tokenBits));
        const int maxP = std::max(kMinPrecision, windowBits - 2);
        if (p > maxP)
            fail("precision P = " + std::to_string(p) + " is too fine for b = " + std::to_string(windowBits) +
                 " bits: P <= max(8, b - 2) so that any single byte fits in a window");
    }
}

std::string CodecParams::label() const {
    const std::string name = methodName(method);
    switch (method) {
        case Method::Bytes:
        case Method::SentencePiece:
            return name;
        case Method::EqualInfoAc:
            return name + "[b=" + std::to_string(windowBits) + ",v=" + std::to_string(1u << tokenBits) +
                   (termination == Termination::Shortest ? ",shortest" : "") + "]";
        default:
            return name + "[v=" + std::to_string(1u << tokenBits) + "]";
    }
}

}  // namespace eqlab
