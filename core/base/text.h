// Bytes as text for people: escaped for a table cell, UTF-8 validity, and
// whether bytes look like text at all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace eqlab {

// Text for a table cell: printable ASCII as is, \n \r \t \\ escaped, valid
// UTF-8 sequences as is, every other byte as \xHH.
std::string escapeText(const uint8_t* data, size_t size);

// True when [data, data + size) is valid UTF-8 (the sequences escapeText keeps as is).
bool isValidUtf8(const uint8_t* data, size_t size);

// The share (0..1) of [data, data + size) that text does not hold: NUL and
// the other C0 control bytes except tab, line feed, vertical tab, form feed
// and carriage return, and DEL. 0 for no bytes. Text in any ASCII-compatible
// encoding scores near 0; compressed or other binary data near 1/8 or more.
double binaryByteShare(const uint8_t* data, size_t size);

// A CSV field (RFC 4180): as is, or quoted with its quotes doubled when it
// holds a comma, a quote or a line break.
std::string csvField(const std::string& s);

}  // namespace eqlab
