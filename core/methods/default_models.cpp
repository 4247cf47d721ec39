#include "methods/default_models.h"

#include <QFileInfo>

#include "base/file_io.h"
#include "models/model_files.h"

namespace eqlab {

std::string defaultM1Path() {
    const QByteArray env = qgetenv("EQLAB_DEFAULT_M1");
    return env.isEmpty() ? resourcePath(kDefaultM1File) : env.toStdString();
}

ModelSet loadModelsFor(Method method, const std::string& modelPath, std::string* note) {
    ModelSet set;
    switch (method) {
        case Method::Bytes:
        case Method::Gzip:
            break;
        case Method::StaticAc:
            set.byteModel = std::shared_ptr<ByteModel>(
                loadByteModel(modelPath.empty() ? resourcePath(kDefaultUnigramFile) : modelPath));
            break;
        case Method::Ac:
        case Method::EqualInfoAc: {
            std::string path = modelPath;
            if (path.empty()) {
                path = defaultM1Path();
                if (!QFileInfo::exists(QString::fromStdString(path))) {
                    path = resourcePath(kDefaultUnigramFile);
                    if (note) *note = "no M1 model is bundled yet: " + methodName(method) + " uses the static unigram";
                }
            }
            set.byteModel = std::shared_ptr<ByteModel>(loadByteModel(path));
            break;
        }
        case Method::SentencePiece:
            set.sentencePiece = std::make_shared<SentencePieceModel>(
                SentencePieceModel::load(modelPath.empty() ? resourcePath(kDefaultSentencePieceFile) : modelPath));
            break;
    }
    return set;
}

}  // namespace eqlab
