// Study "windows": the table of every Equal-Info window (the paper's table
// 8): its bytes and text, the bits it used and its padding, its tokens, and
// why it closed (the next byte's cost against the bits left).
#pragma once

#include <QJsonArray>
#include <string>
#include <vector>

#include "studies/study.h"

namespace eqlab {

struct WindowRow {
    uint64_t index = 0;
    uint64_t byteBegin = 0, byteEnd = 0;  // bytes [byteBegin, byteEnd) of the input
    std::string text;                     // escapeText() of those bytes
    uint64_t bitsUsed = 0, paddingBits = 0;
    std::vector<uint32_t> tokens;    // the window's b / k tokens
    int8_t tokenOnlyDecodable = -1;  // 1/0 whether the tokens alone decode it; -1: not measured
    // Why it closed: the next byte (-1: the stream ended), what it costs at
    // the window's end (surprisal) and the bits the window would have needed
    // with it (Segment::bitsWithNext), against b.
    int nextByte = -1;
    double nextByteBits = 0;
    uint64_t bitsWithNext = 0;
    // "stream ended", "next byte 'x' needs 19 bits, 16 are available", "next
    // byte 'x' needs more than 80 bits, 16 are available" (none found within
    // b + kWhyClosedSearchBits), or "next byte 'x' did not fit in 16 bits"
    // (an encoding whose windows do not record why they closed).
    std::string closeReason;
};

struct WindowTable {
    StudyScope scope;
    CodecParams params;
    std::string modelName;
    std::vector<WindowRow> rows;
};

// The rows of an eqinfo-ac encoding made with a trace (EncodeOptions::trace)
// of `data` (its input). Throws InvalidArgument for another method or a
// missing trace.
std::vector<WindowRow> windowRows(const Encoded& e, const uint8_t* data);
// Row i of windowRows(e, data) alone (the window inspector's); i < the
// encoding's windows. Throws as windowRows does.
WindowRow windowRow(const Encoded& e, const uint8_t* data, size_t i);

// Encodes the analysed bytes (at most kMaxPerByteResultBytes) with `params` (eqinfo-ac) and tabulates them.
// Throws InvalidArgument (another method, bad parameters, an empty text),
// model errors, or Cancelled.
WindowTable runWindowTable(const uint8_t* data, size_t size, const CodecParams& params, const StudyOptions& options);

// The rows as CSV: a header row (index, byte_begin, byte_end, bytes,
// bits_used, padding_bits, tokens, token_only_decodable, next_byte,
// next_byte_bits, bits_with_next, close_reason, text), then one line per
// window; tokens space-separated; fields quoted (RFC 4180) when they need it.
std::string windowRowsCsv(const std::vector<WindowRow>& rows);
// The rows as JSON objects (eqlab-cli study windows --json's fields: index,
// byte_begin, byte_end, text, bytes, bits_used, padding_bits, tokens,
// token_only_decodable, next_byte, next_byte_bits, bits_with_next,
// close_reason), null where a value is unknown.
QJsonArray windowRowsJson(const std::vector<WindowRow>& rows);

}  // namespace eqlab
