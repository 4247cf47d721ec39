#include "studies/window_table.h"

#include <QJsonObject>
#include <cstdio>

#include "analysis/analyze.h"
#include "base/errors.h"
#include "base/text.h"

namespace eqlab {

namespace {

// The reason an Equal-Info window closed, in words.
std::string closeReasonOf(const WindowRow& r, const Segment& w, bool segmentKnowsWhy) {
    if (r.nextByte < 0) return "stream ended";
    const uint8_t next = uint8_t(r.nextByte);
    const std::string byte = "next byte '" + escapeText(&next, 1) + "'";
    const std::string available = std::to_string(w.bitsTotal) + " are available";
    // An encoding whose windows do not record why they closed: the next byte
    // is known from the input, its cost is not.
    if (!segmentKnowsWhy) return byte + " did not fit in " + std::to_string(w.bitsTotal) + " bits";
    if (r.bitsWithNext == 0)
        return byte + " needs more than " + std::to_string(w.bitsTotal + kWhyClosedSearchBits) + " bits, " + available;
    return byte + " needs " + std::to_string(r.bitsWithNext) + " bits, " + available;
}

// A CSV field, quoted when it holds a separator, a quote or a line break.
QJsonObject rowJson(const WindowRow& r) {
    QJsonArray tokens;
    for (uint32_t v : r.tokens) tokens.append(double(v));
    QJsonObject o;
    o["index"] = double(r.index);
    o["byte_begin"] = double(r.byteBegin);
    o["byte_end"] = double(r.byteEnd);
    o["text"] = QString::fromStdString(r.text);
    o["bytes"] = double(r.byteEnd - r.byteBegin);
    o["bits_used"] = double(r.bitsUsed);
    o["padding_bits"] = double(r.paddingBits);
    o["tokens"] = tokens;
    o["token_only_decodable"] =
        r.tokenOnlyDecodable < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(r.tokenOnlyDecodable == 1);
    o["next_byte"] = r.nextByte < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(r.nextByte);
    // 0 when unknown: the stream ended, or the encoding's windows do not record it.
    o["next_byte_bits"] = r.nextByteBits > 0 ? QJsonValue(r.nextByteBits) : QJsonValue(QJsonValue::Null);
    o["bits_with_next"] = r.bitsWithNext > 0 ? QJsonValue(double(r.bitsWithNext)) : QJsonValue(QJsonValue::Null);
    o["close_reason"] = QString::fromStdString(r.closeReason);
    return o;
}

}  // namespace

namespace {
// What windowRow() and windowRows() check of the encoding before any row.
void checkWindowEncoding(const Encoded& e) {
    if (e.params.method != Method::EqualInfoAc)
        throw InvalidArgument("the windows table needs an eqinfo-ac encoding, not " + methodName(e.params.method));
    const Trace& t = e.trace;
    if (e.inputBytes > 0 && (t.segmentKind != "window" || t.segments.size() != e.windows))
        throw InvalidArgument("the windows table needs an encoding made with a trace");
}

WindowRow uncheckedWindowRow(const Encoded& e, const uint8_t* data, size_t i) {
    const uint64_t k = uint64_t(e.params.tokenBits);
    const Segment& w = e.trace.segments[i];
    WindowRow r;
    r.index = i;
    r.byteBegin = w.byteBegin;
    r.byteEnd = w.byteEnd;
    r.text = escapeText(data + w.byteBegin, size_t(w.byteEnd - w.byteBegin));
    r.bitsUsed = w.bitsUsed;
    r.paddingBits = w.paddingBits();
    // The tokens whose bits lie in the window (a window is a whole number of tokens).
    const uint64_t first = w.bitBegin / k, last = (w.bitBegin + w.bitsTotal) / k;
    if (last > e.tokens.size()) throw InvalidArgument("the encoding's windows run past its tokens");
    r.tokens.assign(e.tokens.begin() + std::ptrdiff_t(first), e.tokens.begin() + std::ptrdiff_t(last));
    r.tokenOnlyDecodable = w.tokenOnlyDecodable;
    // A window that ends its stream closed because the stream did; any
    // other closed because its next byte did not fit.
    const bool endsStream = w.byteEnd == e.params.chunkEnd(w.byteBegin, e.inputBytes);
    const bool segmentKnowsWhy = w.nextByte >= 0;
    if (!endsStream) {
        r.nextByte = segmentKnowsWhy ? w.nextByte : data[w.byteEnd];
        r.nextByteBits = w.nextByteBits;
        r.bitsWithNext = w.bitsWithNext;
    }
    r.closeReason = closeReasonOf(r, w, segmentKnowsWhy);
    return r;
}
}  // namespace

std::vector<WindowRow> windowRows(const Encoded& e, const uint8_t* data) {
    checkWindowEncoding(e);
    std::vector<WindowRow> rows;
    rows.reserve(e.trace.segments.size());
    for (size_t i = 0; i < e.trace.segments.size(); ++i) rows.push_back(uncheckedWindowRow(e, data, i));
    return rows;
}

WindowRow windowRow(const Encoded& e, const uint8_t* data, size_t i) {
    checkWindowEncoding(e);
    if (i >= e.trace.segments.size())
        throw InvalidArgument("window " + std::to_string(i) + " of " + std::to_string(e.trace.segments.size()));
    return uncheckedWindowRow(e, data, i);
}

WindowTable runWindowTable(const uint8_t* data, size_t size, const CodecParams& params, const StudyOptions& options) {
    if (params.method != Method::EqualInfoAc)
        throw InvalidArgument("the windows study needs eqinfo-ac, not " + methodName(params.method));
    params.validate();
    WindowTable out;
    out.scope = studyScope(size, options, kMaxPerByteResultBytes);
    out.params = params;
    const ModelSet models = studyModels(Method::EqualInfoAc, options);
    out.modelName = modelNameOf(models);
    EncodeOptions eo;
    eo.trace = true;
    // Distinct windows decode from their own bits by construction; only the
    // shortest termination needs the stats pass to say which windows do.
    eo.stats = params.termination == CodecParams::Termination::Shortest;
    eo.threads = options.clampedThreads();
    eo.progress = options.progress;
    const Encoded e = encode(data, size_t(out.scope.analysedBytes), params, models, eo);
    out.rows = windowRows(e, data);
    return out;
}

std::string windowRowsCsv(const std::vector<WindowRow>& rows) {
    std::string out =
        "index,byte_begin,byte_end,bytes,bits_used,padding_bits,tokens,token_only_decodable,next_byte,"
        "next_byte_bits,bits_with_next,close_reason,text\n";
    for (const WindowRow& r : rows) {
        std::string tokens;
        for (uint32_t v : r.tokens) tokens += (tokens.empty() ? "" : " ") + std::to_string(v);
        char bits[32];
        std::snprintf(bits, sizeof bits, "%.3f", double(r.nextByteBits));
        const std::vector<std::string> fields = {std::to_string(r.index),
                                                 std::to_string(r.byteBegin),
                                                 std::to_string(r.byteEnd),
                                                 std::to_string(r.byteEnd - r.byteBegin),
                                                 std::to_string(r.bitsUsed),
                                                 std::to_string(r.paddingBits),
                                                 tokens,
                                                 std::to_string(int(r.tokenOnlyDecodable)),
                                                 std::to_string(r.nextByte),
                                                 bits,
                                                 std::to_string(r.bitsWithNext),
                                                 r.closeReason,
                                                 r.text};
        for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csvField(fields[i]);
        out += '\n';
    }
    return out;
}

QJsonArray windowRowsJson(const std::vector<WindowRow>& rows) {
    QJsonArray out;
    for (const WindowRow& r : rows) out.append(rowJson(r));
    return out;
}

}  // namespace eqlab
