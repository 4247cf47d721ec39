// A file read piece by piece ("-": stdin), for inputs too large to hold
// whole (base/file_io.h readFile reads a whole file).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace eqlab {

class InputStream {
public:
    // Opens `path` ("-": stdin). Throws IoError when it cannot be opened.
    explicit InputStream(const std::string& path);
    ~InputStream();
    InputStream(const InputStream&) = delete;
    InputStream& operator=(const InputStream&) = delete;

    // Reads up to `size` bytes into `data`: fewer only at the end of the
    // input. Throws IoError when reading fails.
    size_t read(uint8_t* data, size_t size);
    // Reads exactly `size` bytes; throws FormatError naming `what` ("<path>
    // is truncated (<what> incomplete)") when the input ends first.
    void readExactly(uint8_t* data, size_t size, const std::string& what);
    // The size of a regular file, 0 for stdin, pipes and devices.
    uint64_t sizeHint() const;
    // Bytes read so far.
    uint64_t position() const { return position_; }
    const std::string& path() const { return path_; }

private:
    struct Impl;
    std::string path_;
    uint64_t position_ = 0;
    std::unique_ptr<Impl> impl_;
};

}  // namespace eqlab
