// bench's default input: text that does not repeat, made the same on every
// machine from the bundled sample alone (no data/ needed).
//
// Repeating the 12 KB sample to 8 MB let zlib code it at 0.06 bits/byte
// (every 32 KiB window holds a copy), so its comparison meant nothing. An
// order-3 character chain over the sample instead emits English-like bytes
// that never repeat at length: each next byte is drawn from the bytes that
// follow the last three in the sample, in proportion to how often they do,
// by a fixed integer generator (splitmix64), so the bytes are the same
// everywhere. zlib level 6 codes it at about 2.8 bits/byte, as it codes real
// English prose (SOTU 2006-2021: 2.85).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace eqlab::cli {

constexpr int kChainOrder = 3;  // bytes of context each next byte is drawn on

// `size` bytes of the chain over `sample` (which must hold more than
// kChainOrder bytes), starting with the sample's first kChainOrder bytes; a
// context with no successor (the sample's end) restarts from there. Same
// sample, size and seed: same bytes.
std::vector<uint8_t> chainText(const std::vector<uint8_t>& sample, size_t size, uint64_t seed = 1);

}  // namespace eqlab::cli
