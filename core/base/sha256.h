// SHA-256 (FIPS 180-4) in standard C++: the one implementation eqlab hashes
// with (base/hashes.h's sha256Hex calls it), so that a program without Qt,
// such as the numerics probe built for another processor, hashes the same way.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace eqlab {

// A hash computed piece by piece: update() any number of times, then hex()
// once. Sha256().update(a).update(b) hashes the concatenation ab.
class Sha256 {
public:
    Sha256();
    Sha256& update(const uint8_t* data, size_t size);
    // The digest as 64 lowercase hex digits. Ends the hash: call it once.
    std::string hex();

private:
    void compress(const uint8_t* block);

    std::array<uint32_t, 8> state_;
    std::array<uint8_t, 64> buffer_{};
    size_t buffered_ = 0;  // bytes in buffer_, below 64
    uint64_t length_ = 0;  // bytes hashed so far
};

}  // namespace eqlab
