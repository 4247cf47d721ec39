// The integer cumulative distribution the range coder codes with, and the one
// function that turns floating-point probabilities into it.
#pragma once

#include <array>
#include <cstdint>

namespace eqlab {

constexpr int kAlphabet = 256;         // symbols are bytes
constexpr int kMinPrecision = 8;       // 256 symbols need at least 2^8 slots to each get one
constexpr int kMaxPrecision = 24;      // keeps range * cum inside 64 bits with a 32-bit coder state
constexpr int kDefaultPrecision = 16;  // CDF precision P when nothing constrains it

// Cumulative frequencies at precision P: cum[0] = 0, cum[256] = 2^P, and
// cum[s+1] - cum[s] >= 1 for every symbol s, so every byte can be coded.
struct Cdf {
    int precision = kDefaultPrecision;
    std::array<uint32_t, kAlphabet + 1> cum{};

    uint32_t total() const { return uint32_t(1) << precision; }
    uint32_t freq(int s) const { return cum[s + 1] - cum[s]; }
    // The coding cost of symbol s under this CDF, in bits: -log2(freq / 2^P).
    double surprisalBits(int s) const;
    // Checks the invariants above; throws std::logic_error when broken.
    void validate() const;
};

// THE quantiser: the only place where probabilities become an integer CDF.
// Encoder and decoder both call it, so equal inputs give equal CDFs.
//
// `probs` are 256 non-negative weights (they need not sum to 1; NaN, infinite
// and negative entries count as 0; all-zero weights give the uniform CDF).
// Each symbol gets 1 + floor(w_s / sum(w) * (2^P - 256)) slots, and the slots
// left over go to the most probable symbol (the lowest index among ties).
// Deterministic: fixed summation order, double arithmetic, no fast-math.
void quantizeProbabilities(const float* probs, int precision, Cdf& out);

// The uniform CDF at precision P (every byte 2^(P-8) slots).
Cdf uniformCdf(int precision);

}  // namespace eqlab
