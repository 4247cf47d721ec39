// The GUI's autosave: the last text and settings survive a crash or a kill.
//
// A Session is what the window restores on start: the text (exact bytes) and
// the settings that describe how it is looked at (Explore's method panel, the
// theme, the tab), keyed as in QSettings. SessionAutosave writes one a short
// pause after each change, on a background job, through OutputFile: the file
// is replaced atomically, so a kill during a write leaves the previous
// autosave whole. The file format (version 1, little-endian):
//
//   offset 0   4 bytes  magic "EQAS"
//          4   u32      version (1)
//          8   u32      settings length S (bytes of UTF-8 JSON, an object)
//         12   u64      text length T
//         20   u32      CRC-32 of the S + T bytes that follow
//         24   S bytes  settings
//     24 + S   T bytes  text
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>
#include <QVariantMap>
#include <cstdint>
#include <optional>
#include <vector>

#include "background_job.h"

namespace eqlab::ui {

struct Session {
    std::vector<uint8_t> text;
    QVariantMap settings;  // "method/name" -> "gzip", "view/dark" -> true, ...
};

// The file's bytes for a session, and back. decodeSession throws
// eqlab::FormatError on a bad magic, version, length or checksum.
std::vector<uint8_t> encodeSession(const Session& s);
Session decodeSession(const std::vector<uint8_t>& file);

class SessionAutosave : public QObject {
    Q_OBJECT
public:
    // Quiet time after the last change before the session is written.
    static constexpr int kDelayMs = 1000;
    // Texts larger than this are not autosaved (the file would be as large); the settings still are.
    static constexpr uint64_t kMaxTextBytes = uint64_t(64) << 20;

    // `path`: the autosave file; empty: defaultPath().
    explicit SessionAutosave(QString path = {}, QObject* parent = nullptr);
    // The application's data location (QStandardPaths::AppDataLocation)/session.eqas.
    static QString defaultPath();
    const QString& path() const { return path_; }

    // The session last written, or nullopt when there is none or it cannot be
    // read (a message in lastError()).
    std::optional<Session> load();
    QString lastError() const { return error_; }

    // A change: `s` is written kDelayMs after the last of a burst of calls.
    void schedule(Session s);
    // Starts writing `s` now, on the job (closing the window: it waits for the job's thread).
    void writeNow(Session s);
    // Writes what is pending (or `s`) now and waits for it, on the calling thread.
    void flush();
    void flush(Session s);
    bool writing() const { return job_.busy(); }
    int writes() const { return writes_; }  // completed writes, for tests

signals:
    void written();                // a write completed
    void failed(QString message);  // a write failed (the previous file is kept)

private:
    void writeNext();
    QString path_;
    QString error_;
    QTimer debounce_;
    std::optional<Session> pending_;  // waiting for the debounce or for the write in flight
    int writes_ = 0;
    BackgroundJob job_;  // last: destroyed first, it joins a write in flight
};

}  // namespace eqlab::ui
