#include "base/json_fields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QString>
#include <cmath>

#include "base/errors.h"
#include "base/file_io.h"

namespace eqlab {

JsonFields JsonFields::readFile(const std::string& path, const std::string& kind) {
    const std::vector<uint8_t> raw = eqlab::readFile(path);
    QJsonParseError err;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char*>(raw.data()), qsizetype(raw.size())), &err);
    if (doc.isNull()) throw FormatError(path + ": not JSON (" + err.errorString().toStdString() + ")");
    if (!doc.isObject()) throw FormatError(path + ": not " + kind + " (JSON, but not an object)");
    return JsonFields(doc.object(), path);
}

void JsonFields::fail(const std::string& msg) const {
    throw FormatError(where_ + ": " + msg);
}

QJsonValue JsonFields::need(const char* name) const {
    const QJsonValue v = o_.value(name);
    if (v.isUndefined()) fail(std::string("\"") + name + "\" is missing");
    return v;
}

int64_t JsonFields::integerOf(const QJsonValue& v, const std::string& name, int64_t lo, int64_t hi) const {
    const double x = v.toDouble(std::nan(""));
    if (!v.isDouble() || !std::isfinite(x) || x != std::floor(x)) fail("\"" + name + "\" is not an integer");
    if (x < double(lo) || x > double(hi))
        fail("\"" + name + "\" is " + QString::number(x, 'g', 17).toStdString() + ", expected " + std::to_string(lo) +
             " to " + std::to_string(hi));
    return int64_t(x);
}

double JsonFields::number(const char* name, double lo) const {
    const QJsonValue v = need(name);
    if (!v.isDouble() || !std::isfinite(v.toDouble()) || v.toDouble() < lo)
        fail(std::string("\"") + name + "\" is not a number of at least " + QString::number(lo).toStdString());
    return v.toDouble();
}

std::string JsonFields::text(const char* name) const {
    const QJsonValue v = need(name);
    if (!v.isString()) fail(std::string("\"") + name + "\" is not a string");
    return v.toString().toStdString();
}

void JsonFields::expect(const char* name, const std::string& value) const {
    if (text(name) != value) fail(std::string("\"") + name + "\" is not \"" + value + "\"");
}

JsonFields JsonFields::object(const char* name) const {
    const QJsonValue v = need(name);
    if (!v.isObject()) fail(std::string("\"") + name + "\" is not an object");
    return JsonFields(v.toObject(), where_ + " (" + name + ")");
}

std::vector<uint32_t> JsonFields::integers(const char* name, size_t n, uint32_t lo, uint32_t hi) const {
    const QJsonValue v = need(name);
    if (!v.isArray()) fail(std::string("\"") + name + "\" is not an array");
    const QJsonArray a = v.toArray();
    if (size_t(a.size()) != n)
        fail(std::string("\"") + name + "\" has " + std::to_string(a.size()) + " entries, not one for each of the " +
             std::to_string(n) + " examples");
    std::vector<uint32_t> out;
    out.reserve(n);
    for (qsizetype i = 0; i < a.size(); ++i)
        out.push_back(uint32_t(integerOf(a[i], std::string(name) + "[" + std::to_string(i) + "]", lo, hi)));
    return out;
}

}  // namespace eqlab
