// eqlab_sentencepiece: the only code that links libsentencepiece. Loaded at
// run time by core/methods/sentencepiece_codec.cpp; see sentencepiece_backend.h.
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <exception>
#include <unordered_map>

#include "methods/sentencepiece_backend.h"

namespace {

class Backend final : public eqlab::SentencePieceBackend {
public:
    // libsentencepiece reports most damage as a status, but some only by
    // throwing (its trie builder, Darts, on a damaged piece list: found by
    // fuzz/sentencepiece): both become an error message here.
    bool load(const std::string& proto, std::string* error) override {
        try {
            const auto s = sp_.LoadFromSerializedProto(proto);
            if (!s.ok()) *error = s.ToString();
            return s.ok();
        } catch (const std::exception& e) {
            *error = std::string("the model cannot be loaded: ") + e.what();
            return false;
        }
    }
    bool encode(const std::string& text, std::vector<int>* ids, std::string* error) const override {
        try {
            const auto s = sp_.Encode(text, ids);
            if (!s.ok()) *error = s.ToString();
            return s.ok();
        } catch (const std::exception& e) {
            *error = std::string("the model cannot encode: ") + e.what();
            return false;
        }
    }
    int pieceSize() const override { return sp_.GetPieceSize(); }
    int pieceToId(const std::string& piece) const override { return sp_.PieceToId(piece); }
    const std::string& idToPiece(int id) const override { return sp_.IdToPiece(id); }
    bool isByte(int id) const override { return sp_.IsByte(id); }
    bool isControl(int id) const override { return sp_.IsControl(id); }
    bool isUnknown(int id) const override { return sp_.IsUnknown(id); }
    bool isUnused(int id) const override { return sp_.IsUnused(id); }

private:
    sentencepiece::SentencePieceProcessor sp_;
};

}  // namespace

extern "C" __attribute__((visibility("default"))) eqlab::SentencePieceBackend* eqlab_create_sentencepiece_backend() {
    return new Backend();
}

extern "C" __attribute__((visibility("default"))) bool eqlab_train_sentencepiece(
    const std::map<std::string, std::string>& args, std::string* proto, std::string* error) {
    std::unordered_map<std::string, std::string> kwargs(args.begin(), args.end());
    const auto s = sentencepiece::SentencePieceTrainer::Train(kwargs, nullptr, proto);
    if (!s.ok()) *error = s.ToString();
    return s.ok();
}
