// The GUI's autosave (ui/session_autosave.h): the file round-trips any bytes
// and refuses a damaged one; a burst of changes is written once, after a
// pause; and the real eqlab binary, killed with SIGKILL, comes back with its
// text and settings, while --fresh and --screenshot runs leave the autosave alone.
#include <sys/stat.h>

#include <QDirIterator>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "methods/codec.h"
#include "methods/container.h"
#include "methods/default_models.h"
#include "session_autosave.h"

using namespace eqlab;
using namespace eqlab::ui;

namespace {

constexpr int kAppWaitMs = 120000;  // how long the binary may take to start, analyse and autosave

std::vector<uint8_t> bytes(const std::string& s) {
    return std::vector<uint8_t>(s.begin(), s.end());
}

// The file's inode, or 0 when it does not exist: an atomic rewrite gives a new one.
ino_t inodeOf(const QString& path) {
    struct stat st {};
    return ::stat(path.toLocal8Bit().constData(), &st) == 0 ? st.st_ino : 0;
}

// eqlab, offscreen, with its settings and data in `home`.
struct App {
    QProcess process;
    explicit App(const QString& home, const QStringList& args) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        env.insert("XDG_CONFIG_HOME", home + "/config");
        env.insert("XDG_DATA_HOME", home + "/data");
        env.insert("XDG_CACHE_HOME", home + "/cache");
        process.setProcessEnvironment(env);
        process.start(EQLAB_APP_PATH, args);
    }
    ~App() {
        if (process.state() != QProcess::NotRunning) killHard();
    }
    void killHard() {
        process.kill();  // SIGKILL: no close event, no settings saved
        process.waitForFinished();
    }
};

// Waits (the binary runs meanwhile) until the autosave at `path` is a file
// other than `oldInode` whose session satisfies `ok`; returns that session.
std::optional<Session> waitForAutosave(const QString& path, ino_t oldInode,
                                       const std::function<bool(const Session&)>& ok) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < kAppWaitMs) {
        QTest::qWait(100);
        if (inodeOf(path) == 0 || inodeOf(path) == oldInode) continue;
        try {
            Session s = decodeSession(readFile(path.toStdString()));
            if (ok(s)) return s;
        } catch (const Error&) {
            return std::nullopt;  // never a torn file: the write is atomic
        }
    }
    return std::nullopt;
}

}  // namespace

class TestSessionAutosave : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void roundTripsAnyBytes_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("nul-and-invalid-utf8") << QByteArray("a\0b\xff\xfe\x80z", 7);
        QTest::newRow("text") << QByteArray("Equal-Info windows, \xc3\xa9t\xc3\xa9.\n");
    }
    void roundTripsAnyBytes() {
        QFETCH(QByteArray, text);
        Session s;
        s.text.assign(text.begin(), text.end());
        s.settings = {{"method/name", "gzip"}, {"method/k", 12}, {"view/dark", true}};
        const Session back = decodeSession(encodeSession(s));
        QVERIFY(back.text == s.text);
        QCOMPARE(back.settings.value("method/name").toString(), QString("gzip"));
        QCOMPARE(back.settings.value("method/k").toInt(), 12);
        QCOMPARE(back.settings.value("view/dark").toBool(), true);
    }

    void refusesADamagedFile_data() {
        QTest::addColumn<int>("damage");  // 0: flip a text byte, 1: truncate, 2: bad magic, 3: claim 2^60 bytes
        QTest::newRow("flipped-byte") << 0;
        QTest::newRow("truncated") << 1;
        QTest::newRow("bad-magic") << 2;
        QTest::newRow("huge-length-claim") << 3;
        QTest::newRow("lengths-that-wrap") << 4;
    }
    void refusesADamagedFile() {
        QFETCH(int, damage);
        Session s;
        s.text = bytes("some text worth keeping");
        s.settings = {{"method/name", "bytes"}};
        std::vector<uint8_t> f = encodeSession(s);
        if (damage == 0) f.back() ^= 0x01;
        if (damage == 1) f.resize(f.size() - 5);
        if (damage == 2) f[0] = 'X';
        if (damage == 3) f[19] = 0x10;  // the text length's top byte: 2^60, allocated never
        if (damage == 4) {
            // Settings longer than the body and a text length of 2^64 - 50: their
            // sum wraps to the body's size, and the body (so its CRC) is intact.
            const uint64_t body = f.size() - 24;
            const uint32_t settingsBytes = uint32_t(body + 50);
            const uint64_t textBytes = ~uint64_t(0) - 49;
            for (int i = 0; i < 4; ++i) f[8 + i] = uint8_t(settingsBytes >> (8 * i));
            for (int i = 0; i < 8; ++i) f[12 + i] = uint8_t(textBytes >> (8 * i));
        }
        try {
            decodeSession(f);
            QFAIL("a damaged autosave was read");
        } catch (const FormatError& e) {
            // The wrapping lengths are caught as lengths, before a byte past the file is read.
            if (damage == 4) QVERIFY2(QString(e.what()).contains("lengths"), e.what());
        }
    }

    // A burst of changes is one write, of the last; load() reads it back; a damaged file loads as nothing, with why.
    void aBurstIsWrittenOnceAfterAPause() {
        QTemporaryDir dir;
        const QString path = dir.filePath("sub/session.eqas");
        SessionAutosave a(path);
        QSignalSpy written(&a, &SessionAutosave::written);
        for (int i = 0; i < 5; ++i) {
            Session s;
            s.text = bytes(std::string(size_t(i) + 1, 'a'));
            a.schedule(s);  // back to back: no event loop runs, so no timer can fire in between
        }
        QVERIFY(!QFileInfo::exists(path));  // still in the pause
        QTRY_COMPARE_WITH_TIMEOUT(written.count(), 1, 10000);
        QTest::qWait(SessionAutosave::kDelayMs * 2);
        QCOMPARE(a.writes(), 1);
        const auto back = a.load();
        QVERIFY(back && back->text == bytes("aaaaa"));
        // flush() writes at once (closing the window).
        Session last;
        last.text = bytes("closing");
        a.flush(last);
        QVERIFY(a.load()->text == bytes("closing"));
        writeFile(path.toStdString(), bytes("EQAS garbage"));
        QVERIFY(!a.load());
        QVERIFY(!a.lastError().isEmpty());
    }

    // Issue 15, "nothing lost": eqlab killed with SIGKILL keeps its text and settings.
    void survivesAKill() {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        // A gzip container with k = 12 of a text no editor holds exactly: opening it sets the method and the text.
        const std::vector<uint8_t> text = bytes("kill -9 must not lose this \xff\xfe text\n");
        CodecParams p;
        p.method = Method::Gzip;
        p.tokenBits = 12;
        const ModelSet models = loadModelsFor(p.method, "");
        const QString container = home.filePath("t.eqlc");
        writeFile(container.toStdString(), writeContainer(encode(text.data(), text.size(), p, models, {}), models));
        const QString autosave = home.filePath("data/eqlab/eqlab/session.eqas");
        auto isOurs = [&](const Session& s) {
            return s.text == text && s.settings.value("method/name").toString() == "gzip" &&
                   s.settings.value("method/k").toInt() == 12;
        };
        {
            App app(home.path(), {"--text", container});
            QVERIFY2(waitForAutosave(autosave, 0, isOurs), qPrintable(app.process.readAllStandardError()));
            app.killHard();
        }
        // No close event ran: the settings file never heard of gzip; only the autosave has it.
        QDirIterator configs(home.filePath("config"), QDir::Files, QDirIterator::Subdirectories);
        while (configs.hasNext()) {
            const QString f = configs.next();
            const std::vector<uint8_t> settings = readFile(f.toStdString());
            QVERIFY2(std::string(settings.begin(), settings.end()).find("gzip") == std::string::npos, qPrintable(f));
        }
        // Restarted: the text and settings come back (and are autosaved again, as a new file).
        const ino_t first = inodeOf(autosave);
        {
            App app(home.path(), {});
            QVERIFY2(waitForAutosave(autosave, first, isOurs), qPrintable(app.process.readAllStandardError()));
            app.killHard();
        }
        // A screenshot neither restores nor writes the autosave: pictures stay reproducible.
        const ino_t second = inodeOf(autosave);
        {
            QProcess shot;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("QT_QPA_PLATFORM", "offscreen");
            env.insert("XDG_CONFIG_HOME", home.filePath("config"));
            env.insert("XDG_DATA_HOME", home.filePath("data"));
            shot.setProcessEnvironment(env);
            shot.start(EQLAB_APP_PATH, {"--screenshot", home.filePath("shot.png")});
            QVERIFY(shot.waitForFinished(kAppWaitMs));
            QCOMPARE(shot.exitCode(), 0);
            QCOMPARE(inodeOf(autosave), second);
        }
        // --fresh starts from the sample, and that session replaces the autosave.
        {
            App app(home.path(), {"--fresh"});
            const auto s = waitForAutosave(autosave, second, [&](const Session& s) { return s.text != text; });
            QVERIFY2(s, qPrintable(app.process.readAllStandardError()));
            QVERIFY(s->text == readFile(resourcePath(kSampleTextFile)));
            app.killHard();
        }
    }
};

QTEST_MAIN(TestSessionAutosave)
#include "tst_session_autosave.moc"
