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

// The container up to the payload: everything before the payload bytes
// (magic to header CRC, then the u64 payload length) for a stream of
// `tokenCount` tokens; e.tokens is not read. writeContainer() is this, the
// payload and the payload's CRC-32.
std::vector<uint8_t> writeContainerHead(const Encoded& e, uint64_t tokenCount, const ModelSet& models);

// Fixed part of a container's start: magic, version and the header length.
constexpr size_t kContainerPreambleBytes = 10;
// Bytes of a container's head (see writeContainerHead) given its preamble:
// preamble, header, header CRC, payload length. Throws FormatError for a bad
// magic, version or header length.
size_t containerHeadBytes(const uint8_t* preamble, size_t size);

// A container's head, parsed: everything but the tokens.
struct ContainerHead {
    Container container;        // encoded.tokens empty
    uint64_t tokenCount = 0;    // tokens in the payload
    uint64_t payloadBytes = 0;  // = ceil(tokenCount x storageBits / 8)
};

// Parses and validates a container's head (exactly containerHeadBytes()
// bytes): magic, version, bounds, the header CRC, and that the claimed
// original length is one the payload can produce (see maxDecodedBytes).
// Throws FormatError.
ContainerHead readContainerHead(const uint8_t* data, size_t size);

// The most bytes `c`'s payload of `payloadBytes` bytes can decode to, from
// the method alone (its model need not be loaded). bytes: one a token.
// gzip: DEFLATE's 1032 bytes a byte (a 258-byte match in 2 bits). eqinfo-ac:
// windows x the bytes one b-bit window can hold (each byte narrows the coder
// interval by at least the most probable symbol's share, 1 - 255/2^P, and a
// window's interval stays wider than 2^-(b + 2)). ac and static-ac: the
// chunk table, one side-information varint a chunk, each at most chunkBytes
// (a range-coded chunk of any length can end in a handful of bits: its bits
// bound nothing). sentencepiece: tokens x the embedded model's size (no
// piece decodes to more bytes than the model that holds it). A
// claim above this is a forged header: refused before anything is decoded or
// allocated. Saturates at UINT64_MAX.
uint64_t maxDecodedBytes(const Container& c, uint64_t tokenCount, uint64_t payloadBytes);

// Parses and validates everything that can be checked without decoding
// (magic, version, bounds, both header and payload CRCs). Throws FormatError.
Container readContainer(const uint8_t* data, size_t size);

// Quick test for the magic number.
bool looksLikeContainer(const uint8_t* data, size_t size);

std::string containerModelName(ContainerModel k);

}  // namespace eqlab
