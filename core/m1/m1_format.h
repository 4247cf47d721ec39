// M1's configuration, provenance and weight file. Standard C++ only (no Qt,
// no libtorch), so the trainer can be built on its own against any libtorch.
//
// Weight file format, version 2 (little-endian):
//   "EQM1"  u32 version  u32 headerBytes
//   header: u32 dModel u32 heads u32 layers u32 mlp u32 context
//           u64 provenance.steps u64 seed f64 validBitsPerByte u64 bytesSeen f64 trainSeconds
//           str corpusHash(<=128) str corpusName(<=256) str note(<=1024)
//           u32 numericsVersion (version 2 on; a version 1 file reads as numerics version 1)
//   u32 tensorCount, then per tensor: str name(<=64) u32 rank u32 dims[rank] f32 data[product]
//   u32 CRC-32 of everything before it
// Tensor names and shapes are fixed by the config (see M1Weights::expectedShapes).
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/errors.h"

namespace eqlab::m1 {

// A file of M1's is damaged, of the wrong kind or shape.
using M1FormatError = eqlab::FormatError;

constexpr uint32_t kWeightsVersion = 2;
// Every version 1 file was written while M1's numerics version was 1 (it
// stayed 1 until the format recorded it), so such a file counts as stamped 1.
constexpr int kNumericsOfVersion1Files = 1;
constexpr int kVocab = 256;       // bytes
constexpr int kBos = 256;         // input-only token that starts every window, chunk and training sequence
constexpr int kInputVocab = 257;  // embedding rows: 256 bytes + BOS

struct M1Config {
    int dModel = 256;    // embedding width
    int heads = 4;       // attention heads (dModel % heads == 0)
    int layers = 3;      // transformer blocks
    int mlp = 1024;      // hidden width of each block's ReLU MLP
    int context = 1024;  // bytes a position attends to (ALiBi; longer streams slide)

    int headDim() const { return dModel / heads; }
    // Parameters outside the byte embedding and the output head.
    int64_t nonEmbeddingParams() const;
    int64_t headParams() const { return int64_t(dModel) * kVocab + kVocab; }
    // The coder's cost per byte: 2 x (non-embedding + head parameters).
    double flopsPerByte() const { return 2.0 * double(nonEmbeddingParams() + headParams()); }
    // Throws M1FormatError naming the bad field.
    void validate() const;
    std::string describe() const;
    bool operator==(const M1Config& o) const {
        return dModel == o.dModel && heads == o.heads && layers == o.layers && mlp == o.mlp && context == o.context;
    }
};

// Where the weights came from.
struct M1Provenance {
    uint64_t steps = 0;
    uint64_t seed = 0;
    double validBitsPerByte = 0.0;  // on the validation file, 0 if never measured
    uint64_t bytesSeen = 0;
    double trainSeconds = 0.0;
    std::string corpusHash;  // hex SHA-256 (or another stable id) of the training corpus
    std::string corpusName;
    std::string note;  // free text: the command line, the machine
    // The runtime numerics version (m1_runtime.h kNumericsVersion) the model
    // was made for, which it codes under: the trainer stamps the one it was
    // built with, and the coder's loader (models/m1_byte_model.h
    // M1Model::load) refuses a version the runtime does not compute (a later
    // eqlab's), whose containers would not decode here. `eqlab-cli stamp-m1`
    // re-stamps a model. 0: not stamped.
    int numericsVersion = 0;
};

struct Tensor {
    std::vector<int> shape;
    std::vector<float> data;  // row-major
    size_t numel() const;
};

// The full set of named tensors. Linear layers are stored as [out, in]
// (PyTorch's layout), biases as [out]; names follow the torch module.
struct M1Weights {
    M1Config config;
    M1Provenance provenance;
    std::map<std::string, Tensor> tensors;

    // Every tensor name the config requires, with its shape.
    static std::map<std::string, std::vector<int>> expectedShapes(const M1Config& c);

    std::vector<uint8_t> serialize() const;
    // Throws M1FormatError naming what is wrong (magic, version, shapes, CRC...).
    static M1Weights deserialize(const uint8_t* data, size_t size);
    // The serialised bytes of the tensors only: what a container's model hash covers.
    std::vector<uint8_t> tensorBytes() const;

    // Saving is writeFile(path, serialize()) (base/output_file.h, outside this
    // standard-C++-only library): atomic, every write checked.
    static M1Weights load(const std::string& path);
    const Tensor& at(const std::string& name) const;
};

// CRC-32 (the zlib polynomial), standard C++ only.
uint32_t crc32Std(const uint8_t* data, size_t size, uint32_t crc = 0);
bool isM1File(const uint8_t* data, size_t size);

}  // namespace eqlab::m1
