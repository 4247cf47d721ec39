#include "studies/study.h"

#include <algorithm>
#include <numeric>

#include "base/errors.h"
#include "methods/default_models.h"

namespace eqlab {

namespace {

std::string withThousands(uint64_t n) {
    std::string s = std::to_string(n);
    for (int i = int(s.size()) - 3; i > 0; i -= 3) s.insert(size_t(i), ",");
    return s;
}

// Length of the valid UTF-8 sequence starting at p (1..4), or 0.
size_t utf8Length(const uint8_t* p, size_t left) {
    const uint8_t c = p[0];
    size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (c >= 0xF5 || n == 0 || n > left) return 0;
    for (size_t i = 1; i < n; ++i)
        if ((p[i] & 0xC0) != 0x80) return 0;
    // Overlong forms and surrogates.
    if (n == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))) return 0;
    if (n == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))) return 0;
    return n;
}

}  // namespace

std::string StudyScope::describe() const {
    if (!truncated()) return withThousands(inputBytes) + (inputBytes == 1 ? " byte" : " bytes");
    return "the first " + withThousands(analysedBytes) + " of " + withThousands(inputBytes) + " bytes";
}

StudyScope studyScope(uint64_t size, const StudyOptions& options, uint64_t limit) {
    if (size == 0) throw InvalidArgument("the text is empty");
    StudyScope s;
    s.inputBytes = size;
    s.analysedBytes = options.maxBytes ? std::min(size, options.maxBytes) : size;
    if (limit) s.analysedBytes = std::min(s.analysedBytes, limit);
    return s;
}

ModelSet studyModels(Method method, const StudyOptions& options, std::string* note) {
    std::string path;
    if (method == Method::Ac || method == Method::EqualInfoAc) path = options.m1Path;
    if (method == Method::SentencePiece) path = options.spPath;
    return loadModelsFor(method, path, note);
}

StudyProgress::StudyProgress(const ProgressFn& fn, std::vector<uint64_t> weights)
    : fn_(fn), weights_(std::move(weights)) {
    for (uint64_t w : weights_) {
        offsets_.push_back(total_);
        total_ += w;
    }
}

ProgressFn StudyProgress::part(size_t i) const {
    if (!fn_) return {};
    const ProgressFn fn = fn_;
    const uint64_t offset = offsets_.at(i), weight = weights_.at(i), total = total_;
    return [fn, offset, weight, total](uint64_t done, uint64_t all) {
        const uint64_t scaled = all ? uint64_t(double(weight) * double(std::min(done, all)) / double(all)) : weight;
        return fn(offset + scaled, total);
    };
}

void StudyProgress::finish(size_t i) const {
    if (fn_ && !fn_(offsets_.at(i) + weights_.at(i), total_)) throw Cancelled();
}

std::vector<CodecParams> defaultStudyMethods() {
    std::vector<CodecParams> out;
    for (Method m :
         {Method::Bytes, Method::SentencePiece, Method::Gzip, Method::StaticAc, Method::Ac, Method::EqualInfoAc}) {
        CodecParams p;
        p.method = m;
        out.push_back(p);
    }
    return out;
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

std::string escapeText(const uint8_t* data, size_t size) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(size);
    for (size_t i = 0; i < size;) {
        const uint8_t c = data[i];
        if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\\')
            out += "\\\\";
        else if (c >= 0x20 && c < 0x7F)
            out += char(c);
        else if (const size_t n = c >= 0x80 ? utf8Length(data + i, size - i) : 0) {
            out.append(reinterpret_cast<const char*>(data + i), n);
            i += n;
            continue;
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
        ++i;
    }
    return out;
}

bool isValidUtf8(const uint8_t* data, size_t size) {
    for (size_t i = 0; i < size;) {
        const size_t n = data[i] < 0x80 ? 1 : utf8Length(data + i, size - i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

}  // namespace eqlab
