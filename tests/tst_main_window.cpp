// The eqlab window offscreen, end to end: it loads the sample text and
// analyses it on a worker thread; the views show the trace's windows and
// tokens; hovering a token lights up its bytes; selecting text lights up the
// tokens covering it; exports re-read; binary input keeps every byte; a long
// job cancels; containers open; the Compare and M1 views run; closing the
// window during any job (a study's run included) cancels it and joins its thread. Screenshots of the
// main views go to the build folder.
#include <qcustomplot.h>

#include <QAction>
#include <QComboBox>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUrl>
#include <functional>
#include <memory>

#include "background_job.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "bit_chart.h"
#include "compare_view.h"
#include "explore_view.h"
#include "export.h"
#include "m1/m1_format.h"
#include "m1_view.h"
#include "m2/m2_trainer.h"
#include "m2/run_record.h"
#include "m2_view.h"
#include "main_window.h"
#include "methods/codec.h"
#include "methods/container.h"
#include "methods/default_models.h"
#include "models/unigram_model.h"
#include "step_view.h"
#include "studies_view.h"
#include "summary_panel.h"
#include "text_view.h"
#include "theme.h"
#include "token_strip.h"
#include "trace_model.h"
#include "wait_for_analysis.h"

using namespace eqlab;
using namespace eqlab::ui;

namespace {

using eqlab::test::waitForAnalysis;

// Bytes of 'x' whose analysis takes far longer than a test waits for (the
// tiny M1 codes about 30 KB of it per CPU second: some ten minutes on two
// cores), so that only a cancel that reaches the work ends it in time.
constexpr size_t kUncancelledJobBytes = size_t(16) << 20;

std::vector<QStringList> readCsv(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    std::vector<QStringList> rows;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (!line.isEmpty()) rows.push_back(QString::fromUtf8(line).split(','));
    return rows;
}

// What a write cut short leaves behind: the trainers' "*.tmp" files, QSaveFile's
// "name.ext.XXXXXX", or weights that do not load.
QStringList partialFiles(const QString& dir) {
    static const QRegularExpression saveFileTemp(R"(\.[^./]+\.[A-Za-z0-9]{6}$)");
    QStringList found;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString f = it.next();
        if (f.endsWith(".tmp") || saveFileTemp.match(f).hasMatch()) found << f;
        if (f.endsWith(".eqm1")) {
            try {
                m1::M1Weights::load(f.toStdString());
            } catch (const std::exception& e) {
                found << f + " (" + e.what() + ")";
            }
        }
    }
    return found;
}

// The tests that train write their folders into the settings; later tests must not inherit them.
struct ForgetTrainingSettings {
    ~ForgetTrainingSettings() {
        QSettings s;
        s.remove("m1");
        s.remove("m2");
    }
};

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);  // settings and trained models go to a test location
        QCoreApplication::setOrganizationName("eqlab-tests");
        QCoreApplication::setApplicationName("tst_main_window");
        QSettings().clear();
    }

    // Regression: Help > Keyboard shortcuts was written by hand and missed
    // keys (Ctrl+Shift+X, Ctrl+Q, Ctrl+=); it is made from the actions now.
    void shortcutsHelpNamesEveryShortcut() {
        MainWindow w;
        const QString help = w.shortcutsText();
        QList<QAction*> actions = w.stepView()->actions();
        for (QAction* m : w.menuBar()->actions())
            if (m->menu()) actions += m->menu()->actions();
        int checked = 0;
        for (QAction* a : actions) {
            if (a->shortcuts().isEmpty()) continue;
            QString text = a->text().remove('&');
            if (text.endsWith("...")) text.chop(3);
            QStringList keys;
            for (const QKeySequence& k : a->shortcuts()) keys << k.toString(QKeySequence::NativeText);
            const QString line = keys.join(" or ") + ": " + text;
            QVERIFY2(help.contains(line), qPrintable(line + " not in:\n" + help));
            ++checked;
        }
        QVERIFY(checked > 30);
        for (const char* keys : {"Ctrl+Shift+X", "Ctrl+=", "Ctrl+Home"}) QVERIFY2(help.contains(keys), keys);
    }

    void viewsShowTheTrace() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        const auto r = w.lastResult();
        QVERIFY(r && r->roundTripOk);
        QCOMPARE(r->encoded.params.method, Method::EqualInfoAc);
        const Trace& t = r->encoded.trace;
        QVERIFY(t.segments.size() > 100);
        QCOMPARE(w.traceModel()->trace(), &t);
        QCOMPARE(size_t(w.bitChart()->barCount()), t.segments.size());
        QVERIFY(w.textView()->lineCount() > 10);
        QVERIFY(w.summary()->value("round trip").contains("passed"));
        QVERIFY(w.summary()->value("windows").contains(QString("%L1").arg(t.segments.size())));
        QVERIFY(w.summary()->value("tokens").startsWith(QString("%L1").arg(r->encoded.tokens.size())));
        QVERIFY(w.grab().save(EQLAB_BUILD_DIR "/screenshot-explore.png"));
    }

    void methodAndWindowBitsUpdateEveryView() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        const size_t windows16 = w.lastResult()->encoded.trace.segments.size();
        w.findChild<QSpinBox*>("windowBits")->setValue(32);
        QVERIFY(waitForAnalysis(w));
        QCOMPARE(w.lastResult()->encoded.params.windowBits, 32);
        const size_t windows32 = w.lastResult()->encoded.trace.segments.size();
        QVERIFY(windows32 < windows16);
        QCOMPARE(size_t(w.bitChart()->barCount()), windows32);
        for (const Segment& s : w.lastResult()->encoded.trace.segments) QCOMPARE(s.bitsTotal, uint64_t(32));

        auto* method = w.findChild<QComboBox*>("method");
        method->setCurrentIndex(method->findText("gzip"));
        QVERIFY(waitForAnalysis(w));
        QCOMPARE(w.lastResult()->encoded.params.method, Method::Gzip);
        QVERIFY(w.lastResult()->roundTripOk);
        QCOMPARE(w.traceModel()->trace()->tokens.size(), w.lastResult()->encoded.tokens.size());
        method->setCurrentIndex(method->findText("sentencepiece"));
        QVERIFY(waitForAnalysis(w));
        QVERIFY(!w.traceModel()->hasBitstream());
        QVERIFY(w.lastResult()->roundTripOk);
    }

    void hoveringATokenHighlightsItsBytes() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        const Trace& t = *w.traceModel()->trace();
        size_t i = 4;
        while (t.tokens[i].byteBegin == t.tokens[i].byteEnd) ++i;
        w.tokenStrip()->horizontalScrollBar()->setValue(0);
        const QPoint at = w.tokenStrip()->centreOfToken(i);
        QVERIFY(at.x() > 0 && at.x() < w.tokenStrip()->viewport()->width());
        QCOMPARE(w.tokenStrip()->tokenAt(at), int64_t(i));
        QTest::mouseMove(w.tokenStrip()->viewport(), at);
        QTRY_COMPARE(w.traceModel()->currentToken(), int64_t(i));
        const auto& h = w.traceModel()->highlight();
        QCOMPARE(h.byteBegin, t.tokens[i].byteBegin);
        QCOMPARE(h.byteEnd, t.tokens[i].byteEnd);
        QCOMPARE(h.bitBegin, t.tokens[i].bitBegin);

        // Selecting text highlights the tokens that cover it, and only those.
        const uint64_t b0 = 200, b1 = 230;
        QTest::mousePress(w.textView()->viewport(), Qt::LeftButton, {}, w.textView()->pointOfByte(b0));
        QTest::mouseMove(w.textView()->viewport(), w.textView()->pointOfByte(b1 - 1));
        QMouseEvent move(QEvent::MouseMove, QPointF(w.textView()->pointOfByte(b1 - 1)),
                         QPointF(w.textView()->viewport()->mapToGlobal(w.textView()->pointOfByte(b1 - 1))),
                         Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(w.textView()->viewport(), &move);
        QTest::mouseRelease(w.textView()->viewport(), Qt::LeftButton, {}, w.textView()->pointOfByte(b1 - 1));
        const auto& s = w.traceModel()->highlight();
        QCOMPARE(s.byteBegin, b0);
        QCOMPARE(s.byteEnd, b1);
        QVERIFY(s.tokenBegin < s.tokenEnd);
        for (size_t k = s.tokenBegin; k < s.tokenEnd; ++k)
            if (t.tokens[k].byteBegin < t.tokens[k].byteEnd)
                QVERIFY(t.tokens[k].byteBegin < b1 && t.tokens[k].byteEnd > b0);
        QVERIFY(t.tokens[s.tokenBegin - 1].byteEnd <= b0);
        QVERIFY(s.tokenEnd >= t.tokens.size() || t.tokens[s.tokenEnd].byteBegin >= b1 ||
                t.tokens[s.tokenEnd].byteBegin == t.tokens[s.tokenEnd].byteEnd);
    }

    void steppingWindowsAndTokens() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        TraceModel* m = w.traceModel();
        m->stepSegment(+1);
        m->stepSegment(+1);
        m->stepSegment(+1);
        m->stepSegment(-1);
        QCOMPARE(m->currentSegment(), int64_t(1));
        const Segment& s = m->trace()->segments[1];
        QCOMPARE(m->highlight().byteBegin, s.byteBegin);
        QCOMPARE(m->highlight().byteEnd, s.byteEnd);
        QCOMPARE(m->highlight().bitEnd - m->highlight().bitBegin, uint64_t(16));
        m->stepToken(+1);
        m->stepToken(+1);
        QCOMPARE(m->currentToken(), int64_t(1));
        // Clicking a bar of the chart selects that window.
        BitChart* chart = w.bitChart();
        chart->plot()->replot();  // lays the axes out: pixel coordinates are valid from here
        const Segment& s3 = m->trace()->segments[3];
        QCPAxisRect* lower = chart->lowerRect();
        const QPoint bar(int(lower->axis(QCPAxis::atBottom)->coordToPixel(3)),
                         int(lower->axis(QCPAxis::atLeft)->coordToPixel(double(s3.bitsUsed) / 2)));
        QCOMPARE(chart->segmentAt(bar), int64_t(3));
        QTest::mouseClick(chart->plot(), Qt::LeftButton, {}, bar);
        QCOMPARE(m->currentSegment(), int64_t(3));
        QCOMPARE(m->highlight().byteBegin, s3.byteBegin);
        QCOMPARE(m->highlight().byteEnd, s3.byteEnd);
        QCOMPARE(m->highlight().bitBegin, s3.bitBegin);
    }

    void exportsReadBack() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        QTemporaryDir dir;
        const TraceModel& m = *w.traceModel();
        saveText(dir.filePath("windows.csv"), windowsCsv(m));
        const auto rows = readCsv(dir.filePath("windows.csv"));
        QCOMPARE(rows.size(), m.trace()->segments.size() + 1);
        QCOMPARE(rows[0][0], QString("index"));
        for (size_t i = 0; i < m.trace()->segments.size(); ++i) {
            const Segment& s = m.trace()->segments[i];
            QCOMPARE(rows[i + 1][1].toULongLong(), s.byteBegin);
            QCOMPARE(rows[i + 1][2].toULongLong(), s.byteEnd);
            QCOMPARE(rows[i + 1][5].toULongLong(), s.bitsUsed);
            QCOMPARE(rows[i + 1][6].toULongLong(), s.paddingBits());
        }
        saveText(dir.filePath("tokens.csv"), tokensCsv(m));
        const auto tokens = readCsv(dir.filePath("tokens.csv"));
        QCOMPARE(tokens.size(), m.trace()->tokens.size() + 1);
        QCOMPARE(tokens[5][1].toUInt(), m.trace()->tokens[4].value);
        saveText(dir.filePath("bytes.csv"), bytesCsv(m));
        QCOMPARE(readCsv(dir.filePath("bytes.csv")).size(), m.bytes().size() + 1);
        saveText(dir.filePath("analysis.json"), analysisJson(m));
        QFile json(dir.filePath("analysis.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(json.readAll()).object();
        QCOMPARE(o["tokens"].toInteger(), qint64(m.trace()->tokens.size()));
        QVERIFY(o["round_trip_ok"].toBool());
        savePlot(w.bitChart()->plot(), dir.filePath("bits.png"));
        savePlot(w.bitChart()->plot(), dir.filePath("bits.pdf"));
        QVERIFY(QImage(dir.filePath("bits.png")).width() >= 640);
        QFile pdf(dir.filePath("bits.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        // A write that cannot happen leaves nothing behind and says why.
        QVERIFY_THROWS_EXCEPTION(IoError, saveText(dir.filePath("missing/dir/x.csv"), "x"));
    }

    void binaryInputKeepsEveryByte() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        std::vector<uint8_t> junk = {'a', 0, 0xff, 0xc3, 0xa9, 0xe2, 0x82, '\n', 0x1b, 0xf0, 0x9f, 0x98, 0x80, 'z'};
        for (int i = 0; i < 300; ++i) junk.push_back(uint8_t(i * 37));
        w.setBytes(junk);
        QVERIFY(waitForAnalysis(w));
        QVERIFY(w.lastResult()->roundTripOk);
        QCOMPARE(w.lastResult()->encoded.inputBytes, uint64_t(junk.size()));
        QVERIFY(w.traceModel()->bytes() == junk);
        QVERIFY(w.findChild<QPlainTextEdit*>("editor")->isReadOnly());
        const auto& cells = w.traceModel()->cells();
        QCOMPARE(cells[1].kind, Cell::Escape);  // NUL
        QCOMPARE(cells[1].display(), QString("\\x00"));
        QCOMPARE(cells[2].display(), QString("\\xFF"));
        QCOMPARE(cells[3].display(), QString::fromUtf8("\xc3\xa9"));
        QCOMPARE(cells[4].kind, Cell::Escape);  // a truncated 3-byte sequence
        size_t covered = 0;
        for (const Cell& c : cells) covered += c.length;
        QCOMPARE(covered, junk.size());
    }

    void tokensSplittingCharactersAreMarked() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        QByteArray text;
        for (int i = 0; i < 60; ++i) text += "naïve café 日本語 ";
        w.setBytes(std::vector<uint8_t>(text.begin(), text.end()));
        QVERIFY(waitForAnalysis(w));
        const TraceModel& m = *w.traceModel();
        int split = 0;
        for (size_t i = 0; i < m.trace()->tokens.size(); ++i) {
            if (!m.tokenSplitsCharacter(i)) continue;
            ++split;
            const TokenSpan& s = m.trace()->tokens[i];
            QVERIFY(!m.startsCharacter(s.byteBegin) || !m.startsCharacter(s.byteEnd));
        }
        QVERIFY(split > 0);
    }

    void largeInputIsAnalysedInPartAndSaysSo() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        std::vector<uint8_t> big;
        const std::vector<uint8_t> sample = readFile(resourcePath(kSampleTextFile));
        while (big.size() < (3u << 20)) big.insert(big.end(), sample.begin(), sample.end());
        const std::shared_ptr<const AnalysisResult> before = w.lastResult();
        // The event loop keeps running while the analysis works: the worker's
        // reports reach the window (through the event loop) while it is busy.
        int reportsWhileBusy = 0;
        connect(w.worker(), &AnalysisWorker::progressText, this, [&] { reportsWhileBusy += w.worker()->busy(); });
        w.setBytes(big);
        // Setting 3 MB returns before the analysis: its result can only arrive through the event loop.
        QCOMPARE(w.lastResult(), before);
        QVERIFY(waitForAnalysis(w));
        QVERIFY(w.lastResult() != before);
        QVERIFY(reportsWhileBusy > 0);
        QCOMPARE(w.lastResult()->encoded.inputBytes, uint64_t(64 << 10));
        QVERIFY(w.summary()->value("bytes").contains("first part"));
    }

    void cancelLeavesWindowUsable() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        QSignalSpy done(w.worker(), &AnalysisWorker::finished);
        QSignalSpy failed(w.worker(), &AnalysisWorker::failed);
        QSignalSpy text(w.worker(), &AnalysisWorker::progressText);
        const int runsBefore = BackgroundJob::liveRuns();
        // Longer than the wait below, unless cancelled: a cancel that does
        // not reach the work leaves its thread running and fails here.
        w.worker()->start(std::vector<uint8_t>(kUncancelledJobBytes, 'x'), CodecParams{}, QString());
        QVERIFY(text.wait(60000));  // it runs (M1 loaded, coding under way)
        QCOMPARE(BackgroundJob::liveRuns(), runsBefore + 1);
        w.worker()->cancel();
        QVERIFY(!w.worker()->busy());
        QCOMPARE(text.last().at(0).toString(), QString("cancelled"));
        QTRY_COMPARE_WITH_TIMEOUT(BackgroundJob::liveRuns(), runsBefore, 60000);  // the work has returned
        QCoreApplication::processEvents();
        QCOMPARE(done.count(), 0);  // the cancelled job reports nothing
        QCOMPARE(failed.count(), 0);
        w.worker()->start(std::vector<uint8_t>{'o', 'k'}, CodecParams{}, QString());
        QVERIFY(done.wait(60000));
        QVERIFY(w.lastResult()->roundTripOk);
    }

    void containersOpenWithTheirParameters() {
        QTemporaryDir dir;
        const std::vector<uint8_t> text = readFile(resourcePath(kSampleTextFile));
        CodecParams p;
        p.method = Method::EqualInfoAc;
        p.windowBits = 32;
        p.tokenBits = 16;
        const ModelSet models = loadModelsFor(p.method, "");
        const Encoded e = encode(text.data(), 3000, p, models);
        writeFile(dir.filePath("t.eqlc").toStdString(), writeContainer(e, models));
        MainWindow w;
        w.show();
        QVERIFY(w.openFile(dir.filePath("t.eqlc")));
        QVERIFY(waitForAnalysis(w));
        QCOMPARE(w.lastResult()->encoded.params.windowBits, 32);
        QCOMPARE(w.lastResult()->encoded.params.tokenBits, 16);
        QVERIFY(w.traceModel()->bytes() == std::vector<uint8_t>(text.begin(), text.begin() + 3000));
        QVERIFY(w.lastResult()->encoded.tokens == e.tokens);
    }

    // Saving a container names the models the shown analysis was coded with,
    // even when the model field has changed since (and its analysis is pending).
    void savedContainersNameTheAnalysedModel() {
        QTemporaryDir dir;
        const std::string other = dir.filePath("other.equg").toStdString();
        const std::string skew(4096, 'z');  // a unigram nothing like the default one
        UnigramModel::fit(reinterpret_cast<const uint8_t*>(skew.data()), skew.size(), "z").save(other);
        MainWindow w;
        w.show();
        auto* method = w.findChild<QComboBox*>("method");
        method->setCurrentIndex(method->findText("static-ac"));
        QVERIFY(waitForAnalysis(w));
        QCOMPARE(w.lastResult()->encoded.params.method, Method::StaticAc);
        w.setModelPath(QString::fromStdString(other));  // schedules an analysis, not yet run
        const QString path = dir.filePath("saved.eqlc");
        w.exploreView()->saveContainer(path);
        const std::vector<uint8_t> bytes = readFile(path.toStdString());
        const Container c = readContainer(bytes.data(), bytes.size());
        QVERIFY(decode(c.encoded, c.models()) == w.traceModel()->bytes());
    }

    // A long container decodes on a job: openFile returns at once, the event
    // loop keeps running, the side panel shows progress, and Esc cancels,
    // leaving the text as it was (and analysed again).
    void openingAContainerKeepsTheWindowUsable() {
        QTemporaryDir dir;
        const std::vector<uint8_t> sample = readFile(resourcePath(kSampleTextFile));
        std::vector<uint8_t> text;
        while (text.size() < (128u << 10)) text.insert(text.end(), sample.begin(), sample.end());
        CodecParams p;
        p.method = Method::EqualInfoAc;
        const ModelSet models = loadModelsFor(p.method, "");
        EncodeOptions o;
        o.threads = std::max(1, QThread::idealThreadCount());
        writeFile(dir.filePath("long.eqlc").toStdString(),
                  writeContainer(encode(text.data(), text.size(), p, models, o), models));
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(waitForAnalysis(w));
        BackgroundJob* decoder = w.exploreView()->decoder();
        QVERIFY(w.openFile(dir.filePath("long.eqlc")));
        QVERIFY(decoder->busy());  // openFile returned with the decoding still to do
        auto* bar = w.exploreView()->findChild<QProgressBar*>();
        QVERIFY(bar);
        // The event loop keeps running while the decoder works: its progress
        // reaches the bar (through the event loop) while it is busy.
        QTRY_VERIFY_WITH_TIMEOUT(bar->value() > 0, 60000);
        QVERIFY2(decoder->busy(), "decoding ended before it could be cancelled");
        QVERIFY(w.grab().save(EQLAB_BUILD_DIR "/screenshot-decoding.png"));
        QTest::keyClick(&w, Qt::Key_Escape);
        QVERIFY(!decoder->busy());
        QVERIFY(waitForAnalysis(w));  // the text that stayed is analysed again
        QVERIFY(w.traceModel()->bytes() == sample);
        QCOMPARE(w.windowTitle(), QString("eqlab"));
    }

    // A file dropped on the window (or on the editor) opens it.
    void droppedFilesOpen() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        QTemporaryDir dir;
        const QString path = dir.filePath("dropped.txt");
        saveText(path, "dropped text, exactly as bytes: \xc3\xa9\n");
        for (QWidget* target : {static_cast<QWidget*>(&w), w.findChild<QPlainTextEdit*>("editor")->viewport()}) {
            QMimeData mime;
            mime.setUrls({QUrl::fromLocalFile(path)});
            QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(target, &enter);
            QVERIFY(enter.isAccepted());
            QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(target, &drop);
            QVERIFY(waitForAnalysis(w));
            const QByteArray want = "dropped text, exactly as bytes: \xc3\xa9\n";
            QVERIFY(w.traceModel()->bytes() == std::vector<uint8_t>(want.begin(), want.end()));
            w.setBytes({'x'});
            QVERIFY(waitForAnalysis(w));
        }
    }

    void darkThemeRestylesCharts() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        w.traceModel()->selectSegment(5);
        w.setDark(true);
        QCOMPARE(w.bitChart()->plot()->axisRect(0)->backgroundBrush().color(), Theme::current().background);
        QVERIFY(Theme::current().dark);
        auto* colouring = w.findChild<QComboBox*>("colouring");
        colouring->setCurrentIndex(1);
        QCOMPARE(w.textView()->colouring(), TextTraceView::Colouring::Surprisal);
        QTest::qWait(50);
        QVERIFY(w.grab().save(EQLAB_BUILD_DIR "/screenshot-explore-dark.png"));
        w.setDark(false);
    }

    void compareViewRunsEveryMethod() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        w.showView(MainWindow::View::Compare);
        QSignalSpy done(w.compareView(), &CompareView::finished);
        w.compareView()->run();
        QVERIFY(done.wait(300000));
        QTableWidget* table = w.compareView()->table();
        QCOMPARE(table->rowCount(), 9);
        for (int r = 0; r < table->rowCount(); ++r)
            QVERIFY2(!table->item(r, 1)->text().startsWith("error"), qPrintable(table->item(r, 1)->text()));
        QCOMPARE(table->item(0, 1)->text(), QString("1.000"));  // bytes: one byte per token
        // The window sweep compresses more as b grows.
        QVERIFY(table->item(5, 1)->text().toDouble() < table->item(8, 1)->text().toDouble());
        QTemporaryDir dir;
        saveText(dir.filePath("compare.csv"), tableCsv(table));
        QCOMPARE(readCsv(dir.filePath("compare.csv")).size(), size_t(10));
        saveTable(table, dir.filePath("compare.json"));
        QFile json(dir.filePath("compare.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonArray rows = QJsonDocument::fromJson(json.readAll()).array();
        QCOMPARE(rows.size(), 9);
        QCOMPARE(rows[0].toObject()["method"].toString(), QString("bytes"));
        QCOMPARE(rows[0].toObject()["bytes/token v=256"].toDouble(), 1.0);
        QVERIFY(w.grab().save(EQLAB_BUILD_DIR "/screenshot-compare.png"));
    }

    // The regressions: Compare showed an empty chart until "Run comparison"
    // was clicked, its last column stretched across the table, and its
    // progress text did not fit its bar.
    void compareRunsWhenShownAndSaysWhatItDoes() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        CompareView* c = w.compareView();
        QVERIFY(!c->busy());  // not shown yet: nothing runs
        QVERIFY2(c->chartMessage().contains("F5"), qPrintable(c->chartMessage()));
        QSignalSpy done(c, &CompareView::finished);
        w.showView(MainWindow::View::Compare);
        QVERIFY(c->busy());  // shown for a text it has not compared: it runs by itself
        QVERIFY2(c->chartMessage().contains("every method"), qPrintable(c->chartMessage()));
        QVERIFY(done.wait(300000));
        QCOMPARE(c->table()->rowCount(), 9);
        QVERIFY(c->chartMessage().isEmpty());
        // Shown again for the same text: the table stays, nothing reruns.
        w.showView(MainWindow::View::Explore);
        w.showView(MainWindow::View::Compare);
        QVERIFY(!c->busy());
        // Columns as wide as their contents: the last does not fill the table.
        QTableWidget* table = c->table();
        QVERIFY(!table->horizontalHeader()->stretchLastSection());
        const int last = table->columnCount() - 1;
        QVERIFY2(table->columnWidth(last) < table->viewport()->width() / 4,
                 qPrintable(QString("the last column is %1 of %2 pixels")
                                .arg(table->columnWidth(last))
                                .arg(table->viewport()->width())));
        // The progress bar says what it did, inside the bar, and the longest status fits too.
        QProgressBar* bar = c->progressBar();
        QVERIFY2(bar->text().startsWith("done in"), qPrintable(bar->text()));
        QVERIFY(bar->fontMetrics().horizontalAdvance("eqinfo-ac b=128 · loading M1 · 99% · about 10 min left") <
                bar->width());
        // Cancelled before any row: the chart says how to start it again.
        c->run();
        c->cancel();
        QVERIFY2(c->chartMessage().contains("F5"), qPrintable(c->chartMessage()));
        QCOMPARE(bar->text(), QString("cancelled"));
    }

    // The regressions: two runs of one method had one name and one colour in
    // the list, the legend, the read-out and the CSV; the baselines were not
    // in the legend; a run whose curve ended above the unigram was marked
    // "(learned)".
    void learnabilityTellsRunsApart() {
        QTemporaryDir dir;
        const std::string method = "eqinfo-ac[b=16,v=256]";
        auto makeRun = [&](const QString& folder, const std::string& started, std::vector<double> bitsPerToken) {
            const std::string runDir = dir.filePath(folder).toStdString();
            QVERIFY(QDir().mkpath(QString::fromStdString(runDir)));
            m2::RunRecord r;
            r.name = r.method = method;
            r.corpus = "sotu-train.txt";
            r.started = started;
            r.tokensPerWindow = 2;
            r.base = {8.0, 3.0, 8.0, 3.0};
            std::string log = m2::logHeader(2);
            for (size_t i = 0; i < bitsPerToken.size(); ++i) {
                m2::EvalPoint p;
                p.step = int64_t(25 * (i + 1));
                p.seconds = double(i + 1);
                p.validBitsPerToken = bitsPerToken[i];
                p.validBitsPerByte = bitsPerToken[i] / 2.7;
                p.accuracyByPosition = {0.1, 0.2};
                log += m2::logRow(p);
            }
            m2::writeRunRecord(runDir, r);
            writeFile(runDir + "/log.csv", reinterpret_cast<const uint8_t*>(log.data()), log.size());
        };
        makeRun("a", "2025-12-01T14:03:27", {8.5, 7.5, 8.2});  // dipped below the unigram, ends above it
        makeRun("b", "2025-12-01T14:03:51", {8.5, 7.6, 7.5});  // ends below it
        M2View v;
        v.setRunsDir(dir.path());
        QCOMPARE(v.runs().size(), size_t(2));
        const M2Run &a = v.runs()[0], &b = v.runs()[1];
        QCOMPARE(a.name, QString("eqinfo-ac[b=16,v=256] · sotu-train · 12-01 14:03:27"));
        QCOMPARE(b.name, QString("eqinfo-ac[b=16,v=256] · sotu-train · 12-01 14:03:51"));
        auto* list = v.findChild<QListWidget*>("m2Runs");
        QVERIFY2(list->item(0)->text().endsWith("(learned at its best step)"), qPrintable(list->item(0)->text()));
        QVERIFY2(list->item(1)->text().endsWith("(learned)"), qPrintable(list->item(1)->text()));
        auto swatch = [&](int i) { return list->item(i)->icon().pixmap(12, 12).toImage().pixelColor(6, 6); };
        QVERIFY(swatch(0) != swatch(1));
        // The legend: each run by its name and colour, the baselines and the best-point mark by what they are.
        QStringList legend;
        std::vector<QColor> lineColours;
        for (int i = 0; i < v.lossPlot()->legend->itemCount(); ++i)
            if (auto* item = qobject_cast<QCPPlottableLegendItem*>(v.lossPlot()->legend->item(i))) {
                legend << item->plottable()->name();
                if (item->plottable()->name() == a.name || item->plottable()->name() == b.name)
                    lineColours.push_back(item->plottable()->pen().color());
            }
        for (const QString& want : {a.name, b.name, QString("uniform baseline (log2 v)"), QString("unigram baseline"),
                                    QString("best validation (lowest bits/token)")})
            QVERIFY2(legend.contains(want), qPrintable(legend.join(" | ")));
        QCOMPARE(lineColours.size(), size_t(2));
        QVERIFY(lineColours[0] != lineColours[1]);
        QCOMPARE(lineColours[0], swatch(0));
        // Each run's best point is ringed: one single-point graph per run.
        int marks = 0;
        for (int i = 0; i < v.lossPlot()->graphCount(); ++i) {
            QCPGraph* g = v.lossPlot()->graph(i);
            if (g->scatterStyle().shape() == QCPScatterStyle::ssCircle && g->dataCount() == 1) {
                ++marks;
                QVERIFY(g->data()->at(0)->value == 7.5);
            }
        }
        QCOMPARE(marks, 2);
    }

    void m1ViewTrainsAndLoadsTheResult() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        w.showView(MainWindow::View::M1);
        M1View* v = w.m1View();
        v->setBudget(0, 6);
        QSignalSpy done(v, &M1View::finished);
        v->start();
        QVERIFY(done.wait(300000));
        const QString status = v->findChild<QLabel*>("status")->text();
        QVERIFY2(done.first().first().toBool(), qPrintable(status));
        // Fine-tuning the tiny M1 (context 64) clamps the default 256-byte sequences, and says so.
        QVERIFY2(status.contains("Sequences of 64 bytes: the model's context."), qPrintable(status));
        QVERIFY(v->points() >= 6);
        QVERIFY(w.grab().save(EQLAB_BUILD_DIR "/screenshot-m1.png"));
    }

    void smoothingIsBiasCorrected() {
        const std::vector<double> flat = smoothSeries({2.0, 2.0, 2.0, 2.0}, 0.9);
        for (double v : flat) QVERIFY(std::abs(v - 2.0) < 1e-12);  // no pull towards 0 at the start
        const std::vector<double> raw = smoothSeries({1.0, 3.0}, 0.0);
        QCOMPARE(raw[1], 3.0);
        const std::vector<double> s = smoothSeries({1.0, 3.0}, 0.5);
        QVERIFY(std::abs(s[1] - (0.25 * 1.0 + 0.5 * 3.0) / 0.75) < 1e-12);
    }

    void learnabilityTabTrainsAndDrawsCurves() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        w.showView(MainWindow::View::M2);
        QTemporaryDir dir;
        M2View* v = w.m2View();
        v->setRunsDir(dir.filePath("runs"));
        v->setCorpus(QString::fromStdString(resourcePath(kSampleTextFile)));
        v->setBudget(0.05);
        v->setSize(32, 1);
        QSignalSpy done(v, &M2View::finished);
        v->train({"eqinfo-ac[b=16,v=256]"});
        QVERIFY(done.wait(300000));
        QVERIFY2(done.first().first().toBool(), qPrintable(v->findChild<QLabel*>("m2Status")->text()));
        QCOMPARE(v->runs().size(), size_t(1));
        const M2Run& run = v->runs()[0];
        QVERIFY(run.points.size() >= 2);
        QCOMPARE(run.tokensPerWindow, 2);
        QVERIFY(run.base.unigramBitsPerToken > 0 && run.base.uniformBitsPerToken == 8.0);
        QVERIFY(v->lossPlot()->graphCount() >= 2);     // raw + smoothed
        QVERIFY(v->lossPlot()->itemCount() >= 2);      // the two baselines
        QCOMPARE(v->positionPlot()->graphCount(), 2);  // two token positions per 16-bit window
        QVERIFY(w.grab().save(EQLAB_BUILD_DIR "/screenshot-m2.png"));
        // Resume: with the same budget there is nothing left to train, and
        // the view says so; a longer budget continues the same run.
        const size_t before = run.points.size();
        v->resume(run.dir);
        QVERIFY(done.wait(300000));
        const QString status = v->findChild<QLabel*>("m2Status")->text();
        QVERIFY2(status.contains("already trained"), qPrintable(status));
        QCOMPARE(v->runs()[0].points.size(), before);
        v->setBudget(0.1);
        v->resume(run.dir);
        QVERIFY(done.wait(300000));
        QCOMPARE(v->runs().size(), size_t(1));
        QVERIFY(v->runs()[0].points.size() > before);
        QVERIFY(v->runs()[0].points.back().seconds > run.points[before - 1].seconds);
        // The run is on disk and reopens.
        M2View reopened;
        reopened.setRunsDir(dir.filePath("runs"));
        QCOMPARE(reopened.runs().size(), size_t(1));
        QCOMPARE(reopened.runs()[0].points.size(), v->runs()[0].points.size());
    }

    // Closing the window while a job runs cancels it and joins its thread:
    // no worker outlives the window, and nothing half-written is left in the
    // output folder. Each row starts one kind of job and closes mid-job.
    void closingTheWindowMidJobJoinsIt_data() {
        QTest::addColumn<QString>("job");
        for (const char* job :
             {"analysis", "compare", "m1 training", "m2 training", "m2 dataset build", "container decoding", "study"})
            QTest::newRow(job) << QString(job);
    }
    void closingTheWindowMidJobJoinsIt() {
        QFETCH(QString, job);
        const ForgetTrainingSettings forget;
        QTemporaryDir out, in;
        QVERIFY(out.isValid() && in.isValid());
        auto w = std::make_unique<MainWindow>();
        w->show();
        QVERIFY(waitForAnalysis(*w));  // the sample's analysis: nothing runs now
        QCOMPARE(BackgroundJob::liveRuns(), 0);
        const std::vector<uint8_t> sample = readFile(resourcePath(kSampleTextFile));
        auto repeated = [&](size_t n) {
            std::vector<uint8_t> v;
            while (v.size() < n) v.insert(v.end(), sample.begin(), sample.end());
            v.resize(n);
            return v;
        };
        std::function<bool()> started, running;  // the job has made progress; it is still going
        std::unique_ptr<QSignalSpy> spy;
        if (job == "analysis") {
            spy = std::make_unique<QSignalSpy>(w->worker(), &AnalysisWorker::progress);
            started = [&spy] { return !spy->isEmpty(); };
            running = [&w] { return w->worker()->busy(); };
            w->worker()->start(repeated(4 << 20), CodecParams{}, QString());
        } else if (job == "compare") {
            w->showView(MainWindow::View::Compare);
            w->compareView()->setInput(repeated(CompareView::kMaxBytes), QString());
            started = [&w] { return w->compareView()->table()->rowCount() > 0; };
            running = [&w] { return w->compareView()->busy(); };
            w->compareView()->run();
        } else if (job == "m1 training") {
            w->showView(MainWindow::View::M1);
            M1View* v = w->m1View();
            v->setOutput(out.filePath("m1.eqm1"));
            v->setBudget(/*minutes=*/0, /*steps=*/1000000);
            started = [v] { return v->points() > 0; };
            running = [v] { return v->busy(); };
            v->start();
        } else if (job.startsWith("m2")) {
            w->showView(MainWindow::View::M2);
            M2View* v = w->m2View();
            v->setRunsDir(out.filePath("runs"));  // datasets go beside it, in out/m2-datasets
            v->setBudget(/*minutes=*/10);
            v->setSize(32, 1);
            if (job == "m2 training") {
                v->setCorpus(QString::fromStdString(resourcePath(kSampleTextFile)));
                started = [v] { return !v->runs().empty() && !v->runs()[0].points.empty(); };
            } else {
                writeFile(in.filePath("corpus.txt").toStdString(), repeated(4 << 20));
                v->setCorpus(in.filePath("corpus.txt"));
                started = [v] { return v->findChild<QLabel*>("m2Status")->text().contains("Building the dataset"); };
            }
            running = [v] { return v->busy(); };
            v->train({"eqinfo-ac[b=16,v=256]"});
        } else if (job == "container decoding") {
            CodecParams p;
            p.method = Method::EqualInfoAc;
            const ModelSet models = loadModelsFor(p.method, "");
            const std::vector<uint8_t> text = repeated(128 << 10);
            EncodeOptions o;
            o.threads = std::max(1, QThread::idealThreadCount());
            writeFile(in.filePath("t.eqlc").toStdString(),
                      writeContainer(encode(text.data(), text.size(), p, models, o), models));
            spy = std::make_unique<QSignalSpy>(w->exploreView()->decoder(), &BackgroundJob::progress);
            started = [&spy] { return !spy->isEmpty(); };
            running = [&w] { return w->exploreView()->decoder()->busy(); };
            QVERIFY(w->openFile(in.filePath("t.eqlc")));
        } else if (job == "study") {
            w->showView(MainWindow::View::Studies);
            StudiesView* s = w->studiesView();
            s->setText(repeated(2 << 20), "big.txt");
            s->setMaxBytes(0);  // all of it: the run lasts
            QVERIFY(s->showStudy("window-sweep"));
            StudyPage* page = s->currentPage();
            started = [page] { return page->progressBar()->value() > 0; };
            running = [page] { return page->busy(); };
            page->run();
        } else {
            QFAIL("unknown job");
        }
        QTRY_VERIFY_WITH_TIMEOUT(started(), 60000);
        QVERIFY2(running(), "the job ended before the window closed: the row would test nothing");
        QVERIFY(BackgroundJob::liveRuns() > 0);

        w->close();
        QVERIFY(!w->isVisible());  // gone at once; the close completes once every job's thread has ended
        QTRY_VERIFY_WITH_TIMEOUT(!w->closing(), 60000);
        QCOMPARE(BackgroundJob::liveRuns(), 0);  // closing joined every worker
        QCOMPARE(BackgroundJob::liveThreads(), 0);
        w.reset();
        QCOMPARE(BackgroundJob::liveRuns(), 0);
        const QStringList partial = partialFiles(out.path());
        QVERIFY2(partial.isEmpty(), qPrintable(partial.join(", ")));
        QTest::qWait(50);  // anything a worker had still queued would run (and crash) here
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
