// What a dataset's key depends on besides the options: the corpus bytes it
// is cut from (whole examples only) and the model that codes them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "methods/codec.h"

namespace eqlab::m2 {

// The first maxBytes bytes of a file (0: all of it), cut to whole examples.
// Throws IoError when it cannot be read.
std::vector<uint8_t> readDatasetCorpus(const std::string& path, uint64_t maxBytes, uint64_t exampleBytes);

// "sha256:<32 hex digits>:<bytes>" of those bytes.
std::string corpusIdOf(const std::vector<uint8_t>& text);

// The hash of the model a dataset's tokens depend on ("" for bytes and gzip).
std::string modelHashOf(const ModelSet& models);

}  // namespace eqlab::m2
