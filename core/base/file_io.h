// Whole-file reads and the bundled resources' folder. Writes go through
// base/output_file.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace eqlab {

// Reads a whole file ("-" reads stdin). Throws IoError when it cannot be read,
// or when it is larger than maxBytes.
std::vector<uint8_t> readFile(const std::string& path, uint64_t maxBytes = uint64_t(1) << 34);

// The folder of bundled resources: $EQLAB_RESOURCES if set, else the one
// installed next to the binaries, else the source tree's resources/.
std::string resourceDir();
std::string resourcePath(const std::string& name);

}  // namespace eqlab
