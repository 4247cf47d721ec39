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

}  // namespace eqlab
