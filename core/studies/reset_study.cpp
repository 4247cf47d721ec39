#include "studies/reset_study.h"

#include <algorithm>

#include "analysis/analyze.h"
#include "analysis/paper_figures.h"
#include "base/errors.h"

namespace eqlab {

ResetStudy runResetStudy(const uint8_t* data, size_t size, const ResetStudyOptions& reset,
                         const StudyOptions& options) {
    if (reset.every.empty()) throw InvalidArgument("no reset period to study");
    std::vector<CodecParams> variants;
    for (uint32_t every : reset.every) {
        CodecParams p;
        p.method = Method::EqualInfoAc;
        p.windowBits = reset.windowBits;
        p.tokenBits = reset.tokenBits;
        p.m1Reset = every;
        p.validate();
        variants.push_back(p);
    }
    ResetStudy study;
    study.scope = studyScope(size, options);
    const size_t n = size_t(study.scope.analysedBytes);
    const ModelSet models = studyModels(Method::EqualInfoAc, options);
    study.modelName = modelNameOf(models);

    // Each variant: its encoding, then the round trip through decode(). (The
    // round trip stands in for the encoder's own decoding check, which
    // otherwise runs with its statistics.)
    std::vector<uint64_t> weights;
    for (size_t i = 0; i < variants.size(); ++i) {
        weights.push_back(reset.checkRoundTrip ? n : 2 * n);
        weights.push_back(reset.checkRoundTrip ? n : 0);
    }
    const StudyProgress progress(options.progress, weights);
    for (size_t i = 0; i < variants.size(); ++i) {
        const CodecParams& p = variants[i];
        EncodeOptions eo;
        eo.threads = options.clampedThreads();
        eo.stats = !reset.checkRoundTrip;
        eo.progress = progress.part(2 * i);
        const Encoded e = encode(data, n, p, models, eo);
        progress.finish(2 * i);
        ResetRow row;
        row.every = p.m1Reset;
        row.label = p.label();
        row.windows = e.windows;
        row.bytesPerToken = e.bytesPerToken();
        row.bitsPerByte = e.bitsPerByte();
        row.meanWindowBytes = e.windows ? double(n) / double(e.windows) : 0;
        if (p.windowBits == 16 && p.tokenBits == 8) row.paperBytesPerToken = paperResetBytesPerToken(p.m1Reset);
        row.paperLearnable = paperResetLearnable(p.m1Reset);
        if (reset.checkRoundTrip) {
            const std::vector<uint8_t> back = decode(e, models, progress.part(2 * i + 1), options.clampedThreads());
            row.roundTripChecked = true;
            row.roundTripOk = back.size() == n && std::equal(back.begin(), back.end(), data);
            progress.finish(2 * i + 1);
        }
        study.rows.push_back(row);
    }
    return study;
}

}  // namespace eqlab
