#include "analysis/json_report.h"

#include <QJsonDocument>

#include "base/json_writer.h"

namespace eqlab {

namespace {

// The trace's members, streamed: a 4 MB input has ~16 M values.
void writeTrace(JsonWriter& w, const Trace& t) {
    w.beginObject();
    w.member("alignment", alignmentName(t.alignment));
    w.member("segment_kind", t.segmentKind);
    w.key("bytes");
    w.beginObject();
    if (!t.surprisalBits.empty()) w.array("surprisal_bits", t.surprisalBits);
    if (!t.segmentOfByte.empty()) w.array("segment", t.segmentOfByte);
    w.array("bit_begin", t.bitBegin);
    w.array("bit_end", t.bitEnd);
    w.endObject();
    w.key("segments");
    w.beginArray();
    for (const Segment& s : t.segments) {
        w.beginObject();
        w.member("byte_begin", s.byteBegin);
        w.member("byte_end", s.byteEnd);
        w.member("bit_begin", s.bitBegin);
        w.member("bits_used", s.bitsUsed);
        w.member("padding_bits", s.paddingBits());
        if (s.tokenOnlyDecodable >= 0) w.member("token_only_decodable", s.tokenOnlyDecodable == 1);
        w.endObject();
    }
    w.endArray();
    w.key("tokens");
    w.beginArray();
    for (const TokenSpan& s : t.tokens) {
        w.beginObject();
        w.member("value", s.value);
        w.member("bit_begin", s.bitBegin);
        w.member("bit_end", s.bitEnd);
        w.member("byte_begin", s.byteBegin);
        w.member("byte_end", s.byteEnd);
        w.endObject();
    }
    w.endArray();
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
