// eqlab's compressed file: the token stream of one method plus everything
// exact decoding needs, each part checksummed.
//
// Format version 2, little-endian:
//   "EQLC"  u16 version  u32 bodyLength
//   body:   u8 method  u8 k  u16 b  u8 P  i8 gzipLevel  u8 flags  u32 chunkBytes  [u32 m1Reset]
//           u64 inputBytes  u32 inputCrc32  u64 vocab  u64 tokenCount
//           u8 modelKind  str modelName  str modelHash  blob embeddedModel  blob sideInfo
//   u32 CRC-32 of everything above
//   u64 payloadBytes  payload (tokens, storageBits each, MSB first)  u32 CRC-32 of payload
// str/blob = u32 length + bytes. Every length is bounded before it is used.
// flags bit 0: eqinfo-ac distinct termination; bit 1: eqinfo-ac with M1's
// context reset every m1Reset-th window (CodecParams::m1Reset != 1), which
// then follows chunkBytes (without the bit, containers are exactly what
// version 2 always wrote). Version 1 had no flags byte (all flags 0); it is
// still read.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "methods/codec.h"

namespace eqlab {

constexpr uint16_t kContainerVersion = 2;
constexpr uint16_t kOldestContainerVersion = 1;  // still decoded

// What a container says about the model its tokens need.
enum class ContainerModel : uint8_t {
    None = 0,           // bytes, gzip
    Uniform = 1,        // range coder under the uniform model
    Unigram = 2,        // embedded static unigram
    M1 = 3,             // M1 weights, identified by hash only (too big to embed)
    SentencePiece = 4,  // embedded SentencePiece model
};

struct Container {
    Encoded encoded;  // params, inputBytes, inputCrc, vocab, tokens, side
    ContainerModel modelKind = ContainerModel::None;
    std::string modelName;
    std::string modelHash;
    std::vector<uint8_t> embeddedModel;

    // The models decoding needs. M1 containers call loadM1() (may be empty:
    // then the error says an M1 model is required) and check its hash.
    // Throws ModelMismatch or FormatError.
    ModelSet models(const std::function<std::shared_ptr<ByteModel>()>& loadM1 = {}) const;
};

// Serialises e with the model(s) it was made with. Throws InvalidArgument if
// the model the method needs is missing.
std::vector<uint8_t> writeContainer(const Encoded& e, const ModelSet& models);

// Parses and validates everything that can be checked without decoding
// (magic, version, bounds, both header and payload CRCs). Throws FormatError.
Container readContainer(const uint8_t* data, size_t size);

// Quick test for the magic number.
bool looksLikeContainer(const uint8_t* data, size_t size);

std::string containerModelName(ContainerModel k);

}  // namespace eqlab
