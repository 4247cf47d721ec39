#include "base/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QSaveFile>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "base/errors.h"

namespace eqlab {

namespace {

std::string systemError(int err) {
    return std::strerror(err);
}

// Writes all of [data, data + size) to fd, retrying short writes and EINTR.
// Returns 0 or the errno that stopped it.
int writeAll(int fd, const uint8_t* data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        data += n;
        size -= size_t(n);
    }
    return 0;
}

}  // namespace

struct OutputFile::Impl {
    std::unique_ptr<QSaveFile> atomic;  // regular files
    int fd = -1;                        // in place
    bool ownsFd = false;                // false for stdout
    bool failed = false;
    bool committed = false;
};

bool sameFile(const std::string& a, const std::string& b) {
    if (a == "-" || b == "-") return false;
    struct stat sa, sb;
    if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

OutputFile::OutputFile(const std::string& path, const std::vector<std::string>& inputs)
    : path_(path), impl_(std::make_unique<Impl>()) {
    if (path.empty()) throw InvalidArgument("no output path given");
    for (const std::string& in : inputs)
        if (sameFile(path, in))
            throw InvalidArgument("the output " + path + " is the input " + in + "; refusing to overwrite it");
    if (path == "-") {
        std::fflush(stdout);  // what stdio holds goes first
        impl_->fd = STDOUT_FILENO;
        return;
    }
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) throw IoError("cannot write " + path + ": it is a folder");
        // A device, FIFO or socket: write into it, never replace it.
        int fd;
        do fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
        while (fd < 0 && errno == EINTR);
        if (fd < 0) throw IoError("cannot write " + path + ": " + systemError(errno));
        impl_->fd = fd;
        impl_->ownsFd = true;
        return;
    }
    impl_->atomic = std::make_unique<QSaveFile>(QString::fromStdString(path));
    if (!impl_->atomic->open(QIODevice::WriteOnly))
        throw IoError("cannot write " + path + ": " + impl_->atomic->errorString().toStdString());
}

OutputFile::~OutputFile() {
    if (!impl_) return;
    if (impl_->atomic && !impl_->committed) impl_->atomic->cancelWriting();  // QSaveFile then removes its temporary
    if (impl_->ownsFd && impl_->fd >= 0) ::close(impl_->fd);
}

bool OutputFile::inPlace() const {
    return !impl_->atomic;
}

void OutputFile::write(const uint8_t* data, size_t size) {
    if (impl_->committed) throw IoError("cannot write " + path_ + ": already committed");
    if (impl_->failed) throw IoError("cannot write " + path_ + ": an earlier write failed");
    if (size == 0) return;
    if (impl_->atomic) {
        if (impl_->atomic->write(reinterpret_cast<const char*>(data), qint64(size)) != qint64(size)) {
            impl_->failed = true;
            throw IoError("cannot write " + path_ + ": " + impl_->atomic->errorString().toStdString());
        }
    } else if (const int err = writeAll(impl_->fd, data, size)) {
        impl_->failed = true;
        throw IoError("cannot write " + (path_ == "-" ? std::string("to stdout") : path_) + ": " + systemError(err));
    }
    written_ += size;
}

void OutputFile::commit() {
    if (impl_->committed) return;
    if (impl_->failed) throw IoError("cannot write " + path_ + ": an earlier write failed");
    impl_->committed = true;
    if (impl_->atomic) {
        if (!impl_->atomic->commit())
            throw IoError("cannot write " + path_ + ": " + impl_->atomic->errorString().toStdString());
        return;
    }
    if (impl_->ownsFd) {
        const int fd = impl_->fd;
        impl_->fd = -1;
        if (::close(fd) != 0 && errno != EINTR) throw IoError("cannot write " + path_ + ": " + systemError(errno));
    }
}

void writeFile(const std::string& path, const uint8_t* data, size_t size, const std::vector<std::string>& inputs) {
    OutputFile out(path, inputs);
    out.write(data, size);
    out.commit();
}

bool stdoutFlushed() {
    return std::fflush(stdout) == 0 && !std::ferror(stdout);
}

}  // namespace eqlab
