#include "session_autosave.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include "base/binary_io.h"
#include "base/errors.h"
#include "base/file_io.h"
#include "base/hashes.h"
#include "base/output_file.h"

namespace eqlab::ui {

namespace {
constexpr char kMagic[4] = {'E', 'Q', 'A', 'S'};
constexpr uint32_t kVersion = 1;
constexpr size_t kHeaderBytes = 24;
constexpr uint32_t kMaxSettingsBytes = 1 << 20;  // a settings object is a few hundred bytes
const char* kWhat = "autosave";
}  // namespace

std::vector<uint8_t> encodeSession(const Session& s) {
    const QByteArray json = QJsonDocument(QJsonObject::fromVariantMap(s.settings)).toJson(QJsonDocument::Compact);
    std::vector<uint8_t> body(json.begin(), json.end());
    body.insert(body.end(), s.text.begin(), s.text.end());
    ByteSink out;
    out.bytes(kMagic, sizeof kMagic);
    out.u32(kVersion);
    out.u32(uint32_t(json.size()));
    out.u64(s.text.size());
    out.u32(crc32Of(body.data(), body.size()));
    out.bytes(body);
    return std::move(out.data());
}

Session decodeSession(const std::vector<uint8_t>& file) {
    ByteSource in(file.data(), file.size(), kWhat);
    if (std::memcmp(in.take(sizeof kMagic, "magic"), kMagic, sizeof kMagic) != 0)
        throw FormatError("not an eqlab autosave (bad magic)");
    const uint32_t version = in.u32("version");
    if (version != kVersion) throw FormatError("autosave version " + std::to_string(version) + " is not supported");
    const uint32_t settingsBytes = in.u32("settings length");
    const uint64_t textBytes = in.u64("text length");
    const uint32_t crc = in.u32("checksum");
    // Lengths checked against the file before anything is allocated.
    // (No sum of the two: a text length near 2^64 would wrap it.)
    const uint64_t bodyBytes = file.size() - kHeaderBytes;
    if (settingsBytes > kMaxSettingsBytes || settingsBytes > bodyBytes || textBytes != bodyBytes - settingsBytes)
        throw FormatError("autosave lengths do not match the file's size");
    const uint8_t* body = file.data() + kHeaderBytes;
    if (crc32Of(body, bodyBytes) != crc) throw FormatError("autosave checksum mismatch");
    QJsonParseError error;
    const QJsonDocument json =
        QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char*>(body), settingsBytes), &error);
    if (!json.isObject()) throw FormatError("autosave settings are not a JSON object");
    Session s;
    s.settings = json.object().toVariantMap();
    s.text.assign(body + settingsBytes, body + settingsBytes + textBytes);
    return s;
}

SessionAutosave::SessionAutosave(QString path, QObject* parent)
    : QObject(parent), path_(path.isEmpty() ? defaultPath() : std::move(path)) {
    debounce_.setSingleShot(true);
    debounce_.setInterval(kDelayMs);
    connect(&debounce_, &QTimer::timeout, this, &SessionAutosave::writeNext);
    connect(&job_, &BackgroundJob::finished, this, [this] {
        ++writes_;
        emit written();
        if (pending_ && !debounce_.isActive()) writeNext();  // changed while writing
    });
    connect(&job_, &BackgroundJob::failed, this, [this](const QString& message) {
        error_ = message;
        emit failed(message);
        if (pending_ && !debounce_.isActive()) writeNext();
    });
}

QString SessionAutosave::defaultPath() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/session.eqas";
}

std::optional<Session> SessionAutosave::load() {
    error_.clear();
    if (!QFileInfo::exists(path_)) return std::nullopt;
    try {
        return decodeSession(readFile(path_.toStdString(), kMaxTextBytes + kHeaderBytes + kMaxSettingsBytes));
    } catch (const std::exception& e) {
        error_ = QString::fromUtf8(e.what());
        return std::nullopt;
    }
}

void SessionAutosave::schedule(Session s) {
    if (s.text.size() > kMaxTextBytes) s.text.clear();
    pending_ = std::move(s);
    debounce_.start();
}

void SessionAutosave::writeNext() {
    // One write at a time: two in flight could rename an older file over a newer one.
    if (!pending_ || job_.busy()) return;
    auto session = std::make_shared<Session>(std::move(*pending_));
    pending_.reset();
    const std::string path = path_.toStdString();
    job_.start([session, path](JobControl&) {
        QDir().mkpath(QFileInfo(QString::fromStdString(path)).absolutePath());
        writeFile(path, encodeSession(*session));
    });
}

void SessionAutosave::writeNow(Session s) {
    schedule(std::move(s));
    debounce_.stop();
    writeNext();  // or, while a write runs, once it has finished
}

void SessionAutosave::flush(Session s) {
    schedule(std::move(s));
    flush();
}

void SessionAutosave::flush() {
    debounce_.stop();
    // The write in flight completes (cancelAndWait only raises a flag the write never reads).
    job_.cancelAndWait();
    if (!pending_) return;
    const Session s = std::move(*pending_);
    pending_.reset();
    try {
        QDir().mkpath(QFileInfo(path_).absolutePath());
        writeFile(path_.toStdString(), encodeSession(s));
        ++writes_;
    } catch (const std::exception& e) {
        error_ = QString::fromUtf8(e.what());
    }
}

}  // namespace eqlab::ui
