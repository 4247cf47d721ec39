#include "m2/dataset_corpus.h"

#include <QFile>

#include "base/errors.h"
#include "base/hashes.h"
#include "models/byte_model.h"

namespace eqlab::m2 {

std::vector<uint8_t> readDatasetCorpus(const std::string& path, uint64_t maxBytes, uint64_t exampleBytes) {
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly)) throw IoError("cannot read " + path + ": " + f.errorString().toStdString());
    const QByteArray data = maxBytes ? f.read(qint64(maxBytes)) : f.readAll();
    if (f.error() != QFile::NoError) throw IoError("cannot read " + path + ": " + f.errorString().toStdString());
    std::vector<uint8_t> text(data.begin(), data.end());
    text.resize(text.size() / exampleBytes * exampleBytes);
    return text;
}

std::string corpusIdOf(const std::vector<uint8_t>& text) {
    return "sha256:" + sha256Hex(text.data(), text.size()).substr(0, 32) + ":" + std::to_string(text.size());
}

std::string modelHashOf(const ModelSet& models) {
    return models.byteModel ? models.byteModel->hash() : models.sentencePiece ? models.sentencePiece->hash() : "";
}

}  // namespace eqlab::m2
