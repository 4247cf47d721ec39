#include "studies/segmentations.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/errors.h"

namespace eqlab {

namespace {

// Bytes between progress reports of the entropy pass: M1 runs at a few KB/s
// on a small CPU, so a cancel is answered within a fraction of a second.
constexpr uint64_t kEntropyProgressStride = 1024;
// SentencePiece's cost per byte against M1's, for weighing the parts' progress.
constexpr uint64_t kSentencePieceWeightDivisor = 64;

// The entropy in bits of the distribution proportional to w (the
// quantiser's reading: non-finite and negative weights count as 0, all-zero
// weights are uniform).
double entropyBits(const float* w) {
    double sum = 0, sumLog = 0;
    for (int s = 0; s < kAlphabet; ++s) {
        const double p = w[s];
        if (!(p > 0) || !std::isfinite(p)) continue;
        sum += p;
        sumLog += p * std::log2(p);
    }
    if (!(sum > 0)) return 8.0;
    // -sum (p/S) log2 (p/S) = log2 S - (sum p log2 p) / S
    return std::clamp(std::log2(sum) - sumLog / sum, 0.0, 8.0);
}

// A threshold as a row name shows it: "2.0", "0.5", "1.25".
std::string thresholdText(double t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", t);
    std::string s = buf;
    if (s.find_first_of(".e") == std::string::npos) s += ".0";
    return s;
}

void checkThreshold(double threshold, bool monotonic) {
    const double lo = monotonic ? -kMaxEntropyThreshold : 0.0;
    if (!(threshold >= lo && threshold <= kMaxEntropyThreshold))
        throw InvalidArgument(std::string(monotonic ? "the entropy rise threshold" : "the entropy threshold") +
                              " must be between " + thresholdText(lo) + " and " + thresholdText(kMaxEntropyThreshold) +
                              " bits, got " + thresholdText(threshold));
}

CodecParams equalInfoParams(int windowBits) {
    CodecParams p;
    p.method = Method::EqualInfoAc;
    p.windowBits = windowBits;
    p.tokenBits = 8;
    p.validate();
    return p;
}

// Segment starts from spans [begin, end) in text order: a span that starts
// no later than the last start (SentencePiece's byte pieces of one escaped
// byte share it) or covers no byte starts nothing.
class StartCollector {
public:
    void add(uint64_t begin, uint64_t end) {
        if (end > begin && begin > starts_.back()) starts_.push_back(begin);
    }
    std::vector<uint64_t> take() { return std::move(starts_); }

private:
    std::vector<uint64_t> starts_{0};
};

SegmentationRow sentencePieceRow(const uint8_t* data, size_t size, const ModelSet& models) {
    CodecParams p;
    p.method = Method::SentencePiece;
    EncodeOptions eo;
    eo.trace = true;
    eo.stats = false;
    const Encoded e = encode(data, size, p, models, eo);
    StartCollector starts;
    for (const TokenSpan& t : e.trace.tokens) starts.add(t.byteBegin, t.byteEnd);
    return segmentationRow(SegmentationKind::SentencePiece, "sentencepiece", starts.take(), size);
}

}  // namespace

std::vector<float> nextByteEntropy(const uint8_t* data, size_t size, ByteModel& model, const ProgressFn& progress) {
    std::vector<float> entropy(size);
    ProgressTicker ticker(progress, size, kEntropyProgressStride);
    float p[kAlphabet];
    model.reset();
    model.setLookahead(data, size);  // M1 evaluates the coming bytes in batches; the results never depend on it
    for (size_t i = 0; i < size; ++i) {
        model.probabilities(p);
        entropy[i] = float(entropyBits(p));
        model.advance(data[i]);
        ticker.tick(i + 1);
    }
    ticker.finish();
    return entropy;
}

std::vector<uint64_t> entropyPatchStarts(const std::vector<float>& entropy, double threshold, bool monotonic) {
    checkThreshold(threshold, monotonic);
    if (entropy.empty()) throw InvalidArgument("entropy patches: no bytes to cut");
    std::vector<uint64_t> starts{0};
    for (size_t i = 1; i < entropy.size(); ++i) {
        const double h = monotonic ? double(entropy[i]) - double(entropy[i - 1]) : double(entropy[i]);
        if (h > threshold) starts.push_back(i);
    }
    return starts;
}

std::vector<uint64_t> fixedChunkStarts(uint64_t size, uint64_t n) {
    if (n == 0) throw InvalidArgument("fixed chunks must hold at least one byte");
    if (size == 0) throw InvalidArgument("fixed chunks: no bytes to cut");
    std::vector<uint64_t> starts;
    starts.reserve(size_t((size + n - 1) / n));
    for (uint64_t s = 0; s < size; s += n) starts.push_back(s);
    return starts;
}

SegmentationRow segmentationRow(SegmentationKind kind, std::string name, std::vector<uint64_t> starts, uint64_t size) {
    if (size == 0 || starts.empty() || starts[0] != 0 || starts.back() >= size)
        throw InvalidArgument("segmentation '" + name + "': starts must begin at 0 and stay below the size");
    SegmentationRow row;
    row.kind = kind;
    row.name = std::move(name);
    row.shortestBytes = size;
    std::vector<uint64_t>& histogram = row.lengthHistogram;
    for (size_t j = 0; j < starts.size(); ++j) {
        const uint64_t end = j + 1 < starts.size() ? starts[j + 1] : size;
        if (end <= starts[j]) throw InvalidArgument("segmentation '" + row.name + "': starts must ascend strictly");
        const uint64_t n = end - starts[j];
        row.shortestBytes = std::min(row.shortestBytes, n);
        row.longestBytes = std::max(row.longestBytes, n);
        const size_t bucket = size_t(std::min(n, kMaxSegmentLengthBucket));
        if (histogram.size() <= bucket) histogram.resize(bucket + 1, 0);
        ++histogram[bucket];
    }
    row.meanBytes = double(size) / double(starts.size());
    row.starts = std::move(starts);
    return row;
}

SegmentationRow entropyRow(const std::vector<float>& entropy, double threshold, bool monotonic) {
    const std::string name = (monotonic ? "entropy rise > " : "entropy > ") + thresholdText(threshold);
    return segmentationRow(monotonic ? SegmentationKind::EntropyRise : SegmentationKind::Entropy, name,
                           entropyPatchStarts(entropy, threshold, monotonic), entropy.size());
}

SegmentationRow equalInfoRow(const uint8_t* data, size_t size, int windowBits, const ModelSet& models, int threads,
                             const ProgressFn& progress) {
    const CodecParams p = equalInfoParams(windowBits);
    EncodeOptions eo;
    eo.trace = true;
    eo.stats = false;
    eo.threads = threads;
    eo.progress = progress;
    const Encoded e = encode(data, size, p, models, eo);
    StartCollector starts;
    for (const Segment& s : e.trace.segments) starts.add(s.byteBegin, s.byteEnd);
    return segmentationRow(SegmentationKind::EqualInfo, p.label(), starts.take(), size);
}

Segmentations runSegmentations(const uint8_t* data, size_t size, const SegmentationsOptions& seg,
                               const StudyOptions& options) {
    // Every parameter is checked before the first byte is coded.
    equalInfoParams(seg.windowBits);
    checkThreshold(seg.entropyThreshold, /*monotonic=*/false);
    checkThreshold(seg.monotonicThreshold, /*monotonic=*/true);
    if (seg.fixedBytes == 0) throw InvalidArgument("fixed chunks must hold at least one byte");
    Segmentations out;
    out.scope = studyScope(size, options, kMaxPerByteResultBytes);
    const size_t n = size_t(out.scope.analysedBytes);

    // Parts: Equal-Info encoding and the entropy pass (M1, per byte), SentencePiece, fixed chunks.
    const StudyProgress progress(options.progress, {n, n, n / kSentencePieceWeightDivisor + 1, 1});
    const ModelSet m1 = studyModels(Method::EqualInfoAc, options);
    out.modelName = m1.byteModel->name();
    out.rows.push_back(equalInfoRow(data, n, seg.windowBits, m1, options.clampedThreads(), progress.part(0)));
    progress.finish(0);

    const std::unique_ptr<ByteModel> context = m1.byteModel->clone();
    out.entropy = nextByteEntropy(data, n, *context, progress.part(1));
    progress.finish(1);
    out.rows.push_back(entropyRow(out.entropy, seg.entropyThreshold, /*monotonic=*/false));
    out.rows.push_back(entropyRow(out.entropy, seg.monotonicThreshold, /*monotonic=*/true));

    out.rows.push_back(sentencePieceRow(data, n, studyModels(Method::SentencePiece, options)));
    progress.finish(2);
    out.rows.push_back(segmentationRow(SegmentationKind::Fixed, "fixed " + std::to_string(seg.fixedBytes),
                                       fixedChunkStarts(n, seg.fixedBytes), n));
    progress.finish(3);
    return out;
}

}  // namespace eqlab
