// Checksums and content hashes of byte strings: CRC-32 guards files against
// corruption, SHA-256 names models and corpora.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace eqlab {

// CRC-32 (zlib's polynomial) of a byte range of any length.
uint32_t crc32Of(const uint8_t* data, size_t size);
// The CRC-32 of what `crc` covered followed by [data, data + size): a stream's
// CRC piece by piece (start from 0). crc32Update(crc32Of(a), b) == crc32Of(ab).
uint32_t crc32Update(uint32_t crc, const uint8_t* data, size_t size);

// SHA-256 of a byte range, as 64 lowercase hex digits.
std::string sha256Hex(const uint8_t* data, size_t size);

}  // namespace eqlab
