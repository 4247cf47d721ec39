#include "methods/method.h"

#include <algorithm>
#include <stdexcept>

#include "base/errors.h"
#include "coding/cdf.h"

namespace eqlab {

namespace {
struct NamedMethod {
    Method method;
    const char* name;
};
constexpr char kShortestFlag[] = "shortest";  // eqinfo-ac's termination in a label; distinct is the default
constexpr char kDistinctFlag[] = "distinct";
constexpr char kResetKey[] = "reset";  // eqinfo-ac's M1 reset period in a label: reset=N or reset=never
constexpr char kResetNever[] = "never";
constexpr NamedMethod kNames[] = {
    {Method::Bytes, "bytes"},           {Method::Gzip, "gzip"},
    {Method::StaticAc, "static-ac"},    {Method::Ac, "ac"},
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
    static const std::vector<Method> all = {Method::Bytes, Method::Gzip,        Method::StaticAc,
                                            Method::Ac,    Method::EqualInfoAc, Method::SentencePiece};
    return all;
}

int CodecParams::effectivePrecision() const {
    if (precision != 0) return precision;
    if (method == Method::EqualInfoAc) return std::clamp(windowBits - 2, kMinPrecision, kDefaultPrecision);
    return kDefaultPrecision;
}

void CodecParams::validate() const {
    auto fail = [](const std::string& m) { throw InvalidArgument(m); };
    if (method != Method::EqualInfoAc && m1Reset != 1) fail("only eqinfo-ac resets M1's context per window");
    if (method == Method::Bytes || method == Method::SentencePiece) return;
    if (tokenBits < kMinTokenBits || tokenBits > kMaxTokenBits)
        fail("token bits k must be between 1 and 16 (got " + std::to_string(tokenBits) + ")");
    if (method == Method::Gzip) {
        if (gzipLevel < -1 || gzipLevel > 9)
            fail("gzip level must be between 0 and 9, or -1 for zlib's default (got " + std::to_string(gzipLevel) +
                 ")");
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
            fail("window bits b = " + std::to_string(windowBits) +
                 " must be a multiple of token bits k = " + std::to_string(tokenBits));
        const int maxP = std::max(kMinPrecision, windowBits - 2);
        if (p > maxP)
            fail("precision P = " + std::to_string(p) + " is too fine for b = " + std::to_string(windowBits) +
                 " bits: P <= max(8, b - 2) so that any single byte fits in a window");
        if (m1Reset > kMaxM1Reset)
            fail("the M1 reset period must be at most " + std::to_string(kMaxM1Reset) + " windows, or never");
        if (m1Reset != 1 && termination != Termination::Distinct)
            fail("an M1 context that outlives a window needs distinct termination");
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
                   (termination == Termination::Shortest ? std::string(",") + kShortestFlag : "") +
                   (m1Reset == 1   ? ""
                    : m1Reset == 0 ? std::string(",") + kResetKey + "=" + kResetNever
                                   : std::string(",") + kResetKey + "=" + std::to_string(m1Reset)) +
                   "]";
        default:
            return name + "[v=" + std::to_string(1u << tokenBits) + "]";
    }
}

// The inverse of label(), kept beside it: an item label() prints must parse here.
CodecParams CodecParams::fromLabel(const std::string& labelIn) {
    std::string spec = labelIn;
    while (!spec.empty() && spec.back() == ' ') spec.pop_back();
    CodecParams p;
    const size_t open = spec.find('[');
    p.method = parseMethod(spec.substr(0, open));
    if (open != std::string::npos) {
        if (spec.back() != ']') throw InvalidArgument("cannot read the method '" + labelIn + "'");
        const std::string list = spec.substr(open + 1, spec.size() - open - 2);
        size_t pos = 0;
        while (pos <= list.size()) {
            const size_t comma = std::min(list.find(',', pos), list.size());
            const std::string item = list.substr(pos, comma - pos);
            pos = comma + 1;
            if (item.empty()) continue;
            if (item == kShortestFlag || item == kDistinctFlag) {
                p.termination = item == kShortestFlag ? Termination::Shortest : Termination::Distinct;
                continue;
            }
            const size_t eq = item.find('=');
            if (item == std::string(kResetKey) + "=" + kResetNever) {
                p.m1Reset = 0;
                continue;
            }
            uint64_t v = 0;
            try {
                size_t used = 0;
                v = std::stoull(item.substr(eq == std::string::npos ? item.size() : eq + 1), &used);
                if (eq == std::string::npos || used != item.size() - eq - 1) throw std::invalid_argument(item);
            } catch (const std::exception&) {
                throw InvalidArgument("cannot read '" + item + "' in " + labelIn);
            }
            const std::string key = item.substr(0, eq);
            if (key == "b") {
                p.windowBits = int(std::min<uint64_t>(v, uint64_t(kMaxWindowBits) + 1));
            } else if (key == "k") {
                p.tokenBits = int(std::min<uint64_t>(v, uint64_t(kMaxTokenBits) + 1));
            } else if (key == "v") {
                int k = 0;
                while (k < 63 && (uint64_t(1) << k) < v) ++k;
                if ((uint64_t(1) << k) != v) throw InvalidArgument("v must be a power of two in " + labelIn);
                p.tokenBits = k;
            } else if (key == kResetKey) {
                if (v == 0) throw InvalidArgument("reset=0 in " + labelIn + ": write reset=never");
                p.m1Reset = uint32_t(std::min<uint64_t>(v, uint64_t(kMaxM1Reset) + 1));
            } else {
                throw InvalidArgument("unknown parameter '" + key + "' in " + labelIn);
            }
        }
    }
    p.validate();
    return p;
}

std::vector<CodecParams> parseMethodList(const std::string& list) {
    if (list.find_first_not_of(' ') == std::string::npos) throw InvalidArgument("the method list is empty");
    std::vector<CodecParams> out;
    std::string item;
    int depth = 0;
    auto take = [&]() {
        const size_t begin = item.find_first_not_of(' ');
        const std::string label =
            begin == std::string::npos ? "" : item.substr(begin, item.find_last_not_of(' ') - begin + 1);
        if (label.empty()) throw InvalidArgument("the method list '" + list + "' has an empty item");
        out.push_back(CodecParams::fromLabel(label));
        item.clear();
    };
    for (char c : list) {
        if (c == '[') ++depth;
        if (c == ']') depth = std::max(0, depth - 1);
        if (c == ',' && depth == 0)
            take();
        else
            item += c;
    }
    take();
    return out;
}

}  // namespace eqlab
