// Explore as a user drives it, offscreen: the window inspector follows every
// way of selecting a window (text, token strip, chart, Alt+arrows, Go to, the
// longest / shortest / most padded jumps) and says why the window closed;
// the defects users found stay fixed: a chart click selects in every view,
// wide characters take two cells and their bytes name them, stale results
// are marked, single-segment charts are sensible, Ctrl+End reaches the end,
// the token strip's hover lets go, and escapes read on the surprisal colours.
#include <qcustomplot.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProgressBar>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include "base/file_io.h"
#include "bit_chart.h"
#include "char_width.h"
#include "contrast.h"
#include "explore_view.h"
#include "export.h"
#include "go_to_dialog.h"
#include "input_editor.h"
#include "main_window.h"
#include "methods/default_models.h"
#include "summary_panel.h"
#include "text_view.h"
#include "theme.h"
#include "token_strip.h"
#include "trace_model.h"
#include "wait_for_analysis.h"
#include "window_inspector.h"
#include "zoom.h"

using namespace eqlab;
using namespace eqlab::ui;

namespace {

using eqlab::test::waitForAnalysis;

std::vector<uint8_t> utf8(const char* s) {
    return std::vector<uint8_t>(s, s + std::strlen(s));
}

// The action of the window's menus with this shortcut, or null.
QAction* actionWithShortcut(MainWindow& w, const char* keys) {
    for (QAction* a : w.findChildren<QAction*>())
        if (a->shortcut() == QKeySequence(keys)) return a;
    return nullptr;
}

// The segment whose bar and column the chart draws at key i: the centre of
// its bits-used bar in the lower chart, in the plot's pixels.
QPoint lowerBarCentre(BitChart* chart, const Segment& s, int i) {
    QCPAxisRect* r = chart->lowerRect();
    return {int(r->axis(QCPAxis::atBottom)->coordToPixel(i)),
            int(r->axis(QCPAxis::atLeft)->coordToPixel(double(s.bitsUsed) / 2))};
}

void setMethod(MainWindow& w, const char* name) {
    auto* method = w.findChild<QComboBox*>("method");
    method->setCurrentIndex(method->findText(name));
}

}  // namespace

class TestUiExplore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("eqlab-tests");
        QCoreApplication::setApplicationName("tst_ui_explore");
        QSettings().clear();
    }

    // --- Window inspector ---

    void inspectorShowsWhyAWindowClosed() {
        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        QVERIFY(waitForAnalysis(w));
        TraceModel* m = w.traceModel();
        WindowInspector* inspector = w.exploreView()->inspector();
        QVERIFY(inspector->isVisible());
        QCOMPARE(inspector->segment(), int64_t(-1));
        // A window that closed because its next byte did not fit.
        const Trace& t = *m->trace();
        size_t i = 3;
        while (i < t.segments.size() && !(t.segments[i].nextByte >= 0 && t.segments[i].bitsWithNext > 0)) ++i;
        QVERIFY(i < t.segments.size());
        const Segment& s = t.segments[i];
        m->selectSegment(int64_t(i));
        QCOMPARE(inspector->segment(), int64_t(i));
        const QString why = inspector->whyClosedText();
        QVERIFY2(why.contains(QString("costs %1 bits").arg(double(s.nextByteBits), 0, 'f', 1)), qPrintable(why));
        QVERIFY2(why.contains(QString("would need %1 bits of %2").arg(s.bitsWithNext).arg(s.bitsTotal)),
                 qPrintable(why));
        QVERIFY(s.bitsWithNext > s.bitsTotal);
        const QString facts = inspector->factsText();
        QVERIFY2(
            facts.contains(QString("%1 used + %2 padding = %3").arg(s.bitsUsed).arg(s.paddingBits()).arg(s.bitsTotal)),
            qPrintable(facts));
        QVERIFY(facts.contains("Decodes from its own bits:</b> Yes"));
        // One table row per byte, with its surprisal.
        QTableWidget* table = inspector->bytesTable();
        QCOMPARE(uint64_t(table->rowCount()), s.byteEnd - s.byteBegin);
        QCOMPARE(table->item(0, 2)->text(), QString::number(double(t.surprisalBits[s.byteBegin]), 'f', 2));
        QCOMPARE(table->item(0, 0)->text(), QString("%L1").arg(s.byteBegin));

        // The last window closed because the text ended.
        m->selectSegment(int64_t(t.segments.size()) - 1);
        QVERIFY(inspector->whyClosedText().contains("The text ended"));
        QTest::qWait(50);  // the layout and the chart's queued replot
        QVERIFY(w.grab().save(EQLAB_BUILD_DIR "/screenshot-inspector.png"));
    }

    void inspectorExportsTheWindow() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        const TraceModel& m = *w.traceModel();
        const size_t i = 7;
        const Segment& s = m.trace()->segments[i];
        QTemporaryDir dir;
        // CSV: the Studies windows table's header and this window's row.
        saveText(dir.filePath("w.csv"), segmentCsv(m, i));
        QFile csv(dir.filePath("w.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().split('\n');
        QCOMPARE(lines.size(), 3);  // header, the row, and the final newline's empty tail
        QVERIFY(lines[0].startsWith("index,byte_begin,byte_end,bytes,bits_used,padding_bits,tokens"));
        const QList<QByteArray> f = lines[1].split(',');
        QCOMPARE(f[0].toULongLong(), uint64_t(i));
        QCOMPARE(f[1].toULongLong(), s.byteBegin);
        QCOMPARE(f[2].toULongLong(), s.byteEnd);
        QCOMPARE(f[4].toULongLong(), s.bitsUsed);
        QCOMPARE(f[5].toULongLong(), s.paddingBits());
        // JSON: the same fields, the sentence, and every byte.
        saveText(dir.filePath("w.json"), segmentJson(m, i));
        QFile json(dir.filePath("w.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(json.readAll()).object();
        QCOMPARE(o["index"].toInteger(), qint64(i));
        QCOMPARE(o["kind"].toString(), QString("window"));
        QCOMPARE(o["bits_total"].toInteger(), qint64(s.bitsTotal));
        QCOMPARE(o["why_closed"].toString(), whyClosed(m, i));
        const QJsonArray perByte = o["per_byte"].toArray();
        QCOMPARE(uint64_t(perByte.size()), s.byteEnd - s.byteBegin);
        QCOMPARE(perByte[0].toObject()["offset"].toInteger(), qint64(s.byteBegin));
        QCOMPARE(perByte[0].toObject()["surprisal_bits"].toDouble(), double(m.trace()->surprisalBits[s.byteBegin]));
        QCOMPARE(o["tokens"].toArray().size(), qsizetype(s.bitsTotal / 8));
    }

    // ac chunks and DEFLATE blocks: the inspector says what applies.
    void inspectorExplainsChunksAndBlocks_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("kind");
        QTest::newRow("ac") << "ac"
                            << "chunk";
        QTest::newRow("gzip") << "gzip"
                              << "block";
    }
    void inspectorExplainsChunksAndBlocks() {
        QFETCH(QString, method);
        QFETCH(QString, kind);
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        // Random letters: several chunks, and literals enough that zlib ends more than one block.
        std::vector<uint8_t> text;
        uint32_t state = 1;
        while (text.size() < 60000) {
            state = state * 1103515245u + 12345u;
            const uint32_t r = (state >> 16) % 32;
            text.push_back(r < 26 ? uint8_t('a' + r) : uint8_t(' '));
        }
        w.setBytes(text);
        setMethod(w, method.toUtf8().constData());
        QVERIFY(waitForAnalysis(w));
        TraceModel* m = w.traceModel();
        QCOMPARE(QString::fromStdString(m->trace()->segmentKind), kind);
        QVERIFY(m->trace()->segments.size() > 1);
        m->selectSegment(1);
        QTest::qWait(50);
        QVERIFY(w.bitChart()->grab().save(QString(EQLAB_BUILD_DIR "/screenshot-chart-many-%1.png").arg(method)));
        m->selectSegment(0);
        WindowInspector* inspector = w.exploreView()->inspector();
        QCOMPARE(inspector->segment(), int64_t(0));
        QVERIFY(inspector->factsText().contains("Not applicable"));
        QVERIFY2(inspector->whyClosedText().contains(kind == "chunk" ? "independent chunks" : "DEFLATE block"),
                 qPrintable(inspector->whyClosedText()));
        QVERIFY(segmentCsv(*m, 0).startsWith("index,"));
        const QJsonObject o = QJsonDocument::fromJson(segmentJson(*m, 0)).object();
        QCOMPARE(o["kind"].toString(), kind);
        QVERIFY(o["token_only_decodable"].isNull());
        m->selectSegment(int64_t(m->trace()->segments.size()) - 1);
        QVERIFY(inspector->whyClosedText().contains("The text ended"));
    }

    void goToAndJumps() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        TraceModel* m = w.traceModel();
        const Trace& t = *m->trace();
        GoToDialog d(m);
        d.setTarget(GoToDialog::Target::Window, 12);
        d.apply();
        QCOMPARE(m->currentSegment(), int64_t(12));
        d.setTarget(GoToDialog::Target::Byte, 1000);
        d.apply();
        QCOMPARE(m->currentSegment(), m->segmentOfByte(1000));
        QCOMPARE(w.exploreView()->inspector()->segment(), m->segmentOfByte(1000));
        QCOMPARE(d.numberBox()->maximum(), int(m->bytes().size()) - 1);
        QVERIFY(actionWithShortcut(w, "Ctrl+G"));
        // Regression: it opened on window 99 at most (the spin box's range was set after its value).
        QVERIFY2(t.segments.size() > 100, "the default text needs more than 100 windows");
        const int64_t last = int64_t(t.segments.size()) - 1;
        m->selectSegment(last);
        GoToDialog onLast(m);
        QCOMPARE(int64_t(onLast.numberBox()->value()), last);
        // Ctrl+I hides and shows the inspector.
        QAction* toggle = actionWithShortcut(w, "Ctrl+I");
        QVERIFY(toggle);
        toggle->trigger();
        QVERIFY(!w.exploreView()->inspectorVisible());
        toggle->trigger();
        QVERIFY(w.exploreView()->inspectorVisible());

        // The jumps pick the extreme windows, and the menus reach them.
        for (const auto& [keys, pick] : std::vector<std::pair<const char*, std::function<uint64_t(const Segment&)>>>{
                 {"Ctrl+Shift+L", [](const Segment& s) { return s.byteEnd - s.byteBegin; }},
                 {"Ctrl+Shift+M", [](const Segment& s) { return UINT64_MAX - (s.byteEnd - s.byteBegin); }},
                 {"Ctrl+Shift+A", [](const Segment& s) { return s.paddingBits(); }}}) {
            QAction* a = actionWithShortcut(w, keys);
            QVERIFY2(a, keys);
            m->clearHighlight();
            a->trigger();
            const int64_t got = m->currentSegment();
            QVERIFY(got >= 0);
            for (const Segment& s : t.segments) QVERIFY2(pick(s) <= pick(t.segments[size_t(got)]), keys);
        }
    }

    // Two actions on one shortcut make Qt run neither ("ambiguous shortcut").
    void shortcutsAreUnique() {
        MainWindow w;
        // Compares the actions themselves: two actions with the same text may not share a key either.
        QMap<QString, QAction*> owner;
        for (QAction* a : w.findChildren<QAction*>()) {
            for (const QKeySequence& k : a->shortcuts()) {
                const QString keys = k.toString();
                if (owner.contains(keys) && owner[keys] != a)
                    QFAIL(qPrintable(keys + ": " + owner[keys]->text() + " and " + a->text()));
                owner[keys] = a;
            }
        }
        QVERIFY(owner.contains("Ctrl+G"));
    }

    // --- Defects ---

    // Regression: a click on a bar selected the window only in the chart
    // (plottableClick named the surprisal line drawn over the bar), and a
    // second click cleared the highlight.
    void chartClicksSelectInEveryView() {
        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        QVERIFY(waitForAnalysis(w));
        QTest::qWait(50);
        TraceModel* m = w.traceModel();
        const Trace& t = *m->trace();
        BitChart* chart = w.bitChart();
        chart->plot()->replot();
        const QPoint at = lowerBarCentre(chart, t.segments[5], 5);
        QTest::mouseClick(chart->plot(), Qt::LeftButton, {}, at);
        QCOMPARE(m->currentSegment(), int64_t(5));
        QCOMPARE(m->highlight().byteBegin, t.segments[5].byteBegin);
        QCOMPARE(m->highlight().byteEnd, t.segments[5].byteEnd);
        QCOMPARE(w.exploreView()->inspector()->segment(), int64_t(5));
        // Regression: the chart's tooltip was generic help; over a bar it gives the bar's figures.
        const QString tip = chart->tooltipAt(at);
        QVERIFY2(tip.contains("Window 5") && tip.contains(QString("%1 bits used").arg(t.segments[5].bitsUsed)),
                 qPrintable(tip));
        QVERIFY(tip.contains(whyClosed(*m, 5).toHtmlEscaped()));
        QVERIFY(!chart->tooltipAt(QPoint(2, 2)).contains("Window"));
        // Clicking it again keeps it.
        QTest::mouseClick(chart->plot(), Qt::LeftButton, {}, at);
        QCOMPARE(m->currentSegment(), int64_t(5));
        QVERIFY(!m->highlight().empty());
        QCOMPARE(chart->plot()->selectedPlottables().size(), 3);  // its bars: bytes, bits used, padding
        // Alt+Right goes on from there.
        QTest::keyClick(&w, Qt::Key_Right, Qt::AltModifier);
        QCOMPARE(m->currentSegment(), int64_t(6));
        QCOMPARE(m->highlight().byteBegin, t.segments[6].byteBegin);

        // Regression row: a click on the surprisal line over window 8's bar, above.
        const Segment& s8 = t.segments[8];
        const uint64_t b = s8.byteBegin + (s8.byteEnd - s8.byteBegin) / 2;
        const double frac = double(b - s8.byteBegin) / double(s8.byteEnd - s8.byteBegin);
        QCPAxisRect* top = chart->upperRect();
        const QPoint onLine(int(top->axis(QCPAxis::atBottom)->coordToPixel(8 - 0.4 + 0.8 * frac)),
                            int(top->axis(QCPAxis::atRight)->coordToPixel(double(t.surprisalBits[b]))));
        QTest::mouseClick(chart->plot(), Qt::LeftButton, {}, onLine);
        QCOMPARE(m->currentSegment(), int64_t(8));
        QCOMPARE(m->highlight().byteBegin, s8.byteBegin);
    }

    void selectingATokenSelectsItsWindow() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        TraceModel* m = w.traceModel();
        const TokenSpan& tok = m->trace()->tokens[20];
        QTest::mouseClick(w.tokenStrip()->viewport(), Qt::LeftButton, {}, w.tokenStrip()->centreOfToken(20));
        QCOMPARE(m->selectedToken(), int64_t(20));
        QCOMPARE(m->currentSegment(), m->segmentOfBit(tok.bitBegin));
        QCOMPARE(w.exploreView()->inspector()->segment(), m->currentSegment());
        // A click in the text selects the window there.
        const uint64_t b = 300;
        QTest::mouseClick(w.textView()->viewport(), Qt::LeftButton, {}, w.textView()->pointOfByte(b));
        QCOMPARE(m->currentSegment(), m->segmentOfByte(b));
        QCOMPARE(w.exploreView()->inspector()->segment(), m->segmentOfByte(b));
    }

    void wideCharactersTakeTwoCells_data() {
        QTest::addColumn<uint>("codePoint");
        QTest::addColumn<int>("columns");
        QTest::newRow("a") << 0x61u << 1;
        QTest::newRow("e acute") << 0xE9u << 1;
        QTest::newRow("arrow") << 0x2192u << 1;
        QTest::newRow("zhong") << 0x4E2Du << 2;
        QTest::newRow("katakana a") << 0x30A2u << 2;
        QTest::newRow("hangul han") << 0xD55Cu << 2;
        QTest::newRow("ideographic comma") << 0x3001u << 2;
        QTest::newRow("fullwidth exclamation") << 0xFF01u << 2;
        QTest::newRow("grinning face") << 0x1F600u << 2;
        QTest::newRow("rocket") << 0x1F680u << 2;
        QTest::newRow("cjk extension b") << 0x20000u << 2;
        QTest::newRow("halfwidth katakana") << 0xFF71u << 1;
    }
    void wideCharactersTakeTwoCells() {
        QFETCH(uint, codePoint);
        QFETCH(int, columns);
        QCOMPARE(charColumns(char32_t(codePoint)), columns);
    }

    // Regression: CJK characters were squeezed into one cell, overlapping
    // each other and the window bars; the tooltip did not name the character.
    void cjkAndEmojiTextLaysOutInTwoCells() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        const std::vector<uint8_t> text = utf8("a中b😀c日本語です");
        w.setBytes(text);
        QVERIFY(waitForAnalysis(w));
        TextTraceView* v = w.textView();
        const int cw = v->cellWidth();
        // a (1 cell), 中 (2), b (1), 😀 (2), c: byte offsets 0, 1, 4, 5, 9.
        QCOMPARE(v->pointOfByte(1).x() - v->pointOfByte(0).x(), cw);
        QCOMPARE(v->pointOfByte(4).x() - v->pointOfByte(1).x(), 2 * cw);
        QCOMPARE(v->pointOfByte(5).x() - v->pointOfByte(4).x(), cw);
        QCOMPARE(v->pointOfByte(9).x() - v->pointOfByte(5).x(), 2 * cw);
        QCOMPARE(v->byteAt(v->pointOfByte(1) + QPoint(cw, 0)), int64_t(1));  // the right half of 中 is 中
        const QString tip = v->tooltipAt(v->pointOfByte(1));
        QVERIFY2(tip.contains(QString::fromUtf8("byte 1 of 3 of '中' U+4E2D")), qPrintable(tip));
        QVERIFY(v->tooltipAt(v->pointOfByte(5)).contains("U+1F600"));
        QVERIFY(v->font().families().contains("Noto Color Emoji"));
        // Regression: the fallback list began with the alias "Monospace",
        // which was skipped, so the emoji font drew digits and spaces.
        const QFontMetrics fm(v->font());
        QCOMPARE(fm.horizontalAdvance(QStringLiteral("1")), fm.horizontalAdvance(QStringLiteral("M")));
        QCOMPARE(fm.horizontalAdvance(QStringLiteral(" ")), fm.horizontalAdvance(QStringLiteral("M")));
        // A larger picture to look at: the whole mixed text, zoomed in.
        QFile mixed(QString(EQLAB_TEST_DATA) + "/cjk-emoji.txt");
        QVERIFY(mixed.open(QIODevice::ReadOnly));
        const QByteArray more = mixed.readAll();
        w.setBytes(std::vector<uint8_t>(more.begin(), more.end()));
        QVERIFY(waitForAnalysis(w));
        Zoom::instance().setFactor(1.5);
        QTest::qWait(50);
        QVERIFY(v->grab().save(EQLAB_BUILD_DIR "/screenshot-cjk.png"));
        Zoom::instance().reset();
    }

    // Regression: while a new analysis ran, and after a cancel, the previous
    // result stayed on screen unmarked.
    void staleResultsAreMarked() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        SummaryPanel* summary = w.summary();
        QVERIFY(!summary->isStale());
        const QString before = summary->value("bytes");
        std::vector<uint8_t> text = readFile(resourcePath(kSampleTextFile));
        text.resize(10240);
        w.setBytes(text);
        w.runAnalysisNow();
        QVERIFY(summary->isStale());
        QVERIFY2(summary->staleText().contains("previous text"), qPrintable(summary->staleText()));
        QVERIFY(summary->staleText().contains("10,240"));
        QVERIFY(w.traceModel()->stale());
        QVERIFY(!summary->findChild<QLabel*>("bytes")->isEnabled());  // greyed
        // Cancelled: still stale, and says so.
        w.exploreView()->cancel();
        QTest::qWait(200);
        QVERIFY(summary->isStale());
        QVERIFY(summary->staleText().contains("cancelled"));
        QCOMPARE(summary->value("bytes"), before);
        // The new result clears it.
        w.runAnalysisNow();
        QVERIFY(waitForAnalysis(w));
        QVERIFY(!summary->isStale());
        QVERIFY(!w.traceModel()->stale());
        QVERIFY(summary->findChild<QLabel*>("bytes")->isEnabled());
        QCOMPARE(summary->value("bytes"), QString("10,240"));
    }

    // Regression (issue 15, defect 11): when the first analysis failed, or was
    // cancelled, the text view still said "Analysing..."; it says why there is
    // no analysis, the progress bar says "failed", and a good analysis clears it.
    void aFailedAnalysisDoesNotSayAnalysing() {
        QTemporaryDir dir;
        ExploreView v;
        v.resize(1200, 800);
        v.show();
        v.setModelPath(dir.filePath("missing.eqm1"));  // eqinfo-ac needs M1: loading it fails
        v.setBytes(utf8("a text whose analysis fails"));
        QSignalSpy failed(v.worker(), &AnalysisWorker::failed);
        v.runAnalysisNow();
        QCOMPARE(v.textView()->placeholderText(), QString("Analysing..."));
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 60000);
        const QString says = v.textView()->placeholderText();
        QVERIFY2(!says.contains("Analysing"), qPrintable(says));
        QVERIFY2(says.contains("failed") && says.contains("27 bytes"), qPrintable(says));
        const auto labels = v.summary()->findChildren<QLabel*>();
        QVERIFY(std::any_of(labels.begin(), labels.end(),
                            [](const QLabel* l) { return l->text().contains("Analysis failed"); }));
        QCOMPARE(v.findChild<QProgressBar*>()->format(), QString("failed"));
        // Cancelled before any result: says so too.
        v.runAnalysisNow();
        QCOMPARE(v.textView()->placeholderText(), QString("Analysing..."));
        v.cancel();
        QVERIFY2(v.textView()->placeholderText().contains("cancelled"), qPrintable(v.textView()->placeholderText()));
        // A good analysis replaces the message with the text.
        v.setModelPath({});
        QSignalSpy done(v.worker(), &AnalysisWorker::finished);
        v.runAnalysisNow();
        QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty(), 60000);
        QVERIFY(!v.traceModel()->stale());
        QVERIFY(!v.traceModel()->cells().empty());
    }

    // A large paste goes into the editor in pieces (InputEditor), read-only
    // meanwhile; it is analysed once it is all in, and one undo takes it back.
    void aLargePasteGoesInPiecesAndUndoesAtOnce() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        const std::vector<uint8_t> before = w.exploreView()->bytes();
        QString text;
        while (text.size() < 20 * InputEditor::kPieceChars) text += "a line of a large paste\n";
        QApplication::clipboard()->setText(text);
        InputEditor* editor = w.exploreView()->editor();
        editor->setFocus();
        editor->selectAll();
        QSignalSpy loaded(editor, &InputEditor::loaded);
        QTest::keyClick(editor, Qt::Key_V, Qt::ControlModifier);
        QVERIFY(editor->loading());  // not all of it at once
        QVERIFY(editor->isReadOnly());
        QVERIFY(waitForAnalysis(w));
        QCOMPARE(loaded.count(), 1);
        QVERIFY(!editor->isReadOnly());
        QCOMPARE(editor->toPlainText(), text);
        const QByteArray utf8 = text.toUtf8();
        QVERIFY(w.exploreView()->bytes() == std::vector<uint8_t>(utf8.begin(), utf8.end()));
        QTest::keyClick(editor, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(editor->toPlainText().toUtf8(),
                 QByteArray(reinterpret_cast<const char*>(before.data()), qsizetype(before.size())));
        QApplication::clipboard()->clear();
    }

    // A round trip that is cancelled after the coded result showed no longer says "checking...".
    void aStoppedRoundTripSaysSo() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        std::vector<uint8_t> text = readFile(resourcePath(kSampleTextFile));
        text.resize(60000);
        bool cancelledWhileChecking = false;
        connect(w.worker(), &AnalysisWorker::coded, this, [&] {
            w.exploreView()->cancel();
            cancelledWhileChecking = true;
        });
        w.setBytes(text);
        w.runAnalysisNow();
        QTRY_VERIFY_WITH_TIMEOUT(cancelledWhileChecking, 60000);
        QVERIFY2(!w.summary()->value("round trip").contains("checking"), qPrintable(w.summary()->value("round trip")));
        QVERIFY2(w.summary()->value("round trip").contains("not checked"),
                 qPrintable(w.summary()->value("round trip")));
    }

    // The coded text shows before the round trip is checked: the summary says
    // so, then the verdict arrives on the same result (the selection stays).
    void codedResultShowsBeforeTheRoundTrip() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        QSignalSpy coded(w.worker(), &AnalysisWorker::coded);
        QString roundTripWhileCoded;
        int64_t selectedWhenDone = -2;
        // Connected after the view's own slots, so these run once the view has shown each.
        bool pendingWhenCoded = false;
        connect(w.worker(), &AnalysisWorker::coded, this, [&] {
            pendingWhenCoded = w.lastResult()->roundTripPending;
            roundTripWhileCoded = w.summary()->value("round trip");
            w.traceModel()->selectSegment(1);
        });
        connect(w.worker(), &AnalysisWorker::finished, this,
                [&] { selectedWhenDone = w.traceModel()->currentSegment(); });
        std::vector<uint8_t> text = readFile(resourcePath(kSampleTextFile));
        text.resize(3000);
        w.setBytes(text);
        w.runAnalysisNow();
        QVERIFY(waitForAnalysis(w));
        QTest::qWait(50);
        QCOMPARE(coded.count(), 1);
        const auto partial = coded.first().first().value<std::shared_ptr<AnalysisResult>>();
        QVERIFY(pendingWhenCoded);
        QCOMPARE(partial->encoded.inputBytes, uint64_t(3000));
        QVERIFY2(roundTripWhileCoded.contains("checking"), qPrintable(roundTripWhileCoded));
        QVERIFY2(w.summary()->value("round trip").contains("passed"), qPrintable(w.summary()->value("round trip")));
        QCOMPARE(selectedWhenDone, int64_t(1));
        QVERIFY(w.lastResult() == partial && !partial->roundTripPending && partial->roundTripOk);
    }

    // Regression: one segment drew -0.5..0.5 axes, the surprisal line over
    // one bar, "1 chunks", and a legend saying "bytes per window".
    void singleSegmentChartsAreSensible_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("kind");
        QTest::newRow("ac") << "ac"
                            << "chunk";
        QTest::newRow("static-ac") << "static-ac"
                                   << "chunk";
        QTest::newRow("gzip") << "gzip"
                              << "block";
    }
    void singleSegmentChartsAreSensible() {
        QFETCH(QString, method);
        QFETCH(QString, kind);
        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        QVERIFY(waitForAnalysis(w));
        std::vector<uint8_t> text = readFile(resourcePath(kSampleTextFile));
        text.resize(3000);
        w.setBytes(text);
        setMethod(w, method.toUtf8().constData());
        QVERIFY(waitForAnalysis(w));
        const Trace& t = *w.traceModel()->trace();
        QCOMPARE(t.segments.size(), size_t(1));
        QCOMPARE(w.summary()->value("windows"), "1 " + kind);
        BitChart* chart = w.bitChart();
        QVERIFY(chart->emptyText().isEmpty());
        QCPAxis* x = chart->lowerRect()->axis(QCPAxis::atBottom);
        QVERIFY2(x->label().startsWith(kind + " (1 " + kind + ")"), qPrintable(x->label()));
        chart->plot()->replot();
        for (double tick : x->tickVector()) QCOMPARE(tick, std::round(tick));  // whole segments only
        QVERIFY(x->range().lower > -1 && x->range().upper < 1);
        // The surprisal is a profile along the text, not a line over the bar.
        if (!t.surprisalBits.empty()) {
            QVERIFY(chart->showsProfile());
            QCPAxis* bytesAxis = chart->upperRect()->axis(QCPAxis::atBottom);
            QCOMPARE(bytesAxis->range().lower, 0.0);
            QCOMPARE(bytesAxis->range().upper, 3000.0);
        }
        for (int i = 0; i < chart->plot()->legend->itemCount(); ++i) {
            auto* item = qobject_cast<QCPPlottableLegendItem*>(chart->plot()->legend->item(i));
            QVERIFY(item);
            QVERIFY2(!item->plottable()->name().contains("window"), qPrintable(item->plottable()->name()));
        }
        QVERIFY(chart->grab().save(QString(EQLAB_BUILD_DIR "/screenshot-chart-%1.png").arg(method)));
    }

    void methodsWithoutSegmentsSaySo() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        setMethod(w, "bytes");
        QVERIFY(waitForAnalysis(w));
        QVERIFY(w.traceModel()->trace()->segments.empty());
        QVERIFY(w.bitChart()->emptyText().contains("no windows"));
        QVERIFY(w.bitChart()->plot()->isHidden());
        QVERIFY(w.exploreView()->inspector()->factsText().contains("nothing to inspect"));
        setMethod(w, "eqinfo-ac");
        QVERIFY(waitForAnalysis(w));
        QVERIFY(w.bitChart()->emptyText().isEmpty());
        QVERIFY(!w.bitChart()->showsProfile());
    }

    // Regression: Ctrl+End did nothing in the text view.
    void ctrlHomeAndEndReachTheEnds() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        TextTraceView* v = w.textView();
        QScrollBar* bar = v->verticalScrollBar();
        QVERIFY(bar->maximum() > 0);
        v->setFocus();
        QTest::keyClick(v, Qt::Key_End, Qt::ControlModifier);
        QCOMPARE(bar->value(), bar->maximum());
        QTest::keyClick(v, Qt::Key_Home, Qt::ControlModifier);
        QCOMPARE(bar->value(), 0);
    }

    // Regression: a highlight stayed after the mouse left the token strip.
    void leavingTheStripLetsTheHoverGo() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        TraceModel* m = w.traceModel();
        TokenStrip* strip = w.tokenStrip();
        strip->horizontalScrollBar()->setValue(0);
        m->selectToken(3);
        QTest::mouseMove(strip->viewport(), strip->centreOfToken(9));
        QTRY_COMPARE(m->hoveredToken(), int64_t(9));
        QCOMPARE(m->highlight().tokenBegin, size_t(9));
        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(strip->viewport(), &leave);
        QCOMPARE(m->hoveredToken(), int64_t(-1));
        QCOMPARE(m->selectedToken(), int64_t(3));  // the selection stays
        QCOMPARE(m->highlight().tokenBegin, size_t(3));
        QCOMPARE(m->highlight().byteBegin, m->trace()->tokens[3].byteBegin);
    }

    void readableOnPicksContrast_data() {
        QTest::addColumn<QColor>("background");
        QTest::addColumn<QColor>("preferred");
        QTest::newRow("white on near black") << QColor(20, 10, 60) << QColor(Qt::white);
        QTest::newRow("accent on dark") << QColor(40, 10, 80) << QColor(213, 94, 0);
        QTest::newRow("accent on light") << QColor(250, 250, 200) << QColor(213, 94, 0);
        QTest::newRow("grey on grey") << QColor(128, 128, 128) << QColor(120, 120, 120);
    }
    void readableOnPicksContrast() {
        QFETCH(QColor, background);
        QFETCH(QColor, preferred);
        const QColor ink = readableOn(background, preferred);
        QVERIFY(contrastRatio(ink, background) >= kReadableContrast ||
                ink == (contrastRatio(background, Qt::black) > contrastRatio(background, Qt::white)
                            ? QColor(Qt::black)
                            : QColor(Qt::white)));
        if (contrastRatio(preferred, background) >= kReadableContrast) QCOMPARE(ink, preferred);
    }

    // Regression: escapes like \xFF in the accent colour were hard to read on the surprisal colours.
    void escapesReadOnSurprisalColours() {
        MainWindow w;
        w.show();
        QVERIFY(waitForAnalysis(w));
        std::vector<uint8_t> junk;
        for (int i = 0; i < 400; ++i) junk.push_back(uint8_t(i % 3 == 0 ? 0xff : 'a' + i % 26));
        junk.push_back(0);
        w.setBytes(junk);
        QVERIFY(waitForAnalysis(w));
        w.findChild<QComboBox*>("colouring")->setCurrentIndex(1);
        TextTraceView* v = w.textView();
        const Trace& t = *w.traceModel()->trace();
        int escapes = 0;
        for (const Cell& c : w.traceModel()->cells()) {
            if (c.kind != Cell::Escape) continue;
            ++escapes;
            const QColor bg = Theme::current().surprisal(double(t.surprisalBits[c.byte]));
            QVERIFY2(contrastRatio(v->inkAt(c.byte), bg) >= kReadableContrast,
                     qPrintable(QString("byte %1 on %2").arg(c.byte).arg(bg.name())));
        }
        QVERIFY(escapes > 100);
        // On the light window colours the escapes keep the accent colour.
        w.findChild<QComboBox*>("colouring")->setCurrentIndex(0);
        if (!Theme::current().dark) QCOMPARE(v->inkAt(400), Theme::current().accent);
    }
};

QTEST_MAIN(TestUiExplore)
#include "tst_ui_explore.moc"
