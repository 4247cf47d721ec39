// Little-endian serialisation with bounds checks, for eqlab's own file formats.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "base/errors.h"

namespace eqlab {

// Appends little-endian fields to a byte vector.
class ByteSink {
public:
    void u8(uint8_t v) { out_.push_back(v); }
    void u16(uint16_t v) { le(v, 2); }
    void u32(uint32_t v) { le(v, 4); }
    void u64(uint64_t v) { le(v, 8); }
    void f32(float v) {
        uint32_t u;
        std::memcpy(&u, &v, 4);
        u32(u);
    }
    void varint(uint64_t v) {
        while (v >= 0x80) {
            out_.push_back(uint8_t(v | 0x80));
            v >>= 7;
        }
        out_.push_back(uint8_t(v));
    }
    void bytes(const void* p, size_t n) {
        const uint8_t* b = static_cast<const uint8_t*>(p);
        out_.insert(out_.end(), b, b + n);
    }
    void bytes(const std::vector<uint8_t>& v) { bytes(v.data(), v.size()); }
    void str(const std::string& s) {
        u32(uint32_t(s.size()));
        bytes(s.data(), s.size());
    }

    size_t size() const { return out_.size(); }
    std::vector<uint8_t>& data() { return out_; }

private:
    void le(uint64_t v, int n) {
        for (int i = 0; i < n; ++i) out_.push_back(uint8_t(v >> (8 * i)));
    }
    std::vector<uint8_t> out_;
};

// Reads little-endian fields; every read is bounds-checked and a short read
// throws FormatError naming `what_` (the file kind) and the field.
class ByteSource {
public:
    ByteSource(const uint8_t* data, size_t size, std::string what)
        : p_(data), end_(data + size), begin_(data), what_(std::move(what)) {}

    uint8_t u8(const char* field) {
        need(1, field);
        return *p_++;
    }
    uint16_t u16(const char* field) { return uint16_t(le(2, field)); }
    uint32_t u32(const char* field) { return uint32_t(le(4, field)); }
    uint64_t u64(const char* field) { return le(8, field); }
    float f32(const char* field) {
        uint32_t u = u32(field);
        float f;
        std::memcpy(&f, &u, 4);
        return f;
    }
    uint64_t varint(const char* field) {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            uint8_t b = u8(field);
            v |= uint64_t(b & 0x7F) << shift;
            if (!(b & 0x80)) return v;
        }
        fail(std::string("malformed number in ") + field);
    }
    // Returns a pointer to the next n bytes and skips them.
    const uint8_t* take(size_t n, const char* field) {
        need(n, field);
        const uint8_t* r = p_;
        p_ += n;
        return r;
    }
    std::string str(const char* field, size_t maxLen) {
        uint32_t n = u32(field);
        if (n > maxLen) fail(std::string(field) + " is too long (" + std::to_string(n) + " bytes)");
        const uint8_t* s = take(n, field);
        return std::string(reinterpret_cast<const char*>(s), n);
    }

    size_t offset() const { return size_t(p_ - begin_); }
    size_t remaining() const { return size_t(end_ - p_); }
    [[noreturn]] void fail(const std::string& msg) const { throw FormatError(what_ + ": " + msg); }

private:
    void need(size_t n, const char* field) {
        if (size_t(end_ - p_) < n)
            fail(std::string("file is truncated (reading ") + field + " at byte " + std::to_string(offset()) + ")");
    }
    uint64_t le(int n, const char* field) {
        need(size_t(n), field);
        uint64_t v = 0;
        for (int i = 0; i < n; ++i) v |= uint64_t(p_[i]) << (8 * i);
        p_ += n;
        return v;
    }
    const uint8_t* p_;
    const uint8_t* end_;
    const uint8_t* begin_;
    std::string what_;
};

}  // namespace eqlab
