#include "base/text.h"

namespace eqlab {

namespace {

// Length of the valid UTF-8 sequence starting at p (1..4), or 0.
size_t utf8Length(const uint8_t* p, size_t left) {
    const uint8_t c = p[0];
    size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (c >= 0xF5 || n == 0 || n > left) return 0;
    for (size_t i = 1; i < n; ++i)
        if ((p[i] & 0xC0) != 0x80) return 0;
    // Overlong forms and surrogates.
    if (n == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))) return 0;
    if (n == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))) return 0;
    return n;
}

}  // namespace

std::string escapeText(const uint8_t* data, size_t size) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(size);
    for (size_t i = 0; i < size;) {
        const uint8_t c = data[i];
        if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\\')
            out += "\\\\";
        else if (c >= 0x20 && c < 0x7F)
            out += char(c);
        else if (const size_t n = c >= 0x80 ? utf8Length(data + i, size - i) : 0) {
            out.append(reinterpret_cast<const char*>(data + i), n);
            i += n;
            continue;
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
        ++i;
    }
    return out;
}

bool isValidUtf8(const uint8_t* data, size_t size) {
    for (size_t i = 0; i < size;) {
        const size_t n = data[i] < 0x80 ? 1 : utf8Length(data + i, size - i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

double binaryByteShare(const uint8_t* data, size_t size) {
    if (size == 0) return 0.0;
    size_t binary = 0;
    for (size_t i = 0; i < size; ++i) {
        const uint8_t c = data[i];
        binary += (c < 0x20 && (c < '\t' || c > '\r')) || c == 0x7F;
    }
    return double(binary) / double(size);
}

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace eqlab
