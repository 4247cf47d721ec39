#include "methods/default_models.h"

#include <QFileInfo>

#include "base/file_io.h"
#include "models/model_files.h"

namespace eqlab {

std::string defaultM1Path() {
    const QByteArray env = qgetenv("EQLAB_DEFAULT_M1");
    return env.isEmpty() ? resourcePath(kDefaultM1File) : env.toStdString();
}

std::string modelFileFor(Method method, const std::string& modelPath, std::string* note) {
    switch (method) {
        case Method::Bytes:
        case Method::Gzip:
            return "";
        case Method::StaticAc:
            return modelPath.empty() ? resourcePath(kDefaultUnigramFile) : modelPath;
        case Method::Ac:
        case Method::EqualInfoAc: {
            if (!modelPath.empty()) return modelPath;
            const std::string m1 = defaultM1Path();
            if (QFileInfo::exists(QString::fromStdString(m1))) return m1;
            if (note) *note = "no M1 model is bundled yet: " + methodName(method) + " uses the static unigram";
            return resourcePath(kDefaultUnigramFile);
        }
        case Method::SentencePiece:
            return modelPath.empty() ? resourcePath(kDefaultSentencePieceFile) : modelPath;
    }
    return "";
}

ModelSet loadModelsFor(Method method, const std::string& modelPath, std::string* note) {
    ModelSet set;
    const std::string path = modelFileFor(method, modelPath, note);
    if (path.empty()) return set;
    if (method == Method::SentencePiece)
        set.sentencePiece = std::make_shared<SentencePieceModel>(SentencePieceModel::load(path));
    else
        set.byteModel = std::shared_ptr<ByteModel>(loadByteModel(path));
    return set;
}

}  // namespace eqlab
