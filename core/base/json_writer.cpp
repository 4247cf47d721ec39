#include "base/json_writer.h"

#include <QJsonArray>
#include <QJsonObject>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace eqlab {

namespace {

constexpr size_t kBufferBytes = 1 << 16;  // bytes gathered before each hand-over to the sink

}  // namespace

JsonWriter::JsonWriter(Sink sink, int indentDepth) : sink_(std::move(sink)), indentDepth_(indentDepth) {
    buffer_.reserve(kBufferBytes + 64);
}

void JsonWriter::raw(std::string_view s) {
    buffer_.append(s);
    if (buffer_.size() >= kBufferBytes) flushBuffer();
}

void JsonWriter::rawChar(char c) {
    buffer_.push_back(c);
    if (buffer_.size() >= kBufferBytes) flushBuffer();
}

void JsonWriter::flushBuffer() {
    if (buffer_.empty()) return;
    sink_(buffer_.data(), buffer_.size());
    buffer_.clear();
}

void JsonWriter::newline(size_t depth) {
    rawChar('\n');
    for (size_t i = 0; i < depth; ++i) raw("    ");
}

// The comma before a member or element, and its line in an indented container.
void JsonWriter::beforeValue() {
    if (afterKey_) {
        afterKey_ = false;
        return;
    }
    if (stack_.empty()) return;
    Level& top = stack_.back();
    if (top.object) throw std::logic_error("JsonWriter: a value in an object needs a key");
    if (!top.empty) rawChar(',');
    top.empty = false;
    if (top.indented) newline(stack_.size());
}

void JsonWriter::key(std::string_view name) {
    if (stack_.empty() || !stack_.back().object || afterKey_)
        throw std::logic_error("JsonWriter: a key outside an object");
    Level& top = stack_.back();
    if (!top.empty) rawChar(',');
    top.empty = false;
    if (top.indented) newline(stack_.size());
    quoted(name);
    raw(top.indented ? ": " : ":");
    afterKey_ = true;
}

void JsonWriter::beginObject() {
    beforeValue();
    rawChar('{');
    stack_.push_back({true, true, int(stack_.size()) < indentDepth_});
}

void JsonWriter::beginArray() {
    beforeValue();
    rawChar('[');
    stack_.push_back({false, true, int(stack_.size()) < indentDepth_});
}

void JsonWriter::endObject() {
    if (stack_.empty() || !stack_.back().object || afterKey_) throw std::logic_error("JsonWriter: unbalanced object");
    const Level top = stack_.back();
    stack_.pop_back();
    if (top.indented && !top.empty) newline(stack_.size());
    rawChar('}');
}

void JsonWriter::endArray() {
    if (stack_.empty() || stack_.back().object) throw std::logic_error("JsonWriter: unbalanced array");
    const Level top = stack_.back();
    stack_.pop_back();
    if (top.indented && !top.empty) newline(stack_.size());
    rawChar(']');
}

void JsonWriter::value(double v) {
    if (!std::isfinite(v)) return null();
    beforeValue();
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back as v
    raw(std::string_view(buf, size_t(r.ptr - buf)));
}

void JsonWriter::value(float v) {
    if (!std::isfinite(v)) return null();
    beforeValue();
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back as the float
    raw(std::string_view(buf, size_t(r.ptr - buf)));
}

void JsonWriter::value(int64_t v) {
    beforeValue();
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    raw(std::string_view(buf, size_t(r.ptr - buf)));
}

void JsonWriter::value(uint64_t v) {
    beforeValue();
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    raw(std::string_view(buf, size_t(r.ptr - buf)));
}

void JsonWriter::value(bool v) {
    beforeValue();
    raw(v ? "true" : "false");
}

void JsonWriter::null() {
    beforeValue();
    raw("null");
}

void JsonWriter::value(std::string_view s) {
    beforeValue();
    quoted(s);
}

void JsonWriter::quoted(std::string_view s) {
    rawChar('"');
    for (const char c : s) {
        switch (c) {
            case '"':
                raw("\\\"");
                break;
            case '\\':
                raw("\\\\");
                break;
            case '\n':
                raw("\\n");
                break;
            case '\r':
                raw("\\r");
                break;
            case '\t':
                raw("\\t");
                break;
            case '\b':
                raw("\\b");
                break;
            case '\f':
                raw("\\f");
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    static const char* hex = "0123456789abcdef";
                    const char esc[] = {'\\', 'u', '0', '0', hex[(c >> 4) & 0xf], hex[c & 0xf]};
                    raw(std::string_view(esc, sizeof esc));
                } else {
                    rawChar(c);  // UTF-8 passes through as it is
                }
        }
    }
    rawChar('"');
}

void JsonWriter::value(const QJsonValue& v) {
    switch (v.type()) {
        case QJsonValue::Null:
        case QJsonValue::Undefined:
            return null();
        case QJsonValue::Bool:
            return value(v.toBool());
        case QJsonValue::Double:
            return value(v.toDouble());  // integral values print without a fraction
        case QJsonValue::String:
            return value(std::string_view(v.toString().toStdString()));
        case QJsonValue::Array: {
            beginArray();
            for (const QJsonValue& x : v.toArray()) value(x);
            return endArray();
        }
        case QJsonValue::Object: {
            beginObject();
            const QJsonObject o = v.toObject();
            for (auto it = o.begin(); it != o.end(); ++it) {
                key(it.key().toStdString());
                value(it.value());
            }
            return endObject();
        }
    }
}

void JsonWriter::finish() {
    if (!stack_.empty() || afterKey_) throw std::logic_error("JsonWriter: finish() inside an open container");
    rawChar('\n');
    flushBuffer();
}

}  // namespace eqlab
