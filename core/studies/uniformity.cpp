#include "studies/uniformity.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "base/errors.h"
#include "coding/bit_io.h"
#include "coding/tokens.h"

namespace eqlab {

namespace {

// One stream to measure: its bits (packed, MSB first) and its tokens.
struct Stream {
    std::vector<uint8_t> packed;
    uint64_t bits = 0;
    std::vector<uint32_t> tokens;
    int tokenBits = 8;
    uint64_t vocab = 256;  // the values a token can take (sentencepiece: fewer than 2^tokenBits)
};

// Counts of the overlapping n-bit windows of bits [begin, end) of `packed`.
void countNgrams(const uint8_t* packed, uint64_t begin, uint64_t end, int n, std::vector<uint64_t>& counts) {
    counts.assign(size_t(1) << n, 0);
    const uint32_t mask = (uint32_t(1) << n) - 1u;
    uint32_t window = 0;
    for (uint64_t i = begin; i < end; ++i) {
        window = ((window << 1) | ((packed[i >> 3] >> (7 - (i & 7))) & 1u)) & mask;
        if (i + 1 - begin >= uint64_t(n)) ++counts[window];
    }
}

// The q-th quantile (0 <= q <= 1) of `values`, interpolating linearly between
// the sorted values at the ranks either side of q (size - 1).
double quantile(std::vector<double> values, double q) {
    std::sort(values.begin(), values.end());
    const double pos = q * double(values.size() - 1);
    const size_t lo = size_t(std::floor(pos));
    const size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (pos - double(lo)) * (values[hi] - values[lo]);
}

KlEstimate bandOf(int n, double kl, const std::vector<double>& parts) {
    KlEstimate e;
    e.n = n;
    e.kl = kl;
    e.p5 = quantile(parts, 0.05);
    e.p95 = quantile(parts, 0.95);
    return e;
}

// Measures one stream; `progress` hears (n done, maxN + 1) and may cancel.
UniformityMethod measure(const std::string& label, const Stream& s, const UniformityOptions& u,
                         const ProgressFn& progress) {
    const auto tick = [&](int done) {
        if (progress && !progress(uint64_t(done), uint64_t(u.maxN) + 1)) throw Cancelled();
    };
    UniformityMethod m;
    m.method = label;
    m.bits = s.bits;
    const uint64_t partBits = s.bits / uint64_t(u.partitions);
    std::vector<uint64_t> counts;
    std::vector<double> parts(size_t(u.partitions));
    for (int n = 1; n <= u.maxN; ++n) {
        countNgrams(s.packed.data(), 0, s.bits, n, counts);
        const double kl = klFromUniform(counts);
        for (int p = 0; p < u.partitions; ++p) {
            countNgrams(s.packed.data(), uint64_t(p) * partBits, uint64_t(p + 1) * partBits, n, counts);
            parts[size_t(p)] = klFromUniform(counts);
        }
        m.ngramKl.push_back(bandOf(n, kl, parts));
        tick(n);
    }

    // Tokens as values: counts over the v values they may take (not 2^storageBits:
    // a sentencepiece vocabulary below a power of two would count as structure).
    auto tokenCounts = [&](size_t begin, size_t end) {
        counts.assign(size_t(s.vocab), 0);
        for (size_t i = begin; i < end; ++i) ++counts[s.tokens[i]];
        return klFromUniform(counts);
    };
    const double kl = tokenCounts(0, s.tokens.size());
    const size_t partTokens = s.tokens.size() / size_t(u.partitions);
    for (int p = 0; p < u.partitions; ++p)
        parts[size_t(p)] = tokenCounts(size_t(p) * partTokens, size_t(p + 1) * partTokens);
    m.tokenKl = bandOf(s.tokenBits, kl, parts);
    tick(u.maxN + 1);
    return m;
}

// Every partition of the stream must hold at least one n-gram for every n
// and at least one token.
void checkLongEnough(const std::string& label, const Stream& s, const UniformityOptions& u) {
    const uint64_t need = uint64_t(std::max(u.maxN, s.tokenBits)) * uint64_t(u.partitions);
    if (s.bits < need)
        throw InvalidArgument("the " + label + " stream has " + std::to_string(s.bits) + " bits: too short for " +
                              std::to_string(u.partitions) + " partitions of at least " +
                              std::to_string(std::max(u.maxN, s.tokenBits)) +
                              " bits each; use fewer partitions, a smaller maximum n or a longer input");
}

}  // namespace

std::vector<uint64_t> bitNgramCounts(const uint8_t* packed, uint64_t nbits, int n) {
    if (n < 1 || n > kMaxNgramBits)
        throw InvalidArgument("n-gram length must be in 1.." + std::to_string(kMaxNgramBits) + ", got " +
                              std::to_string(n));
    std::vector<uint64_t> counts;
    countNgrams(packed, 0, nbits, n, counts);
    return counts;
}

double klFromUniform(const std::vector<uint64_t>& counts) {
    if (counts.empty()) throw InvalidArgument("klFromUniform needs at least one possible value");
    uint64_t total = 0, seen = 0;
    double sumClogC = 0;  // sum of c log2 c over the values seen
    for (uint64_t c : counts) {
        if (c == 0) continue;
        total += c;
        ++seen;
        sumClogC += double(c) * std::log2(double(c));
    }
    if (total == 0) return 0.0;
    const double N = double(total);
    // H = -sum (c/N) log2(c/N) = log2 N - (1/N) sum c log2 c; exactly 0 for one value.
    const double plugin = seen == 1 ? 0.0 : std::log2(N) - sumClogC / N;
    const double millerMadow = double(seen - 1) / (2.0 * N * std::log(2.0));
    return std::max(0.0, std::log2(double(counts.size())) - (plugin + millerMadow));
}

Uniformity runUniformity(const uint8_t* data, size_t size, const UniformityOptions& uniformity,
                         const StudyOptions& options) {
    const UniformityOptions& u = uniformity;
    if (u.maxN < 1 || u.maxN > kMaxNgramBits)
        throw InvalidArgument("the maximum n-gram length must be in 1.." + std::to_string(kMaxNgramBits) + ", got " +
                              std::to_string(u.maxN));
    if (u.partitions < 1 || u.partitions > kMaxPartitions)
        throw InvalidArgument("the number of partitions must be in 1.." + std::to_string(kMaxPartitions) + ", got " +
                              std::to_string(u.partitions));
    if (u.methods.empty()) throw InvalidArgument("no methods to compare");
    for (const CodecParams& p : u.methods) p.validate();

    Uniformity out;
    out.scope = studyScope(size, options);
    const size_t analysed = size_t(out.scope.analysedBytes);

    // Per method its encoding, weighted by the bytes it codes, then its
    // measurement; last the random reference.
    std::vector<uint64_t> weights;
    for (size_t i = 0; i < u.methods.size(); ++i) {
        weights.push_back(analysed);
        weights.push_back(std::max<size_t>(analysed / 8, 1));
    }
    weights.push_back(std::max<size_t>(analysed / 8, 1));
    const StudyProgress progress(options.progress, weights);
    std::vector<Stream> streams;
    for (size_t i = 0; i < u.methods.size(); ++i) {
        const CodecParams& params = u.methods[i];
        EncodeOptions eo;
        eo.trace = false;
        eo.stats = false;
        eo.threads = options.clampedThreads();
        eo.progress = progress.part(2 * i);
        Encoded e = encode(data, analysed, params, studyModels(params.method, options), eo);
        progress.finish(2 * i);
        Stream s;
        s.tokenBits = e.storageBits();
        s.vocab = e.vocab;
        s.bits = uint64_t(e.tokens.size()) * uint64_t(s.tokenBits);
        s.packed = tokensToBits(e.tokens, s.tokenBits);
        s.tokens = std::move(e.tokens);
        checkLongEnough(params.label(), s, u);
        out.methods.push_back(measure(params.label(), s, u, progress.part(2 * i + 1)));
        streams.push_back(std::move(s));
        progress.finish(2 * i + 1);
    }

    // The reference: as many random bits as the longest stream, in tokens as wide as its.
    const auto longest = std::max_element(streams.begin(), streams.end(),
                                          [](const Stream& a, const Stream& b) { return a.bits < b.bits; });
    Stream random;
    random.bits = longest->bits;
    random.tokenBits = longest->tokenBits;
    random.vocab = uint64_t(1) << random.tokenBits;
    random.packed.resize(size_t((random.bits + 7) / 8));
    std::mt19937_64 rng(u.seed);
    for (size_t i = 0; i < random.packed.size(); i += 8) {
        const uint64_t word = rng();
        for (size_t j = 0; j < 8 && i + j < random.packed.size(); ++j) random.packed[i + j] = uint8_t(word >> (8 * j));
    }
    random.tokens = bitsToTokens(random.packed, random.bits, random.tokenBits);
    out.random = measure("random", random, u, progress.part(2 * u.methods.size()));
    progress.finish(2 * u.methods.size());
    return out;
}

}  // namespace eqlab
