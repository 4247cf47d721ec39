// Bit-level buffers, most significant bit first within each byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace eqlab {

// A growable string of bits. Bit i lives in byte i/8 at position 7 - i%8.
// Invariant: bits past size() in the last byte are zero.
class BitWriter {
public:
    void put(unsigned bit) {
        if ((size_ & 7) == 0) bytes_.push_back(0);
        if (bit) bytes_.back() |= uint8_t(0x80u >> (size_ & 7));
        ++size_;
    }
    void putRepeated(unsigned bit, uint64_t count) {
        for (uint64_t i = 0; i < count; ++i) put(bit);
    }
    // Appends the low `count` bits of `value`, most significant first (count <= 32).
    void putBits(uint32_t value, int count) {
        for (int i = count - 1; i >= 0; --i) put((value >> i) & 1u);
    }
    // Appends zero bits until size() == newSize (no-op if already that long).
    void padTo(uint64_t newSize) {
        while (size_ < newSize) put(0);
    }
    // Drops every bit at index >= newSize (newSize <= size()).
    void truncate(uint64_t newSize);

    uint64_t size() const { return size_; }
    unsigned at(uint64_t i) const { return (bytes_[i >> 3] >> (7 - (i & 7))) & 1u; }
    const std::vector<uint8_t>& bytes() const { return bytes_; }
    std::vector<uint8_t> takeBytes() { size_ = 0; return std::move(bytes_); }

private:
    std::vector<uint8_t> bytes_;
    uint64_t size_ = 0;
};

// Reads bits [begin, end) of a packed buffer and then zeros forever: the
// "zero-padded continuation" that stream termination is defined against.
class BitReader {
public:
    BitReader(const uint8_t* data, uint64_t begin, uint64_t end)
        : data_(data), pos_(begin), end_(end) {}
    unsigned next() {
        if (pos_ >= end_) { ++pos_; return 0; }
        unsigned bit = (data_[pos_ >> 3] >> (7 - (pos_ & 7))) & 1u;
        ++pos_;
        return bit;
    }

private:
    const uint8_t* data_;
    uint64_t pos_;
    uint64_t end_;
};

// Bit i of a packed MSB-first buffer.
inline unsigned bitAt(const std::vector<uint8_t>& bytes, uint64_t i) {
    return (bytes[i >> 3] >> (7 - (i & 7))) & 1u;
}

}  // namespace eqlab
