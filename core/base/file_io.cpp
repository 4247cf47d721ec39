#include "base/file_io.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <cstdio>

#include "base/errors.h"

namespace eqlab {

std::vector<uint8_t> readFile(const std::string& path, uint64_t maxBytes) {
    QFile f;
    bool ok = path == "-" ? f.open(stdin, QIODevice::ReadOnly)
                          : (f.setFileName(QString::fromStdString(path)), f.open(QIODevice::ReadOnly));
    if (!ok) throw IoError("cannot read " + path + ": " + f.errorString().toStdString());
    std::vector<uint8_t> out;
    if (path != "-" && !f.isSequential()) {
        const qint64 size = f.size();
        if (uint64_t(size) > maxBytes)
            throw IoError(path + " is too large (" + std::to_string(size) + " bytes; the limit is " +
                          std::to_string(maxBytes) + ")");
        out.resize(size_t(size));
        if (size > 0 && f.read(reinterpret_cast<char*>(out.data()), size) != size)
            throw IoError("cannot read " + path + ": " + f.errorString().toStdString());
        return out;
    }
    char buf[1 << 16];
    for (;;) {
        qint64 n = f.read(buf, sizeof buf);
        if (n < 0) throw IoError("cannot read " + path + ": " + f.errorString().toStdString());
        if (n == 0 && (f.atEnd() || !f.waitForReadyRead(-1))) break;
        out.insert(out.end(), buf, buf + n);
        if (out.size() > maxBytes) throw IoError(path + " is too large");
    }
    return out;
}

std::string resourceDir() {
    QByteArray env = qgetenv("EQLAB_RESOURCES");
    if (!env.isEmpty()) return env.toStdString();
    if (QCoreApplication::instance()) {
        QDir dir(QCoreApplication::applicationDirPath());
        for (const char* rel : {"../share/eqlab", "resources"}) {
            QFileInfo fi(dir.filePath(rel));
            if (fi.isDir() && QFileInfo(dir.filePath(QString(rel) + "/unigram-default.equg")).exists())
                return fi.absoluteFilePath().toStdString();
        }
    }
    return EQLAB_RESOURCE_DIR;
}

std::string resourcePath(const std::string& name) {
    return resourceDir() + "/" + name;
}

}  // namespace eqlab
