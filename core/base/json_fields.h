// Reading eqlab's own JSON headers (dataset.json, a shard's shard.json,
// build.json): each field present, of its type and in its range, or a
// FormatError that names the file, the field, the value and what was expected.
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <cstdint>
#include <string>
#include <vector>

namespace eqlab {

class JsonFields {
public:
    // `where` prefixes every message (the file, and the object inside it).
    JsonFields(QJsonObject o, std::string where) : o_(std::move(o)), where_(std::move(where)) {}
    // The JSON object in the file `path`. Throws IoError when it cannot be
    // read, FormatError "PATH: not JSON (...)" or "PATH: not KIND (JSON, but
    // not an object)" (kind e.g. "an eqlab M2 dataset").
    static JsonFields readFile(const std::string& path, const std::string& kind);

    [[noreturn]] void fail(const std::string& msg) const;
    bool has(const char* name) const { return o_.contains(name); }
    QJsonValue need(const char* name) const;
    // An integer in [lo, hi].
    int64_t integer(const char* name, int64_t lo, int64_t hi) const { return integerOf(need(name), name, lo, hi); }
    int64_t integerOf(const QJsonValue& v, const std::string& name, int64_t lo, int64_t hi) const;
    // A finite number of at least lo.
    double number(const char* name, double lo) const;
    std::string text(const char* name) const;
    // The string `name` is exactly `value`.
    void expect(const char* name, const std::string& value) const;
    JsonFields object(const char* name) const;
    // An array of exactly n integers in [lo, hi].
    std::vector<uint32_t> integers(const char* name, size_t n, uint32_t lo, uint32_t hi) const;

private:
    QJsonObject o_;
    std::string where_;
};

}  // namespace eqlab
