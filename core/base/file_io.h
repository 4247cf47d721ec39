// Whole-file reads and atomic writes (QSaveFile: a write that fails or is
// interrupted leaves any previous file untouched and no partial file behind).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace eqlab {

// Reads a whole file ("-" reads stdin). Throws IoError when it cannot be read,
// or when it is larger than maxBytes.
std::vector<uint8_t> readFile(const std::string& path, uint64_t maxBytes = uint64_t(1) << 34);

// Writes a whole file atomically ("-" writes stdout). Throws IoError on failure.
void writeFileAtomic(const std::string& path, const uint8_t* data, size_t size);
inline void writeFileAtomic(const std::string& path, const std::vector<uint8_t>& data) {
    writeFileAtomic(path, data.data(), data.size());
}

// The folder of bundled resources: $EQLAB_RESOURCES if set, else the one
// installed next to the binaries, else the source tree's resources/.
std::string resourceDir();
std::string resourcePath(const std::string& name);

}  // namespace eqlab
