// The main window offscreen: it loads the sample text, analyses it on a
// worker thread without blocking, reacts to method changes, and can be
// cancelled. Writes a screenshot to the build folder.
#include <QComboBox>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include "main_window.h"

using namespace eqlab;
using namespace eqlab::ui;

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void analysesTheSampleText() {
        MainWindow w;
        w.show();
        QSignalSpy done(w.worker(), &AnalysisWorker::finished);
        QVERIFY(done.wait(60000));
        const auto r = w.lastResult();
        QVERIFY(r);
        QVERIFY(r->roundTripOk);
        QCOMPARE(r->encoded.params.method, Method::EqualInfoAc);
        QVERIFY(r->encoded.windows > 100);
        QVERIFY(w.grab().save(EQLAB_BUILD_DIR "/screenshot-main-window.png"));
    }

    void methodChangeReanalyses() {
        MainWindow w;
        w.show();
        QSignalSpy done(w.worker(), &AnalysisWorker::finished);
        QVERIFY(done.wait(60000));
        auto* method = w.findChild<QComboBox*>();
        QVERIFY(method);
        method->setCurrentIndex(method->findText("gzip"));
        QVERIFY(done.wait(60000));
        QCOMPARE(w.lastResult()->encoded.params.method, Method::Gzip);
        QVERIFY(w.lastResult()->roundTripOk);
    }

    void cancelLeavesWindowUsable() {
        MainWindow w;
        w.show();
        QSignalSpy done(w.worker(), &AnalysisWorker::finished);
        QVERIFY(done.wait(60000));
        const int before = done.count();
        w.worker()->start(std::vector<uint8_t>(4 << 20, 'x'), CodecParams{}, QString());
        w.worker()->cancel();
        QTest::qWait(500);
        QCOMPARE(done.count(), before);  // the cancelled job reports nothing
        w.worker()->start(std::vector<uint8_t>{'o', 'k'}, CodecParams{}, QString());
        QVERIFY(done.wait(60000));
        QVERIFY(w.lastResult()->roundTripOk);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
