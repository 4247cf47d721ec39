// The eqlab binary's command line: --help and --version print and exit 0
// without starting a GUI, so they work where there is no display.
#include <QProcess>
#include <QTest>

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
};

QTEST_GUILESS_MAIN(TestAppOptions)
#include "tst_app_options.moc"
