// Bytes as text for people: escaped for a table cell, and UTF-8 validity.
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

}  // namespace eqlab
