#include "models/model_files.h"

#include "base/errors.h"
#include "base/file_io.h"
#include "m1/m1_format.h"
#include "models/m1_byte_model.h"
#include "models/uniform_model.h"
#include "models/unigram_model.h"

namespace eqlab {

std::unique_ptr<ByteModel> deserializeByteModel(ModelKind kind, const std::vector<uint8_t>& bytes) {
    switch (kind) {
        case ModelKind::Uniform:
            return std::make_unique<UniformModel>();
        case ModelKind::Unigram:
            return std::make_unique<UnigramModel>(UnigramModel::deserialize(bytes.data(), bytes.size()));
        case ModelKind::M1:
            break;
    }
    throw FormatError("this model kind cannot be embedded in a container");
}

std::unique_ptr<ByteModel> loadByteModel(const std::string& path) {
    std::vector<uint8_t> head = readFile(path, uint64_t(1) << 31);
    if (UnigramModel::isUnigramFile(head.data(), head.size())) {
        try {
            return std::make_unique<UnigramModel>(UnigramModel::deserialize(head.data(), head.size()));
        } catch (const FormatError& e) {
            throw FormatError(path + ": " + e.what());
        }
    }
    if (m1::isM1File(head.data(), head.size())) return loadM1ByteModel(path);
    throw FormatError(path + ": not a byte model eqlab knows (expected a unigram model, EQUG, or M1 weights, EQM1)");
}

}  // namespace eqlab
