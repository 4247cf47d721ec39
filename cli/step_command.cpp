#include "step_command.h"

#include <QJsonArray>
#include <QJsonObject>

#include "analysis/step_through.h"
#include "base/file_io.h"
#include "base/text.h"
#include "cli_common.h"
#include "methods/default_models.h"

namespace eqlab::cli {

namespace {

const char* eventOf(const StepFrame& f, Method method) {
    switch (f.kind) {
        case StepFrame::Kind::Reset:
            return "reset";
        case StepFrame::Kind::Close:
            return method == Method::EqualInfoAc ? "window_closed" : "chunk_closed";
        case StepFrame::Kind::Code:
            return nullptr;
    }
    return nullptr;
}

QString shownByte(int byte) {
    const uint8_t b = uint8_t(byte);
    return QString::fromStdString(escapeText(&b, 1));
}

QJsonObject frameJson(const StepThrough& walk, size_t i) {
    const StepFrame& f = walk.frames[i];
    const bool code = f.kind == StepFrame::Kind::Code;
    QJsonObject o;
    o["step"] = double(i);
    o["kind"] = stepKindName(f.kind);
    const char* event = eventOf(f, walk.params.method);
    o["event"] = event ? QJsonValue(event) : QJsonValue();
    o["byte_index"] = double(f.byteIndex);
    o["byte"] = code ? QJsonValue(walk.bytes[f.byteIndex]) : QJsonValue();
    if (code) o["char"] = shownByte(walk.bytes[f.byteIndex]);
    o["low_before"] = double(f.lowBefore);
    o["high_before"] = double(f.highBefore);
    o["low"] = double(f.low);
    o["high"] = double(f.high);
    o["pending"] = double(f.pending);
    o["freq"] = code ? QJsonValue(double(f.freq)) : QJsonValue();
    o["cum"] = code ? QJsonValue(double(f.cum)) : QJsonValue();
    o["total"] = code ? QJsonValue(double(f.total)) : QJsonValue();
    o["surprisal_bits"] = code ? QJsonValue(f.surprisalBits) : QJsonValue();
    o["emitted"] = QString::fromStdString(f.emitted);
    o["bit_begin"] = double(f.bitBegin);
    o["window"] = double(f.segment);
    o["window_bits_used"] = double(f.segmentBitsUsed);
    o["window_bits"] = double(f.segmentBits);
    if (code) {
        QJsonArray candidates;
        for (const StepCandidate& c : f.candidates)
            candidates.append(QJsonObject{{"byte", c.byte},
                                          {"char", shownByte(c.byte)},
                                          {"probability", double(c.probability)},
                                          {"cum", double(c.cum)},
                                          {"freq", double(c.freq)}});
        o["candidates"] = candidates;
    }
    if (f.kind == StepFrame::Kind::Reset) o["model_reset"] = f.modelReset;
    if (f.kind == StepFrame::Kind::Close) {
        o["padding"] = QString::fromStdString(f.padding);
        o["next_byte"] = f.nextByte >= 0 ? QJsonValue(f.nextByte) : QJsonValue();
        o["next_byte_bits"] = f.nextByte >= 0 ? QJsonValue(f.nextByteBits) : QJsonValue();
        o["bits_with_next"] = f.nextByte >= 0 ? QJsonValue(double(f.bitsWithNext)) : QJsonValue();
    }
    if (walk.decoding) {
        o["code"] = double(f.code);
        o["bits_read"] = double(f.bitsRead);
    }
    return o;
}

QJsonObject walkJson(const StepThrough& walk) {
    QJsonObject o;
    o["method"] = QString::fromStdString(walk.params.label());
    o["precision"] = walk.params.precision;
    o["model"] = QString::fromStdString(walk.model);
    o["input_bytes"] = double(walk.inputBytes);
    o["walked_bytes"] = double(walk.bytes.size());
    o["decoding"] = walk.decoding;
    o["bits"] = QString::fromStdString(walk.bits);
    QJsonArray tokens;
    for (uint32_t t : walk.tokens()) tokens.append(double(t));
    o["tokens"] = tokens;
    QJsonArray steps;
    for (size_t i = 0; i < walk.frames.size(); ++i) steps.append(frameJson(walk, i));
    o["steps"] = steps;
    QJsonArray segments;
    for (size_t w = 0; w < walk.segments.size(); ++w) {
        const StepSegment& s = walk.segments[w];
        const StepFrame& close = walk.frames[s.lastFrame];
        segments.append(QJsonObject{{"window", double(w)},
                                    {"byte_begin", double(s.byteBegin)},
                                    {"byte_end", double(s.byteEnd)},
                                    {"bit_begin", double(s.bitBegin)},
                                    {"bits_used", double(s.bitsUsed)},
                                    {"bits_total", double(s.bitsTotal)},
                                    {"termination", QString::fromStdString(close.emitted)},
                                    {"padding", QString::fromStdString(close.padding)},
                                    {"next_byte", close.nextByte >= 0 ? QJsonValue(close.nextByte) : QJsonValue()},
                                    {"bits_with_next", double(close.bitsWithNext)}});
    }
    o["windows"] = segments;
    return o;
}

// One line per frame: what a teacher reads off the coder.
void printWalk(const StepThrough& walk) {
    std::printf("%s under %s, %s %zu of %llu bytes, P = %d\n", walk.params.label().c_str(), walk.model.c_str(),
                walk.decoding ? "decoding" : "encoding", walk.bytes.size(), (unsigned long long)walk.inputBytes,
                walk.params.precision);
    std::printf("%5s %-5s %6s %-6s %-10s %-10s %4s %13s %8s %-12s %9s\n", "step", "kind", "byte", "char", "low", "high",
                "pend", "freq/total", "bits", "emitted", "window");
    for (size_t i = 0; i < walk.frames.size(); ++i) {
        const StepFrame& f = walk.frames[i];
        const bool code = f.kind == StepFrame::Kind::Code;
        const std::string ch = code ? shownByte(walk.bytes[f.byteIndex]).toStdString() : "";
        char freq[32] = "", bits[32] = "", window[48];
        if (code) {
            std::snprintf(freq, sizeof freq, "%u/%u", f.freq, f.total);
            std::snprintf(bits, sizeof bits, "%.2f", f.surprisalBits);
        }
        std::snprintf(window, sizeof window, "%llu:%llu/%llu", (unsigned long long)f.segment,
                      (unsigned long long)f.segmentBitsUsed, (unsigned long long)f.segmentBits);
        std::string emitted = f.emitted;
        if (!f.padding.empty()) emitted += "+" + std::to_string(f.padding.size()) + "pad";
        std::printf("%5zu %-5s %6s %-6s %08llx   %08llx   %4llu %13s %8s %-12s %9s\n", i, stepKindName(f.kind),
                    code ? std::to_string(walk.bytes[f.byteIndex]).c_str() : "", ch.c_str(), (unsigned long long)f.low,
                    (unsigned long long)f.high, (unsigned long long)f.pending, freq, bits, emitted.c_str(), window);
    }
}

}  // namespace

int cmdStep(const QStringList& args) {
    QCommandLineParser p;
    CodecOptions o;
    o.add(p);
    QCommandLineOption decodeOpt{"decode", "Walk the decoder reading the bits back."};
    QCommandLineOption json{"json", "Print one JSON object: the walk, one object per step in \"steps\"."};
    QCommandLineOption text{"text", "Walk this text instead of a file.", "TEXT"};
    QCommandLineOption candidates{"candidates", "The model's top candidates listed per step.", "N",
                                  QString::number(kDefaultStepCandidates)};
    for (auto* opt : {&decodeOpt, &json, &text, &candidates}) p.addOption(*opt);
    if (!parseOptions(p, args,
                      "eqlab-cli step -m METHOD [-b BITS -k BITS --model FILE] [--decode] [--json] "
                      "[--text TEXT | IN]\n"
                      "Steps through static-ac, ac or eqinfo-ac byte by byte on the first " +
                          QString::number(kMaxStepBytes) + " bytes of IN ('-': stdin; default: \"" + kDefaultStepText +
                          "\")."))
        return 0;
    if (p.positionalArguments().size() > 1) throw InvalidArgument("step takes at most one input file");
    if (p.isSet(text) && !p.positionalArguments().isEmpty()) throw InvalidArgument("give --text or IN, not both");
    const CodecParams params = o.params(p);
    std::vector<uint8_t> data;
    if (p.isSet(text)) {
        const QByteArray t = p.value(text).toUtf8();
        data.assign(t.begin(), t.end());
    } else if (!p.positionalArguments().isEmpty()) {
        data = readFile(p.positionalArguments()[0].toStdString());
    } else {
        const std::string t = kDefaultStepText;
        data.assign(t.begin(), t.end());
    }
    if (data.empty()) throw InvalidArgument("step: the text is empty");
    std::string note;
    const ModelSet models = loadModelsFor(params.method, p.value(o.model).toStdString(), &note);
    if (!note.empty()) err("note: " + note);
    if (!models.byteModel)
        throw InvalidArgument("step: " + params.label() + " is not a range-coder method (static-ac, ac or eqinfo-ac)");
    StepOptions so;
    so.decode = p.isSet(decodeOpt);
    so.candidates = std::clamp(CodecOptions::toInt(p, candidates), 0, kAlphabet);
    const std::unique_ptr<ByteModel> model = models.byteModel->clone();
    const StepThrough walk = stepThrough(data.data(), data.size(), params, *model, so);
    if (walk.bytes.size() < data.size())
        err("note: the step-through walks the first " + std::to_string(walk.bytes.size()) + " of " +
            std::to_string(data.size()) + " bytes");
    if (p.isSet(json))
        printJson(QJsonDocument(walkJson(walk)));
    else
        printWalk(walk);
    return 0;
}

}  // namespace eqlab::cli
