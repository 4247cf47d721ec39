// The Studies tab offscreen, end to end: Ctrl+6 opens it with Explore's
// text; a page runs its study on a small text with the tiny M1 and fills
// its table and chart; both export; the segmentation thresholds recompute
// their rows live, without a run; the windows table's double-click shows the
// window in Explore; bad input is reported on the page, never in a dialog;
// the last page is remembered. (Closing mid-run: tst_main_window.)
#include <qcustomplot.h>

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

#include "background_job.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "m2/run_record.h"
#include "m2_view.h"
#include "main_window.h"
#include "methods/default_models.h"
#include "studies/position_accuracy_page.h"
#include "studies/segmentation_strip.h"
#include "studies/segmentations_page.h"
#include "studies/stability_page.h"
#include "studies/study_widgets.h"
#include "studies/window_sweep_page.h"
#include "studies/windows_page.h"
#include "studies_view.h"
#include "trace_model.h"

using namespace eqlab;
using namespace eqlab::ui;

namespace {

std::vector<uint8_t> sampleHead(size_t n) {
    std::vector<uint8_t> s = readFile(resourcePath(kSampleTextFile));
    s.resize(std::min(n, s.size()));
    return s;
}

// Runs `page` and waits for its run to end; returns whether it succeeded.
bool runAndWait(StudyPage* page, int ms = 300000) {
    QSignalSpy done(page, &StudyPage::finished);
    page->run();
    if (done.isEmpty() && !done.wait(ms)) return false;
    return done.first().first().toBool();
}

QString status(const StudyPage* page) {
    return page->statusLabel()->text();
}

constexpr size_t kRecutTextBytes = 128 << 10;  // long enough that a re-cut outlasts the b slider's debounce

int csvLines(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return -1;
    return int(f.readAll().count('\n'));
}

}  // namespace

class TestStudiesView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("eqlab-tests");
        QCoreApplication::setApplicationName("tst_studies_view");
        QSettings().clear();
    }

    void ctrl6OpensTheStudiesWithExploresText() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        auto* tabs = w.findChild<QTabWidget*>();
        QVERIFY(tabs);
        QTest::keyClick(&w, Qt::Key_6, Qt::ControlModifier);
        QCOMPARE(tabs->currentWidget(), static_cast<QWidget*>(w.studiesView()));
        QCOMPARE(tabs->tabText(tabs->currentIndex()), QString("Studies"));
        StudiesView* s = w.studiesView();
        QCOMPARE(s->source(), StudiesView::Source::Explore);
        QVERIFY(*s->text() == w.exploreView()->bytes());
        QVERIFY(!s->text()->empty());
        QCOMPARE(s->studyNames().size(), 8);
        for (const QString& name : s->studyNames()) {
            QVERIFY(s->showStudy(name));
            QCOMPARE(s->currentPage()->name(), name);
        }
        QVERIFY(!s->showStudy("no-such-study"));
    }

    // A file opened (or dropped) while the Studies tab is shown becomes "Explore's text" at once.
    void exploresTextFollowsAFileOpenedOnTheStudiesTab() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.showView(MainWindow::View::Studies);
        StudiesView* s = w.studiesView();
        QCOMPARE(s->source(), StudiesView::Source::Explore);
        QTemporaryDir dir;
        const QString path = dir.filePath("dropped.txt");
        const std::string text = "a text opened while the Studies tab is shown\n";
        writeFile(path.toStdString(), std::vector<uint8_t>(text.begin(), text.end()));
        QVERIFY(w.openFile(path));
        QCOMPARE(w.findChild<QTabWidget*>()->currentWidget(), static_cast<QWidget*>(s));
        QVERIFY(*s->text() == std::vector<uint8_t>(text.begin(), text.end()));
        QVERIFY2(s->findChild<QLabel*>("studyText")->text().contains(QString::number(text.size())),
                 qPrintable(s->findChild<QLabel*>("studyText")->text()));
    }

    // One page end to end: Ctrl+R runs it on a small text with the tiny M1;
    // the table has a row per encoding, the chart a line per vocabulary and
    // the paper's points; both export.
    void windowSweepRunsAndExports() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.showView(MainWindow::View::Studies);
        StudiesView* s = w.studiesView();
        s->setText(sampleHead(3000), "head.txt");
        QVERIFY(s->showStudy("window-sweep"));
        auto* page = static_cast<WindowSweepPage*>(s->currentPage());
        page->setWindowBits("16, 32, 64");
        page->setTokenBits("8");
        QSignalSpy done(page, &StudyPage::finished);
        QTest::keyClick(&w, Qt::Key_R, Qt::ControlModifier);
        QVERIFY(page->busy());
        QVERIFY(done.wait(300000));
        QVERIFY2(done.first().first().toBool(), qPrintable(status(page)));
        QVERIFY2(status(page).contains("3,000 bytes of head.txt"), qPrintable(status(page)));
        QCOMPARE(page->progressBar()->value(), StudyPage::kProgressMax);
        QVERIFY(page->progressBar()->format().startsWith("done in"));
        QTableWidget* table = page->table();
        QCOMPARE(table->rowCount(), 3);
        QCOMPARE(table->item(0, 0)->text(), QString("16"));
        QCOMPARE(table->item(2, 0)->text(), QString("64"));
        QCOMPARE(table->item(0, 4)->text(), QString("2.66"));  // the paper's figure beside ours
        // More bits per window, more bytes per token.
        QVERIFY(table->item(0, 3)->text().toDouble() < table->item(2, 3)->text().toDouble());
        QCustomPlot* plot = page->plot();
        QCOMPARE(plot->graphCount(), 2);  // eqlab's line and the paper's points, v = 256
        QCOMPARE(plot->graph(0)->dataCount(), 3);
        QCOMPARE(plot->graph(1)->dataCount(), 3);  // the paper has b = 16, 32, 64

        QTemporaryDir dir;
        page->saveChart(dir.filePath("sweep.png"));
        QVERIFY(QImage(dir.filePath("sweep.png")).width() >= 640);
        page->saveChart(dir.filePath("sweep.pdf"));
        QFile pdf(dir.filePath("sweep.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        page->saveTable(dir.filePath("sweep.csv"));
        QCOMPARE(csvLines(dir.filePath("sweep.csv")), 4);  // header + 3 rows
        page->saveTable(dir.filePath("sweep.json"));
        QFile json(dir.filePath("sweep.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonArray rows = QJsonDocument::fromJson(json.readAll()).array();
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows[1].toObject()["b"].toDouble(), 32.0);
        QVERIFY(w.grab().save(EQLAB_BUILD_DIR "/screenshot-studies.png"));
    }

    // Bad input is said on the page, in its status line; nothing runs, nothing crashes.
    void badInputIsReportedOnThePage() {
        StudiesView s;
        auto* page = static_cast<WindowSweepPage*>(s.page("window-sweep"));
        s.setText({}, "empty.txt");
        QVERIFY(!runAndWait(page));
        QVERIFY2(status(page).contains("the text is empty"), qPrintable(status(page)));
        s.setText(sampleHead(200), "short.txt");
        page->setWindowBits("16, sixteen");
        QVERIFY(!runAndWait(page));
        QVERIFY2(status(page).contains("sixteen"), qPrintable(status(page)));
        QVERIFY(!page->busy());
        page->setWindowBits("24");
        page->setTokenBits("16");  // b = 24 is no multiple of k = 16: no valid combination
        QVERIFY(!runAndWait(page));
        QVERIFY(status(page).startsWith("<b>Failed:</b>"));
        QTRY_COMPARE(BackgroundJob::liveRuns(), 0);  // a run's thread ends just after it reports
    }

    // The reset study's grouped bars: a redraw (a theme change) adds no bars group to the chart.
    void resetBarsRedrawWithOneGroup() {
        StudiesView s;
        s.setText(sampleHead(600), "head.txt");
        StudyPage* page = s.page("reset");
        QVERIFY2(runAndWait(page), qPrintable(status(page)));
        QCOMPARE(page->plot()->plottableCount(), 2);  // eqlab's bars and the paper's
        page->restyle();
        page->restyle();
        QCOMPARE(page->plot()->plottableCount(), 2);
        QCOMPARE(page->plot()->findChildren<QCPBarsGroup*>().size(), 1);
    }

    // The windows page's termination and M1 reset reach the study; shortest with a reset other than every
    // window is refused in the status line.
    void windowsTerminationAndReset() {
        StudiesView s;
        s.setText(sampleHead(400), "head.txt");
        auto* page = static_cast<WindowsPage*>(s.page("windows"));
        auto* termination = page->findChild<QComboBox*>("termination");
        auto* reset = page->findChild<QComboBox*>("m1Reset");
        QVERIFY(termination && reset);
        reset->setCurrentIndex(reset->findData(2u));
        QVERIFY2(runAndWait(page), qPrintable(status(page)));
        QCOMPARE(page->result()->params.m1Reset, 2u);
        QVERIFY2(status(page).contains("reset=2"), qPrintable(status(page)));
        termination->setCurrentIndex(termination->findData(int(CodecParams::Termination::Shortest)));
        QVERIFY(!runAndWait(page));
        QVERIFY2(status(page).contains("distinct termination"), qPrintable(status(page)));
        reset->setCurrentIndex(reset->findData(1u));
        QVERIFY2(runAndWait(page), qPrintable(status(page)));
        QVERIFY(page->result()->params.termination == CodecParams::Termination::Shortest);
        QVERIFY(s.page("token-meaning")->findChild<QComboBox*>("termination"));
        QVERIFY(!s.page("token-meaning")->findChild<QComboBox*>("m1Reset"));
    }

    // Stability compares the ticked methods and the labels typed under them; a label that cannot be read,
    // or a SentencePiece model that cannot be, is said in the status line.
    void stabilityTakesMoreMethodsAndTheSentencePieceModel() {
        StudiesView s;
        auto* page = static_cast<StabilityPage*>(s.page("stability"));
        auto* methods = page->findChild<MethodChecks*>();
        QVERIFY(methods);
        for (const CodecParams& p : defaultStudyMethods())
            methods->setChecked(QString::fromStdString(p.label()), p.method == Method::Bytes);
        methods->setMoreMethods("eqinfo-ac[b=32], bytes");  // bytes is ticked already: compared once
        QVERIFY2(runAndWait(page), qPrintable(status(page)));
        QCOMPARE(page->result()->methods.size(), size_t(2));
        QCOMPARE(page->result()->methods[0].method, std::string("bytes"));
        QCOMPARE(page->result()->methods[1].method, CodecParams::fromLabel("eqinfo-ac[b=32]").label());
        methods->setMoreMethods("eqinfo-ac[b=32, nonsense");
        QVERIFY(!runAndWait(page));
        QVERIFY2(status(page).contains("more methods:"), qPrintable(status(page)));
        methods->setMoreMethods("sentencepiece");
        s.setSpModelPath("/no/such/dir/pieces.model");
        QVERIFY(!runAndWait(page));
        QVERIFY2(status(page).contains("pieces.model"), qPrintable(status(page)));
        s.setSpModelPath({});
        QVERIFY2(runAndWait(page), qPrintable(status(page)));  // the bundled SentencePiece model
    }

    // The entropy rows follow the threshold sliders at once, from the run's
    // entropies: no job starts; the b slider re-runs the study.
    void segmentationThresholdsRecomputeLive() {
        StudiesView s;
        s.setText(sampleHead(1500), "head.txt");
        auto* page = static_cast<SegmentationsPage*>(s.page("segmentations"));
        QVERIFY2(runAndWait(page), qPrintable(status(page)));
        auto meanOf = [page](const QString& prefix) {
            for (const SegmentationRow& r : page->rows())
                if (QString::fromStdString(r.name).startsWith(prefix)) return r.meanBytes;
            return -1.0;
        };
        QSignalSpy runs(page, &StudyPage::finished);
        QTRY_COMPARE(BackgroundJob::liveRuns(), 0);  // the run's thread has ended: any run now would be new
        QSlider* threshold = page->thresholdSlider();
        threshold->setValue(threshold->minimum());  // 0 bits: nearly every byte starts a patch
        QVERIFY(!page->busy());
        QCOMPARE(BackgroundJob::liveRuns(), 0);
        const double low = meanOf("entropy >");
        threshold->setValue(threshold->maximum());  // 8 bits: no entropy exceeds it, one patch
        QVERIFY(!page->busy());
        const double high = meanOf("entropy >");
        QCOMPARE(high, 1500.0);
        QVERIFY2(low < high && low >= 1.0, qPrintable(QString("%1 -> %2").arg(low).arg(high)));
        QCOMPARE(page->strip()->rows().size(), page->rows().size());
        for (size_t r = 0; r < page->rows().size(); ++r) {  // the strip draws what the table says
            QCOMPARE(page->strip()->rows()[r].name, page->rows()[r].name);
            QVERIFY(page->strip()->rows()[r].starts == page->rows()[r].starts);
        }
        bool shown = false;
        for (int r = 0; r < page->table()->rowCount(); ++r)
            shown = shown || (page->table()->item(r, 0)->text() == "entropy > 8.0" &&
                              page->table()->item(r, 2)->text() == "1500.00");
        QVERIFY(shown);
        const double riseBefore = meanOf("entropy rise");
        page->riseSlider()->setValue(0);
        QVERIFY(!page->busy());
        QVERIFY(meanOf("entropy rise") <= riseBefore);
        QTest::qWait(600);  // past the b slider's debounce: nothing was scheduled
        QVERIFY(runs.isEmpty());
        // The b slider cuts the Equal-Info row again on the job, after a pause; the other rows stay.
        page->windowBitsSlider()->setValue(page->windowBitsSlider()->value() + 2);
        QVERIFY(!page->busy());
        QTRY_VERIFY_WITH_TIMEOUT(!runs.isEmpty(), 300000);
        QVERIFY2(runs.last().first().toBool(), qPrintable(status(page)));
        QCOMPARE(page->rows().front().name.rfind("eqinfo-ac[b=32", 0), size_t(0));
        QCOMPARE(page->rows()[1].name, std::string("entropy > 8.0"));
        QVERIFY(page->result()->rows.front().meanBytes < page->rows().front().meanBytes);
    }

    // A b slider move while a re-cut is in flight re-cuts again (it does not start a whole run).
    void aSecondSliderMoveRecutsAgain() {
        StudiesView s;
        std::vector<uint8_t> text;
        const std::vector<uint8_t> sample = sampleHead(SIZE_MAX);
        while (text.size() < kRecutTextBytes) text.insert(text.end(), sample.begin(), sample.end());
        s.setText(text, "long.txt");
        s.setMaxBytes(kRecutTextBytes);
        auto* page = static_cast<SegmentationsPage*>(s.page("segmentations"));
        QVERIFY2(runAndWait(page), qPrintable(status(page)));
        QTRY_COMPARE(BackgroundJob::liveRuns(), 0);
        QSlider* b = page->windowBitsSlider();
        QSignalSpy runs(page, &StudyPage::finished);
        b->setValue(b->value() + 1);
        QTRY_VERIFY_WITH_TIMEOUT(page->busy(), 5000);  // the first re-cut, after the debounce
        b->setValue(b->value() + 1);                   // its own debounce ends while the first still runs
        QTRY_VERIFY_WITH_TIMEOUT(runs.size() == 1 && !page->busy(), 300000);
        QVERIFY2(runs.first().first().toBool(), qPrintable(status(page)));
        QVERIFY2(status(page).startsWith(QString("Equal-Info windows cut again at b = %1 ").arg(b->value() * 8)),
                 qPrintable(status(page)));
    }

    // Double-clicking a window of the table shows it in Explore, selected.
    void windowsDoubleClickShowsExplore() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTRY_VERIFY_WITH_TIMEOUT(w.traceModel()->trace() != nullptr, 120000);
        w.showView(MainWindow::View::Studies);
        StudiesView* s = w.studiesView();
        s->setMaxBytes(2048);
        QVERIFY(s->showStudy("windows"));
        auto* page = static_cast<WindowsPage*>(s->currentPage());
        QVERIFY2(runAndWait(page), qPrintable(status(page)));
        QTableView* view = page->view();
        QVERIFY(view->model()->rowCount() > 10);
        // Sorted by bytes, longest first; then filtered to windows with padding.
        view->sortByColumn(WindowTableModel::Bytes, Qt::DescendingOrder);
        const uint64_t longest = view->model()->index(0, WindowTableModel::Bytes).data().toULongLong();
        QVERIFY(longest >= view->model()->index(1, WindowTableModel::Bytes).data().toULongLong());
        view->sortByColumn(WindowTableModel::Index, Qt::AscendingOrder);
        page->findChild<QSpinBox*>("minPadding")->setValue(1);
        for (int r = 0; r < view->model()->rowCount(); ++r)
            QVERIFY(view->model()->index(r, WindowTableModel::Padding).data().toULongLong() >= 1);
        page->findChild<QSpinBox*>("minPadding")->setValue(0);
        QTemporaryDir dir;
        page->saveTable(dir.filePath("windows.csv"));
        QCOMPARE(csvLines(dir.filePath("windows.csv")), view->model()->rowCount() + 1);
        QCOMPARE(page->shownCsv(), QByteArray::fromStdString(windowRowsCsv(page->result()->rows)));  // core's CSV
        page->findChild<QLineEdit*>("windowText")->setText("e");
        const int shown = view->model()->rowCount();
        QVERIFY(shown > 0 && shown < int(page->result()->rows.size()));
        page->saveTable(dir.filePath("windows.json"));
        QFile json(dir.filePath("windows.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonArray rows = QJsonDocument::fromJson(json.readAll()).array();
        QCOMPARE(rows.size(), shown);  // the shown rows only
        for (const QJsonValue& r : rows) QVERIFY(r.toObject()["text"].toString().contains("e", Qt::CaseInsensitive));
        page->findChild<QLineEdit*>("windowText")->clear();
        page->saveTable(dir.filePath("all.json"));
        QFile all(dir.filePath("all.json"));
        QVERIFY(all.open(QIODevice::ReadOnly));
        const QJsonObject last = QJsonDocument::fromJson(all.readAll()).array().last().toObject();
        QVERIFY(last["next_byte"].isNull());  // the stream ended: unknown, as eqlab-cli writes it
        QVERIFY(last["bits_with_next"].isNull());
        QVERIFY(last.contains("token_only_decodable"));

        const QModelIndex third = view->model()->index(3, WindowTableModel::Text);
        const uint64_t b0 = view->model()->index(3, WindowTableModel::Begin).data().toULongLong();
        const uint64_t b1 = view->model()->index(3, WindowTableModel::End).data().toULongLong();
        view->scrollTo(third);
        QSignalSpy jumped(page, &WindowsPage::jumpToWindow);
        const QPoint at = view->visualRect(third).center();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);  // an item view takes a double-click after a press
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(jumped.count(), 1);
        QCOMPARE(w.findChild<QTabWidget*>()->currentWidget(), static_cast<QWidget*>(w.exploreView()));
        // The same text and parameters in Explore: the very window is selected.
        QCOMPARE(w.traceModel()->currentSegment(), int64_t(3));
        QCOMPARE(w.traceModel()->highlight().byteBegin, b0);
        QCOMPARE(w.traceModel()->highlight().byteEnd, b1);
    }

    // A window of another text than Explore's: Explore takes that text, analyses it, then selects.
    // The text is the one the table was computed from, even when the studies' text changed since.
    void windowsOfAnotherTextOpenInExplore() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTRY_VERIFY_WITH_TIMEOUT(w.traceModel()->trace() != nullptr, 120000);
        w.showView(MainWindow::View::Studies);
        StudiesView* s = w.studiesView();
        std::vector<uint8_t> other(900, 'a');
        for (size_t i = 0; i < other.size(); ++i) other[i] = uint8_t("the other text "[i % 15]);
        s->setText(other, "other.txt");
        QVERIFY(s->showStudy("windows"));
        auto* page = static_cast<WindowsPage*>(s->currentPage());
        QVERIFY2(runAndWait(page), qPrintable(status(page)));
        QVERIFY(*page->resultText() == other);
        // The user picks another text after the run: the table still belongs to other.txt.
        s->setSource(StudiesView::Source::Sample);
        QVERIFY(*s->text() != other);
        const WindowRow row = page->result()->rows[2];
        QTableView* view = page->view();
        const QModelIndex third = view->model()->index(2, WindowTableModel::Text);
        view->scrollTo(third);
        const QPoint at = view->visualRect(third).center();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(w.findChild<QTabWidget*>()->currentWidget(), static_cast<QWidget*>(w.exploreView()));
        QTRY_COMPARE_WITH_TIMEOUT(w.traceModel()->highlight().byteBegin, row.byteBegin, 120000);
        QCOMPARE(w.traceModel()->highlight().byteEnd, row.byteEnd);
        QVERIFY(w.exploreView()->bytes() == other);
        QCOMPARE(w.traceModel()->currentSegment(), int64_t(2));
    }

    // A run's accuracy by position (a hand-made log: position 1 reaches half
    // its final accuracy at step 10, position 2 at step 30), then the run in
    // the Learnability tab.
    void positionAccuracyReadsARunAndOpensItInLearnability() {
        QTemporaryDir dir;
        const QString run = dir.filePath("hand-made");
        QVERIFY(QDir().mkpath(run));
        std::string csv = m2::logHeader(/*positions=*/2);
        const std::vector<std::vector<double>> accuracy = {{0.2, 0.05}, {0.4, 0.1}, {0.4, 0.3}};
        for (size_t i = 0; i < accuracy.size(); ++i) {
            m2::EvalPoint p;
            p.step = int64_t(10 * (i + 1));
            p.accuracyByPosition = accuracy[i];
            csv += m2::logRow(p);
        }
        writeFile((run + "/log.csv").toStdString(), std::vector<uint8_t>(csv.begin(), csv.end()));
        m2::RunRecord record;
        record.name = "hand-made";
        record.method = "eqinfo-ac[b=16,v=256]";
        record.status = "finished";
        m2::writeRunRecord(run.toStdString(), record);

        MainWindow w;
        w.show();
        w.showView(MainWindow::View::Studies);
        auto* page = static_cast<PositionAccuracyPage*>(w.studiesView()->page("position-accuracy"));
        QVERIFY(!runAndWait(page));  // no run chosen yet: said on the page
        QVERIFY2(status(page).contains("no run chosen"), qPrintable(status(page)));
        page->setRunDir(run);
        QVERIFY2(runAndWait(page), qPrintable(status(page)));
        QCOMPARE(page->table()->rowCount(), 3);
        QCOMPARE(page->table()->item(2, 2)->text(), QString("0.3000"));
        QCOMPARE(page->plot()->graphCount(), 2);  // one line per position
        const QString note = page->findChild<QLabel*>("note")->text();
        QVERIFY2(note.contains("in the order 1, 2"), qPrintable(note));
        QVERIFY(note.contains("The paper"));
        page->findChild<QPushButton*>("openInLearnability")->click();
        QCOMPARE(w.findChild<QTabWidget*>()->currentWidget(), static_cast<QWidget*>(w.m2View()));
        QCOMPARE(QFileInfo(w.m2View()->currentRunDir()), QFileInfo(run));
    }

    void theLastPageIsRemembered() {
        {
            MainWindow w;
            w.show();
            w.showView(MainWindow::View::Studies);
            QVERIFY(w.studiesView()->showStudy("uniformity"));
            w.close();
        }
        MainWindow again;
        QCOMPARE(again.studiesView()->currentPage()->name(), QString("uniformity"));
        QVERIFY(again.studiesView()->showStudy("window-sweep"));
        again.close();
    }

    // Esc cancels the run in flight; the page says so and runs again after.
    void escCancelsTheRun() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.showView(MainWindow::View::Studies);
        StudiesView* s = w.studiesView();
        std::vector<uint8_t> big;
        const std::vector<uint8_t> sample = sampleHead(SIZE_MAX);
        while (big.size() < (2u << 20)) big.insert(big.end(), sample.begin(), sample.end());
        s->setText(big, "big.txt");
        s->setMaxBytes(0);
        QVERIFY(s->showStudy("window-sweep"));
        StudyPage* page = s->currentPage();
        page->run();
        QTRY_VERIFY_WITH_TIMEOUT(page->progressBar()->value() > 0, 60000);
        QVERIFY2(page->busy(), "the run ended before it could be cancelled");
        QTest::keyClick(&w, Qt::Key_Escape);
        QVERIFY(!page->busy());
        QVERIFY(status(page).contains("Cancelled"));
        QTRY_COMPARE_WITH_TIMEOUT(BackgroundJob::liveRuns(), 0, 5000);  // the run's thread heard the cancel and ended
        s->setMaxBytes(1000);
        QVERIFY2(runAndWait(page), qPrintable(status(page)));
        QVERIFY(status(page).contains("the first 1,000 of"));
    }
};

QTEST_MAIN(TestStudiesView)
#include "tst_studies_view.moc"
