#include "analysis/json_report.h"

#include <QJsonDocument>

#include "base/json_writer.h"

namespace eqlab {

namespace {

// The trace, streamed: a 4 MB input has ~16 M values. Every per-item table
// is parallel arrays (a column per field): an object per token would repeat
// its five field names 2.4 M times in a 4 MB static-ac trace.
void writeTrace(JsonWriter& w, const Trace& t) {
    w.beginObject();
    w.member("format", kTraceJsonFormat);
    w.member("alignment", alignmentName(t.alignment));
    w.member("segment_kind", t.segmentKind);
    w.key("bytes");
    w.beginObject();
    if (!t.surprisalBits.empty()) w.array("surprisal_bits", t.surprisalBits);
    if (!t.segmentOfByte.empty()) w.array("segment", t.segmentOfByte);
    w.array("bit_begin", t.bitBegin);
    w.array("bit_end", t.bitEnd);
    w.endObject();

    // A column of one field of every element of `items`.
    auto column = [&w](const char* name, const auto& items, const auto& field) {
        w.key(name);
        w.beginArray();
        for (const auto& x : items) w.value(field(x));
        w.endArray();
    };
    w.key("segments");
    w.beginObject();
    column("byte_begin", t.segments, [](const Segment& s) { return s.byteBegin; });
    column("byte_end", t.segments, [](const Segment& s) { return s.byteEnd; });
    column("bit_begin", t.segments, [](const Segment& s) { return s.bitBegin; });
    column("bits_used", t.segments, [](const Segment& s) { return s.bitsUsed; });
    column("padding_bits", t.segments, [](const Segment& s) { return s.paddingBits(); });
    w.key("token_only_decodable");  // true, false, or null where it was not determined
    w.beginArray();
    for (const Segment& s : t.segments)
        if (s.tokenOnlyDecodable < 0)
            w.null();
        else
            w.value(s.tokenOnlyDecodable == 1);
    w.endArray();
    w.endObject();

    w.key("tokens");
    w.beginObject();
    column("value", t.tokens, [](const TokenSpan& s) { return s.value; });
    column("bit_begin", t.tokens, [](const TokenSpan& s) { return s.bitBegin; });
    column("bit_end", t.tokens, [](const TokenSpan& s) { return s.bitEnd; });
    column("byte_begin", t.tokens, [](const TokenSpan& s) { return s.byteBegin; });
    column("byte_end", t.tokens, [](const TokenSpan& s) { return s.byteEnd; });
    w.endObject();
    w.endObject();
}

QJsonObject summaryJson(const Encoded& e, const std::string& modelName, double seconds) {
    QJsonObject o;
    o["method"] = QString::fromStdString(methodName(e.params.method));
    o["label"] = QString::fromStdString(e.params.label());
    o["bytes"] = double(e.inputBytes);
    o["tokens"] = double(e.tokens.size());
    o["vocab"] = double(e.vocab);
    o["bits"] = e.bits();
    o["bits_per_byte"] = e.bitsPerByte();
    o["bytes_per_token"] = e.bytesPerToken();
    o["surprisal_bits"] = e.surprisalBits ? QJsonValue(*e.surprisalBits) : QJsonValue(QJsonValue::Null);
    o["windows"] = double(e.params.method == Method::EqualInfoAc ? e.windows : 0);
    o["token_only_decodable"] = e.tokenOnlyDecodable ? QJsonValue(*e.tokenOnlyDecodable) : QJsonValue(QJsonValue::Null);
    o["side_info_windows"] = double(e.sideInfoWindows);
    o["side_info_bytes"] = double(e.side.size());
    if (usesRangeCoder(e.params.method)) {
        o["window_bits"] = e.params.method == Method::EqualInfoAc ? QJsonValue(e.params.windowBits) : QJsonValue();
        if (e.params.method == Method::EqualInfoAc)
            o["termination"] = e.params.termination == CodecParams::Termination::Distinct ? "distinct" : "shortest";
        o["precision"] = e.params.effectivePrecision();
        o["chunk_bytes"] = double(e.params.chunkBytes);
    }
    if (e.params.method != Method::Bytes && e.params.method != Method::SentencePiece)
        o["token_bits"] = e.params.tokenBits;
    o["model"] = QString::fromStdString(modelName);
    o["seconds"] = seconds;
    return o;
}

}  // namespace

void writeAnalysisJson(JsonWriter& w, const Encoded& e, const std::string& modelName, double seconds, bool withTrace,
                       const QJsonObject& extra) {
    w.beginObject();
    for (const QJsonObject& part : {summaryJson(e, modelName, seconds), extra})
        for (auto it = part.begin(); it != part.end(); ++it) {
            w.key(it.key().toStdString());
            w.value(it.value());
        }
    if (withTrace) {
        w.key("trace");
        writeTrace(w, e.trace);
    }
    w.endObject();
    w.finish();
}

QJsonObject analysisJson(const Encoded& e, const std::string& modelName, double seconds, bool withTrace) {
    if (!withTrace) return summaryJson(e, modelName, seconds);
    // One writer of the trace's shape: the tree is read back from its text.
    QByteArray text;
    JsonWriter w([&](const char* data, size_t size) { text.append(data, qsizetype(size)); });
    writeAnalysisJson(w, e, modelName, seconds, true);
    return QJsonDocument::fromJson(text).object();
}

}  // namespace eqlab
