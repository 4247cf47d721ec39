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

// Counts of the 2^n values of every overlapping n-bit window of bits [0, nbits)
// of `packed` (MSB first), n in 1..16.
std::vector<uint64_t> bitNgramCounts(const uint8_t* packed, uint64_t nbits, int n);

// KL(p || uniform over counts.size() = 2^n values) in bits, with p the
// empirical distribution and its entropy Miller-Madow corrected
// (+ (m - 1) / (2 N ln 2) bits, m the values seen, N the samples); never below 0.
double klFromUniform(const std::vector<uint64_t>& counts);

struct KlEstimate {
    int n = 0;      // bits per n-gram (or k for tokens)
    double kl = 0;  // over the whole stream
    double p5 = 0;  // 5th and 95th percentile over the partitions
    double p95 = 0;
};

struct UniformityOptions {
    int maxN = 16;        // n = 1..maxN
    int partitions = 20;  // disjoint parts of each stream for the percentile bands
    uint64_t seed = 1;    // of the random reference
    std::vector<CodecParams> methods = defaultStudyMethods();
};

struct UniformityMethod {
    std::string method;               // CodecParams::label(), or "random"
    uint64_t bits = 0;                // length of the stream analysed
    std::vector<KlEstimate> ngramKl;  // n = 1..maxN
    KlEstimate tokenKl;               // non-overlapping k-bit tokens (n = k)
};

struct Uniformity {
    StudyScope scope;
    std::vector<UniformityMethod> methods;
    // Random bytes (seeded) as many as the longest method stream has, measured the same way.
    UniformityMethod random;
};

Uniformity runUniformity(const uint8_t* data, size_t size, const UniformityOptions& uniformity,
                         const StudyOptions& options);

}  // namespace eqlab
