// The one way eqlab writes a file (containers, decoded text, datasets,
// weights, checkpoints, runs, exports, the GUI's autosave).
//
// A regular file, or a path that does not exist yet, is written atomically:
// into a temporary file beside it that commit() renames over it, so a write
// that fails or is interrupted (a full disk, kill -9) leaves any previous file
// untouched and no partial file behind. Anything else that exists (a
// character device such as /dev/null, a FIFO, a socket) and "-" (stdout) is
// written in place: never replaced, never renamed over. Every write is
// checked, the last flush and close too; an output that is the same file as
// one of `inputs` (same device and inode, through any link) is refused before
// anything is written.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace eqlab {

class OutputFile {
public:
    // Opens `path` for writing. Throws InvalidArgument when it is one of
    // `inputs` ("-" never is) and IoError when it cannot be opened.
    explicit OutputFile(const std::string& path, const std::vector<std::string>& inputs = {});
    // Without commit(): a regular file's temporary is removed (the old file,
    // if any, is kept); an in-place output keeps what was written.
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    // Throws IoError naming the path and the system's reason (e.g. "No space
    // left on device"); after a failed write, commit() throws too.
    void write(const uint8_t* data, size_t size);
    void write(const std::vector<uint8_t>& data) { write(data.data(), data.size()); }
    void write(const std::string& text) { write(reinterpret_cast<const uint8_t*>(text.data()), text.size()); }

    // Flushes, closes and (regular files) renames into place. Throws IoError;
    // a second call does nothing.
    void commit();

    // True when written in place (device, FIFO, socket, stdout).
    bool inPlace() const;
    const std::string& path() const { return path_; }
    uint64_t bytesWritten() const { return written_; }

private:
    struct Impl;
    std::string path_;
    uint64_t written_ = 0;
    std::unique_ptr<Impl> impl_;
};

// Writes a whole file through OutputFile. Throws as OutputFile does.
void writeFile(const std::string& path, const uint8_t* data, size_t size, const std::vector<std::string>& inputs = {});
inline void writeFile(const std::string& path, const std::vector<uint8_t>& data,
                      const std::vector<std::string>& inputs = {}) {
    writeFile(path, data.data(), data.size(), inputs);
}

// True when `a` and `b` name the same existing file (device and inode).
bool sameFile(const std::string& a, const std::string& b);

// Flushes stdout and reports whether everything written to it arrived (the
// CLI checks this before it exits 0: `> /dev/full` must fail).
bool stdoutFlushed();

}  // namespace eqlab
