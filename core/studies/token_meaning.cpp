#include "studies/token_meaning.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "analysis/analyze.h"
#include "base/errors.h"
#include "base/text.h"

namespace eqlab {

namespace {

constexpr size_t kTopValues = 20;          // TokenPositionStats::top
constexpr size_t kTopShareValues = 10;     // TokenPositionStats::top10Share
constexpr size_t kDictionaryPrefixes = 8;  // TokenDictionaryEntry::prefixes
constexpr size_t kDictionaryExamples = 5;  // TokenDictionaryEntry::examples

using Counts = std::unordered_map<uint32_t, uint64_t>;

// Values by count, most first; equal counts by value, so the order is stable.
std::vector<std::pair<uint32_t, uint64_t>> byCount(const Counts& counts) {
    std::vector<std::pair<uint32_t, uint64_t>> v(counts.begin(), counts.end());
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    return v;
}

TokenPositionStats statsOf(int position, const Counts& counts, uint64_t windows) {
    TokenPositionStats s;
    s.position = position;
    s.windows = windows;
    s.distinct = counts.size();
    const std::vector<std::pair<uint32_t, uint64_t>> sorted = byCount(counts);
    uint64_t top10 = 0;
    for (size_t i = 0; i < sorted.size(); ++i) {
        const uint64_t c = sorted[i].second;
        const double p = double(c) / double(windows);
        s.entropyBits -= p * std::log2(p);
        if (i < kTopShareValues) top10 += c;
        // Bucket floor(log2 c): 1, 2-3, 4-7, ...
        size_t bucket = 0;
        while ((c >> (bucket + 1)) != 0) ++bucket;
        if (s.recurrence.size() <= bucket) s.recurrence.resize(bucket + 1, 0);
        ++s.recurrence[bucket];
    }
    s.top10Share = windows ? double(top10) / double(windows) : 0.0;
    s.top.assign(sorted.begin(), sorted.begin() + std::ptrdiff_t(std::min(sorted.size(), kTopValues)));
    return s;
}

}  // namespace

TokenMeaning tokenMeaningOf(const Encoded& e, const uint8_t* data, size_t dictionarySize) {
    if (e.params.method != Method::EqualInfoAc)
        throw InvalidArgument("token meaning needs an eqinfo-ac encoding, not " + methodName(e.params.method));
    e.params.validate();
    const Trace& t = e.trace;
    if (e.inputBytes > 0 &&
        (t.segmentKind != "window" || t.segments.size() != e.windows || t.bitEnd.size() != e.inputBytes))
        throw InvalidArgument("token meaning needs an encoding made with a trace");
    const uint64_t k = uint64_t(e.params.tokenBits), b = uint64_t(e.params.windowBits);
    const size_t perWindow = size_t(b / k);
    TokenMeaning out;
    out.params = e.params;
    out.windows = t.segments.size();

    std::vector<Counts> counts(perWindow);
    std::map<uint32_t, std::vector<size_t>> windowsByFirst;  // first-token value -> its windows, in order
    for (size_t w = 0; w < t.segments.size(); ++w) {
        const uint64_t first = t.segments[w].bitBegin / k;
        if (first + perWindow > e.tokens.size()) throw InvalidArgument("the encoding's windows run past its tokens");
        for (size_t p = 0; p < perWindow; ++p) ++counts[p][e.tokens[first + p]];
        windowsByFirst[e.tokens[first]].push_back(w);
    }
    for (size_t p = 0; p < perWindow; ++p) out.positions.push_back(statsOf(int(p), counts[p], out.windows));

    const std::vector<std::pair<uint32_t, uint64_t>> firsts =
        byCount(counts[0]);  // b >= k: every window has a first token
    for (size_t d = 0; d < std::min(dictionarySize, firsts.size()); ++d) {
        TokenDictionaryEntry entry;
        entry.value = firsts[d].first;
        entry.count = firsts[d].second;
        const std::vector<size_t>& ws = windowsByFirst.at(entry.value);
        // The longest prefix all these windows share.
        const Segment& w0 = t.segments[ws.front()];
        uint64_t common = w0.byteEnd - w0.byteBegin;
        std::map<std::string, uint64_t> covered;
        for (size_t w : ws) {
            const Segment& s = t.segments[w];
            const uint64_t n = s.byteEnd - s.byteBegin;
            common = std::min(common, n);
            for (uint64_t i = 0; i < common; ++i)
                if (data[s.byteBegin + i] != data[w0.byteBegin + i]) {
                    common = i;
                    break;
                }
            // What the first token covers (emission alignment): the bytes up
            // to the one that emitted its last bit, all of the window when it
            // used fewer bits. Those bytes alone set the token's bits: the
            // coder and M1 start afresh and emitted bits never change.
            uint64_t m = 0;
            while (m < n && t.bitEnd[s.byteBegin + m] < s.bitBegin + k) ++m;
            m = std::min(n, m + 1);
            ++covered[escapeText(data + s.byteBegin, size_t(m))];
            if (entry.examples.size() < kDictionaryExamples)
                entry.examples.push_back(escapeText(data + s.byteBegin, size_t(n)));
        }
        entry.commonPrefix = escapeText(data + w0.byteBegin, size_t(common));
        std::vector<std::pair<std::string, uint64_t>> prefixes(covered.begin(), covered.end());
        std::stable_sort(prefixes.begin(), prefixes.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        if (prefixes.size() > kDictionaryPrefixes) prefixes.resize(kDictionaryPrefixes);
        entry.prefixes = std::move(prefixes);
        out.dictionary.push_back(std::move(entry));
    }
    return out;
}

TokenMeaning runTokenMeaning(const uint8_t* data, size_t size, const CodecParams& params, const StudyOptions& options,
                             size_t dictionarySize) {
    if (params.method != Method::EqualInfoAc)
        throw InvalidArgument("token meaning needs eqinfo-ac, not " + methodName(params.method));
    params.validate();
    if (params.m1Reset != 1)
        throw InvalidArgument(
            "token meaning needs M1 reset at every window: only then is a first token a "
            "function of its window's first bytes");
    if (dictionarySize > kMaxDictionarySize)
        throw InvalidArgument("the dictionary holds at most " + std::to_string(kMaxDictionarySize) + " tokens");
    // A row per window: at most kMaxPerByteResultBytes.
    const StudyScope scope = studyScope(size, options, kMaxPerByteResultBytes);
    const ModelSet models = studyModels(Method::EqualInfoAc, options);
    EncodeOptions eo;
    eo.trace = true;
    eo.stats = false;  // nothing here needs the surprisal totals or the decodability pass
    eo.threads = options.clampedThreads();
    eo.progress = options.progress;
    const Encoded e = encode(data, size_t(scope.analysedBytes), params, models, eo);
    TokenMeaning out = tokenMeaningOf(e, data, dictionarySize);
    out.scope = scope;
    out.modelName = modelNameOf(models);
    return out;
}

}  // namespace eqlab
