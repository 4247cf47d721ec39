// Fuzz target "sentencepiece": a SentencePiece model from any bytes (the
// serialised ModelProto a container embeds) through eqlab's side of the
// plugin: the checks of SentencePieceModel::fromSerialized, then encode and
// decode of a text with every kind of byte eqlab escapes (exact round trip),
// and decode of every piece on its own. The protobuf parser itself lives in
// Debian's libsentencepiece, which is not instrumented: a crash there is
// still caught, its memory errors and coverage are not.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/errors.h"
#include "methods/sentencepiece_codec.h"

namespace {

constexpr uint32_t kMaxPiecesDecoded = 4096;  // pieces decoded one by one, from id 0
// ASCII, NUL, U+2581 (SentencePiece's space marker), an escape-range code
// point, a lone continuation byte, a truncated sequence and a CJK character.
constexpr char kText[] = "a b\x00 \xE2\x96\x81 \xF4\x8F\xBC\x80 \x80 \xE2\x96 \xE6\x96\x87 end";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const eqlab::SentencePieceModel model =
            eqlab::SentencePieceModel::fromSerialized(std::vector<uint8_t>(data, data + size));
        const auto* text = reinterpret_cast<const uint8_t*>(kText);
        const size_t n = sizeof kText - 1;
        try {
            const eqlab::SentencePieceModel::Encoding e = model.encode(text, n);
            if (e.spans.size() != e.ids.size()) __builtin_trap();
            if (model.decode(e.ids) != std::vector<uint8_t>(text, text + n)) __builtin_trap();
        } catch (const eqlab::Error&) {
            // A model that cannot code this text must say so.
        }
        const uint32_t pieces = std::min<uint32_t>(uint32_t(model.vocabSize()), kMaxPiecesDecoded);
        for (uint32_t id = 0; id < pieces; ++id) {
            try {
                model.decode({id});
            } catch (const eqlab::Error&) {
                // Control pieces are not text.
            }
        }
    } catch (const eqlab::Error&) {
        // Refused.
    }
    return 0;
}
