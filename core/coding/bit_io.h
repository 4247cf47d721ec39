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
        bytes_.back() |= uint8_t(bit << (7 - (size_ & 7)));
        ++size_;
    }
    void putRepeated(unsigned bit, uint64_t count) {
        if (bit == 0) {  // zeros: just grow; new bytes are zero-filled
            size_ += count;
            bytes_.resize((size_ + 7) / 8, 0);
            return;
        }
        for (; count >= 32; count -= 32) putBits(0xFFFFFFFFu, 32);
        putBits((uint32_t(1) << count) - 1u, int(count));
    }
    // Appends the low `count` bits of `value`, most significant first (0 <= count <= 32).
    void putBits(uint32_t value, int count) {
        while (count > 0) {
            if ((size_ & 7) == 0) bytes_.push_back(0);
            const int room = 8 - int(size_ & 7);
            const int take = count < room ? count : room;
            const uint32_t chunk = uint32_t(uint64_t(value) >> (count - take)) & ((1u << take) - 1u);
            bytes_.back() |= uint8_t(chunk << (room - take));
            size_ += uint64_t(take);
            count -= take;
        }
    }
    // Appends zero bits until size() == newSize (no-op if already that long).
    void padTo(uint64_t newSize) {
        if (size_ < newSize) putRepeated(0, newSize - size_);
    }
    // Drops every bit at index >= newSize (newSize <= size()).
    void truncate(uint64_t newSize);
    // Appends every bit of `other`, a word at a time.
    void append(const BitWriter& other);
    // Appends bits [begin, end) of `other` (end <= other.size()), a word at a time.
    void appendRange(const BitWriter& other, uint64_t begin, uint64_t end);
    // Makes room for `bits` bits in all without reallocating.
    void reserve(uint64_t bits) { bytes_.reserve(size_t((bits + 7) / 8)); }

    uint64_t size() const { return size_; }
    unsigned at(uint64_t i) const { return (bytes_[i >> 3] >> (7 - (i & 7))) & 1u; }
    const std::vector<uint8_t>& bytes() const { return bytes_; }
    std::vector<uint8_t> takeBytes() {
        size_ = 0;
        return std::move(bytes_);
    }

private:
    std::vector<uint8_t> bytes_;
    uint64_t size_ = 0;
};

// Reads bits [begin, end) of a packed buffer and then zeros forever: the
// "zero-padded continuation" that stream termination is defined against.
class BitReader {
public:
    BitReader(const uint8_t* data, uint64_t begin, uint64_t end) : data_(data), pos_(begin), end_(end) {}
    unsigned next() {
        if (pos_ >= end_) {
            ++pos_;
            return 0;
        }
        unsigned bit = (data_[pos_ >> 3] >> (7 - (pos_ & 7))) & 1u;
        ++pos_;
        return bit;
    }
    // The next n bits (0 <= n <= 32) as an integer, most significant first.
    uint32_t take(int n) {
        if (n > 0 && pos_ + uint64_t(n) <= end_) {
            // Fast path: at most 5 bytes hold them.
            const uint64_t first = pos_ >> 3;
            const uint64_t last = (pos_ + uint64_t(n) - 1) >> 3;
            uint64_t v = 0;
            for (uint64_t i = first; i <= last; ++i) v = (v << 8) | data_[i];
            const int have = int(last - first + 1) * 8;
            v = (v >> (have - int(pos_ & 7) - n)) & ((uint64_t(1) << n) - 1);
            pos_ += uint64_t(n);
            return uint32_t(v);
        }
        uint32_t v = 0;
        for (int i = 0; i < n; ++i) v = (v << 1) | next();
        return v;
    }

    // The index of the next bit to read (past `end` once reading zeros).
    uint64_t position() const { return pos_; }

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
