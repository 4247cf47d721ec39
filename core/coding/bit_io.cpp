#include "coding/bit_io.h"

namespace eqlab {

void BitWriter::truncate(uint64_t newSize) {
    if (newSize >= size_) return;
    size_ = newSize;
    bytes_.resize((size_ + 7) / 8);
    if (size_ & 7) bytes_.back() &= uint8_t(0xFF00u >> (size_ & 7));
}

void BitWriter::append(const BitWriter& other) {
    if ((size_ & 7) == 0) {  // byte-aligned: the bytes as they are
        bytes_.insert(bytes_.end(), other.bytes_.begin(), other.bytes_.end());
        size_ += other.size_;
        return;
    }
    const uint8_t* p = other.bytes_.data();
    uint64_t left = other.size_;
    for (; left >= 32; left -= 32, p += 4)
        putBits(uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]), 32);
    for (; left >= 8; left -= 8, ++p) putBits(*p, 8);
    if (left > 0) putBits(uint32_t(*p) >> (8 - left), int(left));
}

void BitWriter::appendRange(const BitWriter& other, uint64_t begin, uint64_t end) {
    const std::vector<uint8_t>& src = other.bytes_;
    // The 32 bits from bit i: the 5 bytes that hold them, shifted (bytes past the end read as 0).
    auto word = [&](uint64_t i) {
        uint64_t w = 0;
        for (size_t j = 0; j < 5; ++j) {
            const size_t at = size_t(i >> 3) + j;
            w = w << 8 | (at < src.size() ? src[at] : 0u);
        }
        return uint32_t(w >> (8 - (i & 7)));
    };
    uint64_t i = begin;
    for (; i + 32 <= end; i += 32) putBits(word(i), 32);
    if (i < end) putBits(word(i) >> (32 - (end - i)), int(end - i));
}

}  // namespace eqlab
