#include "bench_input.h"

#include <algorithm>
#include <unordered_map>

#include "base/errors.h"

namespace eqlab::cli {

namespace {

// splitmix64 (Steele, Lea, Flood 2014): integer arithmetic only, so the
// stream is the same on every processor and compiler.
uint64_t nextRandom(uint64_t& state) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint32_t contextAt(const uint8_t* p) {
    uint32_t c = 0;
    for (int i = 0; i < kChainOrder; ++i) c = (c << 8) | p[i];
    return c;
}

}  // namespace

std::vector<uint8_t> chainText(const std::vector<uint8_t>& sample, size_t size, uint64_t seed) {
    if (sample.size() <= size_t(kChainOrder)) throw InvalidArgument("the chain's sample is too short");
    // Each context's successors in the sample, repeated as often as they occur.
    std::unordered_map<uint32_t, std::vector<uint8_t>> next;
    for (size_t i = 0; i + kChainOrder < sample.size(); ++i)
        next[contextAt(&sample[i])].push_back(sample[i + kChainOrder]);
    std::vector<uint8_t> out;
    out.reserve(size);
    uint64_t state = seed;
    while (out.size() < size) {
        if (out.size() < size_t(kChainOrder) || !next.count(contextAt(&out[out.size() - kChainOrder]))) {
            const size_t n = std::min(size - out.size(), size_t(kChainOrder));  // (re)start from the sample's head
            out.insert(out.end(), sample.begin(), sample.begin() + std::ptrdiff_t(n));
            continue;
        }
        const std::vector<uint8_t>& choices = next.at(contextAt(&out[out.size() - kChainOrder]));
        out.push_back(choices[size_t(nextRandom(state) % choices.size())]);
    }
    return out;
}

}  // namespace eqlab::cli
