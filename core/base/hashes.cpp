#include "base/hashes.h"

#include <zlib.h>

#include "base/sha256.h"

namespace eqlab {

uint32_t crc32Of(const uint8_t* data, size_t size) {
    return crc32Update(0, data, size);
}

uint32_t crc32Update(uint32_t crc, const uint8_t* data, size_t size) {
    uLong c = crc;
    // zlib's crc32 takes a uInt length: feed large buffers in pieces. (A null
    // buffer would make it return its initial value: an empty piece is skipped.)
    while (size > 0) {
        const uInt n = size > (1u << 30) ? (1u << 30) : uInt(size);
        c = crc32(c, data, n);
        data += n;
        size -= n;
    }
    return uint32_t(c);
}

std::string sha256Hex(const uint8_t* data, size_t size) {
    return Sha256().update(data, size).hex();
}

}  // namespace eqlab
