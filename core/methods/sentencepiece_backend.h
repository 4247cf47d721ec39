// The narrow interface eqlab uses to reach libsentencepiece.
//
// Why a plugin: Debian's libsentencepiece exports its own embedded copy of
// protobuf, and libtorch links the system libprotobuf; loaded into one
// process by the dynamic linker they interpose each other's symbols and crash
// at start-up. So libsentencepiece is only ever loaded through the
// eqlab_sentencepiece plugin, with dlopen(RTLD_LOCAL | RTLD_DEEPBIND), which
// keeps its symbols to itself (see sentencepiece_codec.cpp).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace eqlab {

class SentencePieceBackend {
public:
    virtual ~SentencePieceBackend() = default;
    // Each returns false and sets *error on failure.
    virtual bool load(const std::string& serializedProto, std::string* error) = 0;
    virtual bool encode(const std::string& text, std::vector<int>* ids, std::string* error) const = 0;
    virtual int pieceSize() const = 0;
    virtual int pieceToId(const std::string& piece) const = 0;
    virtual const std::string& idToPiece(int id) const = 0;
    virtual bool isByte(int id) const = 0;
    virtual bool isControl(int id) const = 0;
    virtual bool isUnknown(int id) const = 0;
    virtual bool isUnused(int id) const = 0;
};

// The plugin's two entry points (extern "C", looked up with dlsym).
using CreateSentencePieceBackendFn = SentencePieceBackend* (*)();
using TrainSentencePieceFn = bool (*)(const std::map<std::string, std::string>& args, std::string* serializedProto,
                                      std::string* error);
constexpr const char* kCreateSentencePieceBackend = "eqlab_create_sentencepiece_backend";
constexpr const char* kTrainSentencePiece = "eqlab_train_sentencepiece";

}  // namespace eqlab
