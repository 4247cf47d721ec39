// The JSON shape of an analysis (eqlab-cli analyze --json), shared with the GUI's export.
#pragma once

#include <QJsonObject>
#include <string>

#include "methods/codec.h"

namespace eqlab {

class JsonWriter;

// method, bytes, tokens, vocab, bits, bits_per_byte, bytes_per_token,
// surprisal_bits, windows, token_only_decodable, side_info_windows, model,
// seconds; with withTrace also "trace":
//   {"alignment", "segment_kind",
//    "bytes": {"surprisal_bits", "segment", "bit_begin", "bit_end"}  parallel arrays, one entry per input byte
//             (surprisal_bits absent without a model, segment without segments),
//    "segments": [{"byte_begin", "byte_end", "bit_begin", "bits_used", "padding_bits", "token_only_decodable"?}],
//    "tokens": [{"value", "bit_begin", "bit_end", "byte_begin", "byte_end"}]}
QJsonObject analysisJson(const Encoded& e, const std::string& modelName, double seconds, bool withTrace);

// The same document, written as it goes (memory does not grow with the
// trace): analysisJson's members, then `extra`'s, then the trace when
// withTrace. Compact but for the top two levels; ends with finish().
void writeAnalysisJson(JsonWriter& w, const Encoded& e, const std::string& modelName, double seconds, bool withTrace,
                       const QJsonObject& extra = {});

}  // namespace eqlab
