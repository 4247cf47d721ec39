#include "base/input_stream.h"

#include <QFile>
#include <cstdio>

#include "base/errors.h"

namespace eqlab {

struct InputStream::Impl {
    QFile file;
};

InputStream::InputStream(const std::string& path) : path_(path), impl_(std::make_unique<Impl>()) {
    QFile& f = impl_->file;
    const bool ok = path == "-" ? f.open(stdin, QIODevice::ReadOnly)
                                : (f.setFileName(QString::fromStdString(path)), f.open(QIODevice::ReadOnly));
    if (!ok) throw IoError("cannot read " + path + ": " + f.errorString().toStdString());
}

InputStream::~InputStream() = default;

size_t InputStream::read(uint8_t* data, size_t size) {
    QFile& f = impl_->file;
    size_t got = 0;
    while (got < size) {
        const qint64 n = f.read(reinterpret_cast<char*>(data + got), qint64(size - got));
        if (n < 0) throw IoError("cannot read " + path_ + ": " + f.errorString().toStdString());
        // A pipe may have nothing yet: wait for more unless it has ended.
        if (n == 0 && (f.atEnd() || !f.isSequential() || !f.waitForReadyRead(-1))) break;
        got += size_t(n);
    }
    position_ += got;
    return got;
}

void InputStream::readExactly(uint8_t* data, size_t size, const std::string& what) {
    if (read(data, size) != size) throw FormatError(path_ + " is truncated (" + what + " incomplete)");
}

uint64_t InputStream::sizeHint() const {
    const QFile& f = impl_->file;
    return path_ == "-" || f.isSequential() ? 0 : uint64_t(f.size());
}

}  // namespace eqlab
