#include "methods/default_models.h"

#include <QFileInfo>

#include "base/file_io.h"
#include "models/model_files.h"

namespace eqlab {

std::string defaultM1Path() {
    const QByteArray env = qgetenv("EQLAB_DEFAULT_M1");
    return env.isEmpty() ? resourcePath(kDefaultM1File) : env.toStdString();
}

std::string modelFileFor(Method method, const std::string& modelPath, bool* usesFallback) {
    if (usesFallback) *usesFallback = false;
    if (!modelPath.empty()) return method == Method::Bytes || method == Method::Gzip ? std::string() : modelPath;
    switch (method) {
        case Method::Bytes:
        case Method::Gzip:
            return {};
        case Method::StaticAc:
            return resourcePath(kDefaultUnigramFile);
        case Method::Ac:
        case Method::EqualInfoAc: {
            const std::string m1 = defaultM1Path();
            if (QFileInfo::exists(QString::fromStdString(m1))) return m1;
            if (usesFallback) *usesFallback = true;
            return resourcePath(kDefaultUnigramFile);
        }
        case Method::SentencePiece:
            return resourcePath(kDefaultSentencePieceFile);
    }
    return {};
}

ModelSet loadModelsFor(Method method, const std::string& modelPath, std::string* note) {
    ModelSet set;
    bool fallback = false;
    const std::string path = modelFileFor(method, modelPath, &fallback);
    if (fallback && note) *note = "no M1 model is bundled yet: " + methodName(method) + " uses the static unigram";
    switch (method) {
        case Method::Bytes:
        case Method::Gzip:
            break;
        case Method::StaticAc:
        case Method::Ac:
        case Method::EqualInfoAc:
            set.byteModel = std::shared_ptr<ByteModel>(loadByteModel(path));
            break;
        case Method::SentencePiece:
            set.sentencePiece = std::make_shared<SentencePieceModel>(SentencePieceModel::load(path));
            break;
    }
    return set;
}

}  // namespace eqlab
