// Byte models from files and containers: the one place that knows every kind.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/byte_model.h"

namespace eqlab {

// Loads a model file of any kind eqlab knows, recognised by its magic number.
// Throws FormatError for an unknown or damaged file.
std::unique_ptr<ByteModel> loadByteModel(const std::string& path);
// Builds a model from bytes embedded in a container. Throws FormatError.
std::unique_ptr<ByteModel> deserializeByteModel(ModelKind kind, const std::vector<uint8_t>& bytes);

}  // namespace eqlab
