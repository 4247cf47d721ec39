#include "base/hashes.h"

#include <zlib.h>

#include <QByteArrayView>
#include <QCryptographicHash>

namespace eqlab {

uint32_t crc32Of(const uint8_t* data, size_t size) {
    uLong crc = crc32(0L, Z_NULL, 0);
    // zlib's crc32 takes a uInt length: feed large buffers in pieces.
    while (size > 0) {
        const uInt n = size > (1u << 30) ? (1u << 30) : uInt(size);
        crc = crc32(crc, data, n);
        data += n;
        size -= n;
    }
    return uint32_t(crc);
}

std::string sha256Hex(const uint8_t* data, size_t size) {
    const QByteArray h = QCryptographicHash::hash(QByteArrayView(reinterpret_cast<const char*>(data), qsizetype(size)),
                                                  QCryptographicHash::Sha256);
    return h.toHex().toStdString();
}

}  // namespace eqlab
