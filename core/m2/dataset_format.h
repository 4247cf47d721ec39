// The parts of M2's dataset files that a dataset folder (dataset.json,
// train.bin, valid.bin) and a shard folder (shard.json, tokens.bin) share:
// the build's header fields, a list of examples and its token file
// (flat little-endian uint16, [examples, seq_tokens], padding 0).
#pragma once

#include <QJsonObject>
#include <string>

#include "base/json_fields.h"
#include "m2/m2_dataset.h"

namespace eqlab::m2 {

// The fields that say which build a file belongs to and how to read its
// tokens: key, method, method_name, window_bits, token_bits, precision,
// chunk_bytes, gzip_level, termination, vocab, seq_tokens, example_bytes,
// tokens_per_window, corpus, corpus_id, model_hash, dtype, byte_order.
void writeHeaderFields(const Dataset& d, QJsonObject& o);
// Reads them into d, each checked against its range and the others
// (the method's label against its fields); throws FormatError naming the field.
void readHeaderFields(const JsonFields& f, Dataset& d);

// A list of examples: examples, file, tokens (sum of lengths), bytes (sum of
// covered_bytes), lengths, covered_bytes.
QJsonObject examplesJson(const Split& s, const std::string& file);
// Reads the list `sf` and its token file DIR/FILE (sf's "file" must be
// `file`): at least one example, every example 1 to seq_tokens tokens over 1
// to example_bytes bytes (all of them unless truncated), the sums as stated,
// tokens inside the vocabulary and padding 0. Throws FormatError naming what is wrong.
Split readExamples(const JsonFields& sf, const std::string& dir, const std::string& file, const Dataset& header);

// PATH holds `tokens` little-endian, whatever the machine; written atomically.
void writeTokens(const std::string& path, const std::vector<uint16_t>& tokens);

}  // namespace eqlab::m2
