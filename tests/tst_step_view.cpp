// The Step tab offscreen, end to end: Ctrl+5 opens it and walks the default
// sentence; the keys move the frame; jumping to a window lands on its Reset;
// the bitstream row shows exactly the walk's bits up to the frame; the decode
// toggle walks the decoder; the PDF handout has one page per frame; Explore's
// "Step through selection" carries the selected bytes and Explore's method.
// Screenshots of a Code, a Close and a decode frame go to the build folder.
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <cstring>
#include <functional>

#include "analysis_worker.h"
#include "base/file_io.h"
#include "main_window.h"
#include "methods/default_models.h"
#include "step/bitstream_row.h"
#include "step/step_canvas.h"
#include "step/step_caption.h"
#include "step/window_meter.h"
#include "step_view.h"
#include "trace_model.h"

using namespace eqlab;
using namespace eqlab::ui;

namespace {

// Runs `trigger`, then waits for the walk it starts to be shown.
bool walkAfter(StepView& v, const std::function<void()>& trigger, int ms = 120000) {
    QSignalSpy ready(&v, &StepView::walkReady);
    QSignalSpy failed(&v, &StepView::walkFailed);
    trigger();
    QElapsedTimer t;
    t.start();
    while (ready.isEmpty() && failed.isEmpty() && t.elapsed() < ms) QTest::qWait(10);
    if (!failed.isEmpty()) qWarning() << "walk failed:" << failed.first().first().toString();
    return !ready.isEmpty();
}

bool waitForAnalysis(MainWindow& w, int ms = 120000) {
    QSignalSpy done(w.worker(), &AnalysisWorker::finished);
    QElapsedTimer t;
    t.start();
    while (done.isEmpty() && t.elapsed() < ms) QTest::qWait(20);
    return !done.isEmpty();
}

std::vector<uint8_t> bytesOf(const char* s) {
    return std::vector<uint8_t>(s, s + std::strlen(s));
}

CodecParams eqinfo(int b = 16, int k = 8) {
    CodecParams p;
    p.method = Method::EqualInfoAc;
    p.windowBits = b;
    p.tokenBits = k;
    return p;
}

// A StepView of its own, shown and walked on `text`.
struct Shown {
    StepView view;
    bool walk(const std::vector<uint8_t>& text, const CodecParams& p) {
        return walkAfter(view, [&] { view.stepThrough(text, p, QString()); });
    }
};

}  // namespace

class TestStepView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("eqlab-tests");
        QCoreApplication::setApplicationName("tst_step_view");
        QSettings().clear();
    }

    void ctrl5OpensTheTabAndWalks() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        auto* tabs = w.findChild<QTabWidget*>();
        QCOMPARE(tabs->tabText(int(MainWindow::View::Step)), QString("Step"));
        QCOMPARE(tabs->tabText(int(MainWindow::View::Studies)), QString("Studies"));
        StepView* v = w.stepView();
        QVERIFY(!v->walk());
        QVERIFY(walkAfter(*v, [&] { QTest::keyClick(&w, Qt::Key_5, Qt::ControlModifier); }));
        QCOMPARE(tabs->currentIndex(), int(MainWindow::View::Step));
        const auto walk = v->walk();
        QVERIFY(walk && !walk->frames.empty());
        QVERIFY(walk->bytes == bytesOf(kDefaultStepText));
        QCOMPARE(walk->params.method, Method::EqualInfoAc);
        QCOMPARE(walk->frames.front().kind, StepFrame::Kind::Reset);
        QCOMPARE(v->frame(), size_t(0));
        // Ctrl+6 still opens Studies.
        QTest::keyClick(&w, Qt::Key_6, Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), int(MainWindow::View::Studies));
    }

    void keysMoveTheFrame() {
        Shown s;
        s.view.resize(1400, 900);
        s.view.show();
        QVERIFY(QTest::qWaitForWindowActive(&s.view));
        QVERIFY(s.walk(bytesOf(kDefaultStepText), eqinfo()));
        const auto walk = s.view.walk();
        QVERIFY(walk->segments.size() >= 3);
        QWidget* c = s.view.canvas();
        c->setFocus();
        QTest::keyClick(c, Qt::Key_Right);
        QCOMPARE(s.view.frame(), size_t(1));
        QTest::keyClick(c, Qt::Key_Space);
        QCOMPARE(s.view.frame(), size_t(2));
        QTest::keyClick(c, Qt::Key_Left);
        QCOMPARE(s.view.frame(), size_t(1));
        QTest::keyClick(c, Qt::Key_End);
        QCOMPARE(s.view.frame(), walk->frames.size() - 1);
        QCOMPARE(walk->frames.back().kind, StepFrame::Kind::Close);
        QTest::keyClick(c, Qt::Key_Right);  // at the end it stays
        QCOMPARE(s.view.frame(), walk->frames.size() - 1);
        QTest::keyClick(c, Qt::Key_Home);
        QCOMPARE(s.view.frame(), size_t(0));
        QTest::keyClick(c, Qt::Key_Left);  // at the start it stays
        QCOMPARE(s.view.frame(), size_t(0));
        QTest::keyClick(c, Qt::Key_PageDown);
        QCOMPARE(s.view.frame(), walk->frameOfSegment(1));
        QTest::keyClick(c, Qt::Key_PageDown);
        QCOMPARE(s.view.frame(), walk->frameOfSegment(2));
        QTest::keyClick(c, Qt::Key_Right);
        QTest::keyClick(c, Qt::Key_PageUp);  // inside window 2: back to its start
        QCOMPARE(s.view.frame(), walk->frameOfSegment(2));
        QTest::keyClick(c, Qt::Key_PageUp);  // at its start: to window 1's
        QCOMPARE(s.view.frame(), walk->frameOfSegment(1));

        // Play steps on by itself, and P pauses it.
        QTest::keyClick(c, Qt::Key_P);
        QVERIFY(s.view.playing());
        const size_t from = s.view.frame();
        QTRY_VERIFY_WITH_TIMEOUT(s.view.frame() > from, 5000);
        QTest::keyClick(c, Qt::Key_P);
        QVERIFY(!s.view.playing());

        // Regression: the single keys overrode a focused box or button: P on
        // the speed box played, Space on the Decode box stepped.
        auto* speed = s.view.findChild<QComboBox*>("stepSpeed");
        speed->setFocus();
        QTest::keyClick(speed, Qt::Key_P);
        QVERIFY(!s.view.playing());
        auto* decode = s.view.findChild<QCheckBox*>("stepDecode");
        decode->setFocus();
        const size_t at = s.view.frame();
        QVERIFY(walkAfter(s.view, [&] { QTest::keyClick(decode, Qt::Key_Space); }));
        QVERIFY(decode->isChecked());
        QCOMPARE(walk->frames[at].byteIndex, s.view.walk()->frames[s.view.frame()].byteIndex);
        QVERIFY(s.view.canvas()->hasFocus());  // a walk gives the keys back to the canvas
        const size_t now = s.view.frame();
        QTest::keyClick(s.view.canvas(), Qt::Key_Space);
        QCOMPARE(s.view.frame(), now + 1);
    }

    // Regression: a parameter change on a Close frame went to the next
    // window's first byte, and at the text's end to the first frame.
    void aParameterChangeKeepsTheCloseFrame() {
        Shown s;
        s.view.show();
        QVERIFY(s.walk(bytesOf(kDefaultStepText), eqinfo()));
        QVERIFY(s.view.walk()->segments.size() >= 3);
        s.view.setFrame(s.view.walk()->segments[1].lastFrame);
        QVERIFY(walkAfter(s.view, [&] { s.view.setMethod(Method::EqualInfoAc, 16, 4); }));
        QCOMPARE(s.view.walk()->params.tokenBits, 4);
        const StepFrame& f = s.view.walk()->frames[s.view.frame()];
        QCOMPARE(f.kind, StepFrame::Kind::Close);
        QCOMPARE(f.segment, uint64_t(1));
        s.view.setFrame(s.view.walk()->frames.size() - 1);  // the text's end
        QVERIFY(walkAfter(s.view, [&] { s.view.setMethod(Method::EqualInfoAc, 16, 8); }));
        QCOMPARE(s.view.frame(), s.view.walk()->frames.size() - 1);
    }

    // Regression: every walk loaded the model from its file (about 0.45 s).
    void walksAfterTheFirstDoNotReload() {
        Shown s;
        s.view.show();
        QVERIFY(!s.view.modelCache().holds(Method::EqualInfoAc, ""));
        QVERIFY(s.walk(bytesOf(kDefaultStepText), eqinfo()));
        QVERIFY(s.view.modelCache().holds(Method::EqualInfoAc, ""));  // the next walk codes with it
    }

    void jumpToWindowLandsOnItsReset() {
        Shown s;
        s.view.resize(1400, 900);  // wide enough for the toolbar to show its jump boxes
        s.view.show();
        QVERIFY(QTest::qWaitForWindowActive(&s.view));
        QVERIFY(s.walk(bytesOf(kDefaultStepText), eqinfo()));
        const auto walk = s.view.walk();
        QVERIFY(walk->segments.size() >= 3);
        s.view.canvas()->setFocus();
        // W focuses the window box; typing the number and Enter jumps.
        QTest::keyClick(s.view.canvas(), Qt::Key_W);
        auto* box = s.view.findChild<QSpinBox*>("stepWindow");
        QVERIFY(box->hasFocus());
        QTest::keyClicks(box, "2");
        QTest::keyClick(box, Qt::Key_Return);
        const StepFrame& f = walk->frames[s.view.frame()];
        QCOMPARE(f.kind, StepFrame::Kind::Reset);
        QCOMPARE(f.segment, uint64_t(2));
        QCOMPARE(s.view.frame(), size_t(walk->segments[2].firstFrame));
        QVERIFY(s.view.canvas()->hasFocus());  // back to stepping
        // And byte N lands on the Code frame of that byte.
        s.view.jumpToByte(10);
        QCOMPARE(walk->frames[s.view.frame()].kind, StepFrame::Kind::Code);
        QCOMPARE(walk->frames[s.view.frame()].byteIndex, uint64_t(10));
    }

    void bitstreamRowShowsTheBitsUpToTheFrame_data() {
        QTest::addColumn<int>("method");
        QTest::addColumn<int>("b");
        QTest::addColumn<int>("k");
        QTest::newRow("eqinfo-ac b=16 k=8") << int(Method::EqualInfoAc) << 16 << 8;
        QTest::newRow("eqinfo-ac b=24 k=4") << int(Method::EqualInfoAc) << 24 << 4;
        QTest::newRow("ac k=8") << int(Method::Ac) << 16 << 8;
        QTest::newRow("static-ac k=5") << int(Method::StaticAc) << 16 << 5;
    }
    void bitstreamRowShowsTheBitsUpToTheFrame() {
        QFETCH(int, method);
        QFETCH(int, b);
        QFETCH(int, k);
        Shown s;
        s.view.resize(1200, 800);
        s.view.show();
        CodecParams p = eqinfo(b, k);
        p.method = Method(method);
        QVERIFY(s.walk(bytesOf(kDefaultStepText), p));
        const auto walk = s.view.walk();
        QCOMPARE(walk->params.method, Method(method));
        BitstreamRow* row = s.view.canvas()->bitstreamRow();
        for (size_t i = 0; i < walk->frames.size(); ++i) {
            s.view.setFrame(i);
            const StepFrame& f = walk->frames[i];
            const size_t end = f.bitBegin + f.emitted.size() + f.padding.size();
            QCOMPARE(row->text(), QString::fromStdString(walk->bits.substr(0, end)));
            QCOMPARE(row->tokensShown(), end / size_t(k));
            QVERIFY(!s.view.canvas()->caption().isEmpty());
        }
        QCOMPARE(row->text(), QString::fromStdString(walk->bits));
        QCOMPARE(row->tokensShown(), walk->tokens().size());
    }

    void captionsAndTheMeterSayWhatHappens() {
        Shown s;
        s.view.show();
        QVERIFY(s.walk(bytesOf(kDefaultStepText), eqinfo()));
        const auto walk = s.view.walk();
        bool sawWhy = false;
        for (size_t i = 0; i < walk->frames.size(); ++i) {
            const StepFrame& f = walk->frames[i];
            s.view.setFrame(i);
            const QString meter = s.view.canvas()->windowMeter()->text();
            const QString caption = s.view.canvas()->caption();
            if (f.kind == StepFrame::Kind::Reset) {
                QCOMPARE(meter, QString("Window %1: %2")
                                    .arg(f.segment)
                                    .arg(f.modelReset ? "coder and M1 context reset" : "coder reset"));
            } else if (f.kind == StepFrame::Kind::Close && f.nextByte >= 0) {
                sawWhy = true;
                // X: what the byte adds to the window's bits (or, unknown, its surprisal); Y: b minus the bits used.
                const QString x =
                    f.bitsWithNext > 0
                        ? QString("at least %1").arg(f.bitsWithNext - f.segmentBitsUsed)
                        : QString("more than %1").arg(f.segmentBits + kWhyClosedSearchBits - f.segmentBitsUsed);
                const QString needs = QString("the next byte %1 needs %2 bits, %3")
                                          .arg(quotedByte(uint8_t(f.nextByte)), x)
                                          .arg(f.segmentBits - f.segmentBitsUsed);
                QVERIFY(f.bitsWithNext == 0 || f.bitsWithNext > f.segmentBits);
                QVERIFY2(meter.contains(needs), qPrintable(meter));
                QVERIFY2(caption.contains("needs " + x + " bits"), qPrintable(caption));
            } else if (f.kind == StepFrame::Kind::Code) {
                QVERIFY2(caption.contains(quotedByte(walk->bytes[f.byteIndex])), qPrintable(caption));
                if (!f.emitted.empty())
                    QVERIFY2(caption.contains(QString::fromStdString(f.emitted)), qPrintable(caption));
            }
        }
        QVERIFY(sawWhy);
    }

    void aByteBeyondTheSearchNeedsMoreThanTheSearch() {
        // No size found within b + kWhyClosedSearchBits: the caption cannot
        // say "at least" its surprisal, only more than what was searched.
        StepThrough walk;
        walk.params.method = Method::EqualInfoAc;
        walk.bytes = bytesOf("ab");
        StepFrame close;
        close.kind = StepFrame::Kind::Close;
        close.byteIndex = 1;
        close.segmentBits = 16;
        close.segmentBitsUsed = 10;
        close.nextByte = 'b';
        close.nextByteBits = 3.5;
        close.bitsWithNext = 0;
        walk.frames.push_back(close);
        const QString more = QString("needs more than %1 bits").arg(16 + kWhyClosedSearchBits - 10);
        QVERIFY2(meterText(walk, 0).contains(more), qPrintable(meterText(walk, 0)));
        QVERIFY2(stepCaption(walk, 0).contains(more), qPrintable(stepCaption(walk, 0)));
        walk.frames[0].bitsWithNext = 25;
        QVERIFY2(meterText(walk, 0).contains("needs at least 15 bits"), qPrintable(meterText(walk, 0)));
    }

    void decodeToggleWalksTheDecoder() {
        Shown s;
        s.view.show();
        QVERIFY(QTest::qWaitForWindowActive(&s.view));
        QVERIFY(s.walk(bytesOf(kDefaultStepText), eqinfo()));
        const auto encoding = s.view.walk();
        QVERIFY(!encoding->decoding);
        s.view.jumpToByte(7);
        s.view.canvas()->setFocus();
        QVERIFY(walkAfter(s.view, [&] { QTest::keyClick(s.view.canvas(), Qt::Key_D); }));
        const auto decoding = s.view.walk();
        QVERIFY(decoding->decoding);
        QVERIFY(s.view.findChild<QCheckBox*>("stepDecode")->isChecked());
        QCOMPARE(decoding->bits, encoding->bits);
        std::vector<uint8_t> found;
        for (const StepFrame& f : decoding->frames)
            if (f.kind == StepFrame::Kind::Code) found.push_back(decoding->bytes[f.byteIndex]);
        QVERIFY(found == encoding->bytes);
        // The toggle keeps the byte shown.
        QCOMPARE(decoding->frames[s.view.frame()].byteIndex, uint64_t(7));
        QVERIFY(s.view.canvas()->caption().contains("decoder"));
    }

    void pdfHandoutHasOnePagePerFrame() {
        Shown s;
        s.view.show();
        QVERIFY(s.walk(bytesOf("Hello, world."), eqinfo()));
        const auto walk = s.view.walk();
        QTemporaryDir dir;
        const QString path = dir.filePath("handout.pdf");
        const int pages = s.view.savePdf(path);
        QCOMPARE(size_t(pages), walk->frames.size());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString pdf = QString::fromLatin1(f.readAll());
        static const QRegularExpression page(R"(/Type\s*/Page(?![a-zA-Z]))");
        QCOMPARE(size_t(pdf.count(page)), walk->frames.size());
        // A cancelled export leaves no file.
        const QString cancelled = dir.filePath("cancelled.pdf");
        QVERIFY_THROWS_EXCEPTION(Cancelled,
                                 s.view.savePdf(cancelled, [](uint64_t done, uint64_t) { return done < 2; }));
        QVERIFY(!QFile::exists(cancelled));
        // And the frame as PNG.
        const QString png = dir.filePath("frame.png");
        s.view.saveFramePng(png);
        QVERIFY(QImage(png).width() > 100);
    }

    void longTextsAreCut() {
        Shown s;
        std::vector<uint8_t> text;
        while (text.size() < kMaxStepBytes + 100) text.insert(text.end(), {'a', 'b', 'c', ' '});
        QVERIFY(s.walk(text, eqinfo(64, 8)));
        QCOMPARE(s.view.walk()->bytes.size(), kMaxStepBytes);
        QVERIFY(s.view.findChild<QLabel*>("stepInfo")->text().contains("cut"));
    }

    void stepThroughSelectionCarriesTheSelectedBytes() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(waitForAnalysis(w));
        w.setMethod(Method::EqualInfoAc, 32, 16);
        QVERIFY(waitForAnalysis(w));
        const std::vector<uint8_t>& text = w.traceModel()->bytes();
        const uint64_t b0 = 40, b1 = 75;
        w.traceModel()->highlightBytes(b0, b1);
        StepView* v = w.stepView();
        QVERIFY(walkAfter(*v, [&] { QTest::keyClick(&w, Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier); }));
        QCOMPARE(w.findChild<QTabWidget*>()->currentIndex(), int(MainWindow::View::Step));
        const std::vector<uint8_t> selected(text.begin() + b0, text.begin() + b1);
        QVERIFY(v->bytes() == selected);
        QVERIFY(v->walk()->bytes == selected);
        QCOMPARE(v->walk()->params.method, Method::EqualInfoAc);
        QCOMPARE(v->walk()->params.windowBits, 32);
        QCOMPARE(v->walk()->params.tokenBits, 16);
        QCOMPARE(v->frame(), size_t(0));

        // Nothing selected: the current window.
        w.showView(MainWindow::View::Explore);
        w.traceModel()->selectSegment(2);
        const Segment& seg = w.traceModel()->trace()->segments[2];
        QVERIFY(walkAfter(*v, [&] { w.stepThroughSelection(); }));
        QVERIFY(v->walk()->bytes == std::vector<uint8_t>(text.begin() + std::ptrdiff_t(seg.byteBegin),
                                                         text.begin() + std::ptrdiff_t(seg.byteEnd)));
    }

    // 1600x1000 pictures of a Code frame, an eqinfo-ac b=16 Close frame and a decode frame, light and dark.
    void screenshots() {
        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        StepView* v = w.stepView();
        QVERIFY(walkAfter(*v, [&] { w.showView(MainWindow::View::Step); }));
        auto walk = v->walk();
        size_t close = 0;
        for (size_t i = 0; i < walk->frames.size() && !close; ++i)
            if (walk->frames[i].kind == StepFrame::Kind::Close && walk->frames[i].nextByte >= 0) close = i;
        QVERIFY(close > 0);
        v->setFrame(walk->frameOfByte(9));
        QVERIFY(w.grab().save(EQLAB_BUILD_DIR "/screenshot-step-code.png"));
        v->setFrame(close);
        QVERIFY(w.grab().save(EQLAB_BUILD_DIR "/screenshot-step-close.png"));
        w.setDark(true);
        QVERIFY(w.grab().save(EQLAB_BUILD_DIR "/screenshot-step-close-dark.png"));
        w.setDark(false);
        QVERIFY(walkAfter(*v, [&] { v->setDecoding(true); }));
        v->jumpToByte(9);
        QVERIFY(w.grab().save(EQLAB_BUILD_DIR "/screenshot-step-decode.png"));
    }
};

QTEST_MAIN(TestStepView)
#include "tst_step_view.moc"
