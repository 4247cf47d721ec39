// A streaming JSON writer: a document written as it is produced, through a
// small buffer, to any sink (an OutputFile, stdout, a string). For documents
// too large to hold as a QJsonDocument tree (a trace has several values per
// input byte; a tree costs ~100 bytes of memory per value).
//
// The caller nests begin/end calls as the document nests and names every
// member of an object with key() before its value; the writer puts the
// commas, escapes strings and writes numbers in their shortest exact form
// (non-finite numbers, which JSON lacks, as null, as QJsonDocument does).
// Containers opened at a depth below `indentDepth` put each member on its own
// indented line; deeper ones, the long per-byte arrays, are compact.
#pragma once

#include <QJsonValue>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace eqlab {

class JsonWriter {
public:
    // Receives the document in pieces, in order; may throw (IoError), which
    // then leaves the writer unusable.
    using Sink = std::function<void(const char* data, size_t size)>;

    explicit JsonWriter(Sink sink, int indentDepth = 0);
    // Does not flush: a document is complete only after finish().
    ~JsonWriter() = default;
    JsonWriter(const JsonWriter&) = delete;
    JsonWriter& operator=(const JsonWriter&) = delete;

    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    // The name of the next value; only inside an object.
    void key(std::string_view name);

    void value(double v);
    void value(float v);
    void value(int64_t v);
    void value(uint64_t v);
    void value(int v) { value(int64_t(v)); }
    void value(uint32_t v) { value(uint64_t(v)); }
    void value(bool v);
    void value(std::string_view s);
    void value(const char* s) { value(std::string_view(s)); }
    void value(const std::string& s) { value(std::string_view(s)); }
    void value(const QJsonValue& v);  // any QJson value, objects and arrays written member by member
    void null();

    // key(name) then value(v).
    template <class T>
    void member(std::string_view name, const T& v) {
        key(name);
        value(v);
    }
    // key(name), then the vector as an array of numbers.
    template <class T>
    void array(std::string_view name, const std::vector<T>& v) {
        key(name);
        beginArray();
        for (const T& x : v) value(x);
        endArray();
    }

    // Ends the document with a newline and hands everything to the sink.
    // Precondition: every container opened has been closed.
    void finish();

private:
    void beforeValue();
    void newline(size_t depth);
    void quoted(std::string_view s);  // a JSON string literal
    void raw(std::string_view s);
    void rawChar(char c);
    void flushBuffer();

    struct Level {
        bool object;
        bool empty = true;
        bool indented;
    };
    Sink sink_;
    int indentDepth_;
    std::vector<Level> stack_;
    bool afterKey_ = false;
    std::string buffer_;
};

}  // namespace eqlab
