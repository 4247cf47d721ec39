#include "analysis/json_report.h"

#include <QJsonArray>

namespace eqlab {

namespace {

template <class T>
QJsonArray toArray(const std::vector<T>& v) {
    QJsonArray a;
    for (const T& x : v) a.append(double(x));
    return a;
}

QJsonObject traceJson(const Trace& t) {
    QJsonObject o;
    o["alignment"] = QString::fromStdString(alignmentName(t.alignment));
    o["segment_kind"] = QString::fromStdString(t.segmentKind);
    QJsonObject bytes;
    if (!t.surprisalBits.empty()) bytes["surprisal_bits"] = toArray(t.surprisalBits);
    if (!t.segmentOfByte.empty()) bytes["segment"] = toArray(t.segmentOfByte);
    bytes["bit_begin"] = toArray(t.bitBegin);
    bytes["bit_end"] = toArray(t.bitEnd);
    o["bytes"] = bytes;
    QJsonArray segs;
    for (const Segment& s : t.segments) {
        QJsonObject j;
        j["byte_begin"] = double(s.byteBegin);
        j["byte_end"] = double(s.byteEnd);
        j["bit_begin"] = double(s.bitBegin);
        j["bits_used"] = double(s.bitsUsed);
        j["padding_bits"] = double(s.paddingBits());
        if (s.tokenOnlyDecodable >= 0) j["token_only_decodable"] = s.tokenOnlyDecodable == 1;
        segs.append(j);
    }
    o["segments"] = segs;
    QJsonArray toks;
    for (const TokenSpan& s : t.tokens) {
        QJsonObject j;
        j["value"] = double(s.value);
        j["bit_begin"] = double(s.bitBegin);
        j["bit_end"] = double(s.bitEnd);
        j["byte_begin"] = double(s.byteBegin);
        j["byte_end"] = double(s.byteEnd);
        toks.append(j);
    }
    o["tokens"] = toks;
    return o;
}

}  // namespace

QJsonObject analysisJson(const Encoded& e, const std::string& modelName, double seconds, bool withTrace) {
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
    if (withTrace) o["trace"] = traceJson(e.trace);
    return o;
}

}  // namespace eqlab
