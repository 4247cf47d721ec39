// The JSON shape of an analysis (eqlab-cli analyze --json), shared with the GUI's export.
#pragma once

#include <QJsonObject>
#include <string>

#include "methods/codec.h"

namespace eqlab {

class JsonWriter;

// The version of the trace's JSON shape, its "format" member. 2: every
// table is parallel arrays, one array per field (1, before: "segments" and
// "tokens" were arrays of one object per window and per token).
constexpr int kTraceJsonFormat = 2;

// method, bytes, tokens, vocab, bits, bits_per_byte, bytes_per_token,
// surprisal_bits, windows, token_only_decodable, side_info_windows, model,
// seconds; with withTrace also "trace", its tables as parallel arrays:
//   {"format": kTraceJsonFormat, "alignment", "segment_kind",
//    "bytes":    {"surprisal_bits", "segment", "bit_begin", "bit_end"}    one entry per input byte
//                (surprisal_bits absent without a model, segment without segments),
//    "segments": {"byte_begin", "byte_end", "bit_begin", "bits_used", "padding_bits",
//                 "token_only_decodable" (true, false or null)}          one entry per window/chunk
//    "tokens":   {"value", "bit_begin", "bit_end", "byte_begin", "byte_end"}  one entry per token}
QJsonObject analysisJson(const Encoded& e, const std::string& modelName, double seconds, bool withTrace);

// The same document, written as it goes (memory does not grow with the
// trace): analysisJson's members, then `extra`'s, then the trace when
// withTrace. Compact but for the top two levels; ends with finish().
void writeAnalysisJson(JsonWriter& w, const Encoded& e, const std::string& modelName, double seconds, bool withTrace,
                       const QJsonObject& extra = {});

}  // namespace eqlab
