// Study "uniformity": how far each method's bitstream is from uniformly
// random (the paper's figure 11): KL divergence from uniform of overlapping
// bit n-grams and of non-overlapping k-bit tokens, Miller-Madow corrected,
// with percentile bands over disjoint partitions of the stream, beside the
// same measurement on random bytes.
#pragma once

#include <string>
#include <vector>

#include "studies/study.h"

namespace eqlab {

constexpr int kMaxNgramBits = 16;     // n of the longest bit n-gram (2^16 counts)
constexpr int kMaxPartitions = 1000;  // disjoint parts of a stream for the percentile bands

// Counts of the 2^n values of every overlapping n-bit window of bits [0, nbits)
// of `packed` (MSB first; the window's first bit is its most significant),
// n in 1..kMaxNgramBits: nbits - n + 1 samples, none when nbits < n.
// Throws InvalidArgument for n out of range.
std::vector<uint64_t> bitNgramCounts(const uint8_t* packed, uint64_t nbits, int n);

// KL(p || uniform over counts.size() values, 2^n for n-grams) in bits, with p
// the empirical distribution and its entropy Miller-Madow corrected:
//   KL = log2(counts.size()) - (H_plugin + (m - 1) / (2 N ln 2)),
// m the values seen, N the samples; clamped at 0 (a near-uniform sample's
// correction can push the estimate below 0). One value seen (a constant
// stream) gives exactly log2(counts.size()). No samples (N = 0) give 0: no
// evidence of structure. Throws InvalidArgument for an empty vector.
double klFromUniform(const std::vector<uint64_t>& counts);

struct KlEstimate {
    int n = 0;      // bits per n-gram (or k for tokens)
    double kl = 0;  // over the whole stream
    // 5th and 95th percentile of the KL of each partition: the stream cut
    // into `partitions` disjoint parts of floor(length / partitions) bits (or
    // tokens; the remainder is left out), n-grams counted inside a part;
    // percentiles interpolate linearly between the sorted values (numpy's
    // default), so one partition gives p5 = p95 = its KL.
    double p5 = 0;
    double p95 = 0;
};

struct UniformityOptions {
    int maxN = 16;        // n = 1..maxN, maxN in 1..kMaxNgramBits
    int partitions = 20;  // disjoint parts of each stream for the percentile bands, 1..kMaxPartitions
    uint64_t seed = 1;    // of the random reference
    std::vector<CodecParams> methods = defaultStudyMethods();
};

struct UniformityMethod {
    std::string method;               // CodecParams::label(), or "random"
    uint64_t bits = 0;                // length of the stream analysed: tokens x storageBits()
    std::vector<KlEstimate> ngramKl;  // n = 1..maxN
    KlEstimate tokenKl;               // non-overlapping tokens as values against uniform over their v
                                      // values, n = storageBits() (k; 8 for bytes, ceil(log2 v) for sentencepiece)
};

struct Uniformity {
    StudyScope scope;
    std::vector<UniformityMethod> methods;
    // Random bits (std::mt19937_64 seeded with UniformityOptions::seed) as
    // many as the longest method stream has, measured the same way; its
    // tokens are as wide as that stream's.
    UniformityMethod random;
};

// Encodes the analysed part of the input (studyScope) with each method
// (models from studyModels, no trace or stats) and measures its token stream
// as a bitstream, each token storageBits() bits, most significant first.
// Progress covers each encoding and each measurement (cancel is heard once
// per n). Throws InvalidArgument for an empty input, no
// methods, maxN or partitions out of range, or a stream too short to give
// every partition at least max(maxN, storageBits()) bits; model errors;
// Cancelled.
Uniformity runUniformity(const uint8_t* data, size_t size, const UniformityOptions& uniformity,
                         const StudyOptions& options);

}  // namespace eqlab
