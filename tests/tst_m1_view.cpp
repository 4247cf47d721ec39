// The M1 tab: its path fields keep the file name in view (the folders elided,
// the full path in the tooltip), and its chart's tooltip gives the hovered
// point's figures.
#include <qcustomplot.h>

#include <QStandardPaths>
#include <QTest>

#include "m1_view.h"
#include "path_field.h"

using namespace eqlab::ui;

namespace {
const QString kLongPath =
    "/home/lecturer/courses/compression/2024/lecture-notes/week-07/corpora/state-of-the-union-train.txt";
}

class TestM1View : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("eqlab-tests");
        QCoreApplication::setApplicationName("tst_m1_view");
    }

    void elidePathKeepsTheFileName_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("chars");  // the width, in average characters
        QTest::addColumn<QString>("shownEnd");
        QTest::newRow("fits") << "/tmp/a.txt" << 40 << "/tmp/a.txt";
        // Regression: the M1 tab cut the start of its paths off without a mark.
        QTest::newRow("long-path-keeps-file-name") << kLongPath << 45 << "/state-of-the-union-train.txt";
        QTest::newRow("name-alone-too-long") << kLongPath << 12 << "train.txt";
    }

    void elidePathKeepsTheFileName() {
        QFETCH(QString, path);
        QFETCH(int, chars);
        QFETCH(QString, shownEnd);
        const QFontMetrics fm(QApplication::font());
        const int width = chars * fm.averageCharWidth();
        const QString shown = elidePath(path, fm, width);
        QVERIFY2(shown.endsWith(shownEnd), qPrintable(shown));
        QVERIFY2(fm.horizontalAdvance(shown) <= width, qPrintable(shown));
        if (shown != path) QVERIFY2(shown.contains(QChar(0x2026)), qPrintable(shown));
        if (shown != path && shownEnd.startsWith('/')) QVERIFY2(shown.startsWith("/home"), qPrintable(shown));
    }

    void pathFieldsShowTheFileName() {
        M1View v;
        v.setCorpus(kLongPath, kLongPath);
        v.resize(900, 600);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        const auto fields = v.findChildren<PathField*>();
        QCOMPARE(fields.size(), 3);  // corpus, validation, save as
        PathField* corpus = fields.first();
        QCOMPARE(corpus->text(), kLongPath);
        QVERIFY2(corpus->shownText().endsWith("state-of-the-union-train.txt"), qPrintable(corpus->shownText()));
        QVERIFY2(corpus->shownText() != kLongPath, "the field is too narrow for the whole path: it must elide");
        QVERIFY(corpus->toolTip().contains(kLongPath));
        QVERIFY(corpus->toolTip().contains("Training text"));  // the help stays
    }

    void chartTooltipGivesThePointsFigures() {
        M1View v;
        v.resize(900, 600);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        QCustomPlot* plot = v.plot();
        QCPGraph* loss = plot->graph(0);
        QCPGraph* valid = plot->graph(1);
        for (int step = 0; step <= 100; step += 10) loss->addData(step, 4.0 - step / 50.0);
        valid->addData(50, 3.125);
        plot->rescaleAxes();
        plot->replot();
        const QPoint atValid = valid->coordsToPixels(50, 3.125).toPoint();
        const QString tip = v.chartTooltipAt(atValid);
        QVERIFY2(tip.contains("step 50"), qPrintable(tip));
        QVERIFY2(tip.contains("validation: 3.125 bits/byte"), qPrintable(tip));
        QVERIFY2(tip.contains("training loss (smoothed): 3.000 bits/byte"), qPrintable(tip));
        const QPoint atLoss = loss->coordsToPixels(90, 2.2).toPoint();
        const QString lossTip = v.chartTooltipAt(atLoss);
        QVERIFY2(lossTip.contains("step 90") && lossTip.contains("2.200"), qPrintable(lossTip));
        QVERIFY(!lossTip.contains("validation"));                                    // no validation point at step 90
        QVERIFY(v.chartTooltipAt(plot->rect().topLeft() + QPoint(2, 2)).isEmpty());  // nothing near
    }
};

QTEST_MAIN(TestM1View)
#include "tst_m1_view.moc"
