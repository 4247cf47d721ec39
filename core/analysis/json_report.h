// The JSON shape of an analysis (eqlab-cli analyze --json), shared with the GUI's export.
#pragma once

#include <QJsonObject>
#include <string>

#include "methods/codec.h"

namespace eqlab {

// method, bytes, tokens, vocab, bits, bits_per_byte, bytes_per_token,
// surprisal_bits, windows, token_only_decodable, side_info_windows, model,
// seconds; with withTrace also the trace arrays.
QJsonObject analysisJson(const Encoded& e, const std::string& modelName, double seconds, bool withTrace);

}  // namespace eqlab
