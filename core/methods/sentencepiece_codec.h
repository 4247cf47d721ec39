// sentencepiece: a SentencePiece vocabulary (libsentencepiece), made to
// round-trip arbitrary bytes.
//
// SentencePiece works on UTF-8 text. eqlab first escapes the bytes it cannot
// pass through unchanged: every byte of an invalid UTF-8 sequence, NUL, and
// every byte of the characters U+2581 (SentencePiece's whitespace marker) and
// U+10FF00..U+10FFFF (the escape range itself) becomes the code point
// U+10FF00 + byte. The model is trained with identity normalisation, no dummy
// prefix, whitespace kept and byte fallback, so every escaped string encodes
// and decodes exactly; unescaping then restores the original bytes. eqlab
// computes each token's byte span itself from the pieces' surfaces.
// libsentencepiece is reached through a plugin (sentencepiece_backend.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/progress.h"

namespace eqlab {

class SentencePieceModel {
public:
    // Loads a SentencePiece model file (the serialised ModelProto).
    static SentencePieceModel load(const std::string& path);
    static SentencePieceModel fromSerialized(const std::vector<uint8_t>& proto);

    // Trains a model on a corpus file and writes it atomically to outPath.
    // modelType: "unigram" (the paper's) or "bpe". Throws on failure.
    static void train(const std::string& corpusPath, const std::string& outPath, int vocabSize,
                      const std::string& modelType = "unigram");

    int vocabSize() const;
    std::string hash() const;
    const std::vector<uint8_t>& serialized() const { return proto_; }

    struct Encoding {
        std::vector<uint32_t> ids;
        std::vector<std::pair<uint64_t, uint64_t>> spans;  // input bytes [first, second) per token
    };
    // The input is tokenized segment by segment (sentencePieceSegmentEnd), so
    // that memory follows a segment, not the input; the ids are the segments'
    // ids one after another.
    Encoding encode(const uint8_t* data, size_t size) const;
    // Throws FormatError for ids outside the vocabulary.
    std::vector<uint8_t> decode(const std::vector<uint32_t>& ids) const;
    // decode() before the unescaping: the pieces' text, escaped
    // (unescapeFromSentencePiece of it is decode()). A long token stream
    // decodes piece by piece through this (see completeEscapedPrefix).
    std::string decodeEscaped(const std::vector<uint32_t>& ids) const;

private:
    Encoding encodeSegment(const uint8_t* data, size_t size) const;

    std::shared_ptr<class SentencePieceBackend> sp_;
    std::vector<uint8_t> proto_;
};

// Where the segment that starts at data[0] ends (SentencePieceModel::encode
// tokenizes each alone): after the first newline at or beyond
// kSentencePieceSegmentBytes, else at kMaxSentencePieceSegmentBytes, else at
// the end of the input. Returns 0 when the segment is not complete within
// `size` bytes and more input may follow (!atEnd). Depends on the bytes from
// data[0] alone, so a frame that starts at a segment start cuts where the
// whole input would.
constexpr size_t kSentencePieceSegmentBytes = 256 << 10;      // segments are at least this long
constexpr size_t kMaxSentencePieceSegmentBytes = 1024 << 10;  // a segment without a newline ends here
size_t sentencePieceSegmentEnd(const uint8_t* data, size_t size, bool atEnd);

// The longest prefix of escaped text that unescapes alone: all of it but an
// escape sequence that the rest of the text may complete.
size_t completeEscapedPrefix(const std::string& text);

// The byte escaping described above. `origin`, when given, receives for each
// escaped byte the index of the input byte it came from.
std::string escapeForSentencePiece(const uint8_t* data, size_t size, std::vector<uint64_t>* origin = nullptr);
std::vector<uint8_t> unescapeFromSentencePiece(const std::string& text);

}  // namespace eqlab
