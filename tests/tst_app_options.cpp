// The eqlab binary's command line: --help and --version print and exit 0
// without starting a GUI, so they work where there is no display; a
// --screenshot run never opens a dialog: a failure prints and exits 1.
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    bool finished = false;
    int exitCode = -1;
    QString err;
};

// Runs eqlab offscreen with its settings in `home`, for at most `ms`.
Run runEqlab(const QStringList& args, const QString& home, int ms = 120000) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    env.insert("XDG_CONFIG_HOME", home);
    p.setProcessEnvironment(env);
    p.start(EQLAB_APP_PATH, args);
    Run r;
    r.finished = p.waitForFinished(ms);
    if (!r.finished) {
        p.kill();
        p.waitForFinished();
    }
    r.exitCode = p.exitCode();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

}  // namespace

class TestAppOptions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void printsWithoutADisplay_data() {
        QTest::addColumn<QString>("flag");
        QTest::addColumn<QStringList>("expected");
        // Regression: `eqlab --help` aborted ("could not connect to display") before printing.
        QTest::newRow("help-without-display") << "--help" << QStringList{"--screenshot", "--view", "--zoom"};
        QTest::newRow("short-help") << "-h" << QStringList{"--high-contrast", "--full-screen"};
        QTest::newRow("version") << "--version" << QStringList{"eqlab " EQLAB_VERSION};
    }

    void printsWithoutADisplay() {
        QFETCH(QString, flag);
        QFETCH(QStringList, expected);
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) env.remove(v);
        p.setProcessEnvironment(env);
        p.start(EQLAB_APP_PATH, {flag});
        QVERIFY(p.waitForFinished(60000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 0, qPrintable(err));
        for (const QString& e : expected) QVERIFY2(out.contains(e), qPrintable(e + " not in:\n" + out));
    }

    // Regression: a text that cannot be opened showed a message box, which
    // nobody closes in a --screenshot run: it hung.
    void screenshotOfAnUnreadableTextFails_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("contents");  // empty: the file does not exist
        QTest::newRow("missing") << "missing.txt" << QByteArray();
        QTest::newRow("broken-container") << "broken.eqlc" << QByteArray("EQLC\x01garbage");
    }

    void screenshotOfAnUnreadableTextFails() {
        QFETCH(QString, name);
        QFETCH(QByteArray, contents);
        QTemporaryDir dir;
        const QString text = dir.filePath(name);
        if (!contents.isEmpty()) {
            QFile f(text);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(contents);
        }
        const QString png = dir.filePath("x.png");
        const Run r = runEqlab({"--text", text, "--screenshot", png}, dir.filePath("config"));
        QVERIFY2(r.finished, "hung (a dialog?)");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("Cannot open " + text), qPrintable(r.err));
        QVERIFY(!QFile::exists(png));
    }

    // Regression: a screenshot that could not be written exited 1 silently.
    void screenshotToAnUnwritablePathSaysSo() {
        QTemporaryDir dir;
        const Run r = runEqlab({"--screenshot", "/nonexistent-dir/x.png", "--view", "step"}, dir.filePath("config"));
        QVERIFY2(r.finished, "hung");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("cannot save the screenshot") && r.err.contains("/nonexistent-dir/x.png"),
                 qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestAppOptions)
#include "tst_app_options.moc"
