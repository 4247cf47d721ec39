// Presenter mode: one zoom (Ctrl++ / Ctrl+- / Ctrl+0) scales the application
// font, the text, the token strip and every chart's fonts and lines together
// and is kept in the settings; F11 toggles full screen; high contrast
// (Ctrl+Shift+K) changes the theme's colours and survives the dark toggle.
#include <qcustomplot.h>

#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include "bit_chart.h"
#include "m1_view.h"
#include "main_window.h"
#include "text_view.h"
#include "theme.h"
#include "token_strip.h"
#include "wait_for_analysis.h"
#include "zoom.h"

using namespace eqlab::ui;

namespace {

using eqlab::test::waitForAnalysis;

double appPoints() {
    return QApplication::font().pointSizeF();
}

}  // namespace

class TestPresenter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("eqlab-tests");
        QCoreApplication::setApplicationName("tst_presenter");
        QSettings().clear();
        basePoints_ = appPoints();
    }

    void cleanup() {
        Zoom::instance().reset();
        Theme::setHighContrast(false);
        Theme::setDark(false);
        QSettings().clear();
    }

    void zoomScalesEveryViewTogether() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(waitForAnalysis(w));
        QCustomPlot* bits = w.bitChart()->plot();
        QCustomPlot* m1 = w.m1View()->plot();
        const double tickAt100 = bits->xAxis->tickLabelFont().pointSizeF();
        const double lossPenAt100 = m1->graph(0)->pen().widthF();
        const int stripAt100 = w.tokenStrip()->minimumHeight();
        QCOMPARE(tickAt100, basePoints_);

        QTest::keyClick(&w, Qt::Key_Plus, Qt::ControlModifier);  // 110%
        QTest::keyClick(&w, Qt::Key_Plus, Qt::ControlModifier);  // 125%
        QCOMPARE(Zoom::instance().factor(), 1.25);
        QCOMPARE(appPoints(), basePoints_ * 1.25);
        QCOMPARE(w.textView()->font().pointSizeF(), basePoints_ * 1.25);  // monospace, same size
        QCOMPARE(bits->xAxis->tickLabelFont().pointSizeF(), basePoints_ * 1.25);
        QCOMPARE(bits->yAxis->labelFont().pointSizeF(), basePoints_ * 1.25);
        QCOMPARE(m1->xAxis->tickLabelFont().pointSizeF(), basePoints_ * 1.25);
        QCOMPARE(m1->graph(0)->pen().widthF(), lossPenAt100 * 1.25);
        QVERIFY(w.tokenStrip()->minimumHeight() > stripAt100);

        QTest::keyClick(&w, Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(Zoom::instance().factor(), 1.0);
        QCOMPARE(appPoints(), basePoints_);
        QCOMPARE(bits->xAxis->tickLabelFont().pointSizeF(), basePoints_);
        QCOMPARE(m1->graph(0)->pen().widthF(), lossPenAt100);  // restyled twice, scaled once
        QCOMPARE(w.tokenStrip()->minimumHeight(), stripAt100);

        QTest::keyClick(&w, Qt::Key_Minus, Qt::ControlModifier);
        QCOMPARE(Zoom::instance().factor(), 0.9);
        QCOMPARE(bits->xAxis->tickLabelFont().pointSizeF(), basePoints_ * 0.9);
        Zoom::instance().setFactor(1.75);
        w.close();  // saves the settings
        QCOMPARE(QSettings().value("view/zoom").toDouble(), 1.75);
    }

    // Regression: eqlab --zoom / --high-contrast were applied after the window
    // was built, and views that measure their fonts once (the Step tab's text
    // field) kept the saved zoom's sizes.
    void startOptionsComeBeforeTheViewsAndOverTheSettings() {
        QSettings().setValue("view/zoom", 1.0);
        QSettings().setValue("view/highContrast", false);
        MainWindow::StartOptions start;
        start.zoom = 1.75;
        start.highContrast = true;
        MainWindow w(start);
        QCOMPARE(Zoom::instance().factor(), 1.75);
        QVERIFY(Theme::current().highContrast);
        auto* editor = w.findChild<QPlainTextEdit*>("stepText");
        QVERIFY(editor);
        QCOMPARE(editor->maximumHeight(), QFontMetrics(editor->font()).lineSpacing() * 2 + 14);
        QCOMPARE(editor->font().pointSizeF(), basePoints_ * 1.75);
    }

    void zoomIsRestoredFromTheSettings() {
        QSettings().setValue("view/zoom", 1.5);
        MainWindow w;
        QCOMPARE(Zoom::instance().factor(), 1.5);
        QCOMPARE(appPoints(), basePoints_ * 1.5);
        QCOMPARE(w.m1View()->plot()->yAxis->tickLabelFont().pointSizeF(), basePoints_ * 1.5);
    }

    void stylingTwiceScalesOnce() {
        Zoom::instance().setFactor(1.5);
        QCustomPlot plot;
        QCPGraph* g = plot.addGraph();
        g->setPen(QPen(Qt::red, 2));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
        Theme::current().stylePlot(&plot);
        Theme::current().stylePlot(&plot);
        QCOMPARE(g->pen().widthF(), 3.0);
        QCOMPARE(g->scatterStyle().size(), 9.0);
        g->setPen(QPen(Qt::red, 1));  // set afresh by a view: the new width at 100%
        Theme::current().stylePlot(&plot);
        QCOMPARE(g->pen().widthF(), 1.5);
        Theme::setHighContrast(true);
        Theme::current().stylePlot(&plot);
        QCOMPARE(g->pen().widthF(), 1.5 * Theme::kHighContrastLines);
    }

    void zoomStopsAtItsLimits() {
        for (int i = 0; i < 20; ++i) Zoom::instance().zoomIn();
        QCOMPARE(Zoom::instance().factor(), Zoom::kSteps.back());
        for (int i = 0; i < 20; ++i) Zoom::instance().zoomOut();
        QCOMPARE(Zoom::instance().factor(), Zoom::kSteps.front());
    }

    void f11TogglesFullScreen() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(!(w.windowState() & Qt::WindowFullScreen));
        QTest::keyClick(&w, Qt::Key_F11);
        QVERIFY(w.windowState() & Qt::WindowFullScreen);
        QTest::keyClick(&w, Qt::Key_F11);
        QVERIFY(!(w.windowState() & Qt::WindowFullScreen));
    }

    void highContrastSurvivesTheDarkToggle() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        const QColor normalForeground = Theme::current().foreground;
        QTest::keyClick(&w, Qt::Key_K, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(Theme::current().highContrast);
        QCOMPARE(Theme::current().background, QColor(Qt::white));
        QCOMPARE(Theme::current().foreground, QColor(Qt::black));
        QVERIFY(Theme::current().foreground != normalForeground);
        QCOMPARE(Theme::current().lineWidth(2), 2 * Theme::kHighContrastLines);
        QCOMPARE(QApplication::palette().color(QPalette::WindowText), QColor(Qt::black));

        QTest::keyClick(&w, Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);  // dark
        QVERIFY(Theme::current().dark);
        QVERIFY(Theme::current().highContrast);
        QCOMPARE(Theme::current().background, QColor(Qt::black));
        QCOMPARE(Theme::current().foreground, QColor(Qt::white));
        QCOMPARE(w.bitChart()->plot()->axisRect(0)->backgroundBrush().color(), QColor(Qt::black));

        QTest::keyClick(&w, Qt::Key_K, Qt::ControlModifier | Qt::ShiftModifier);  // dark, normal contrast
        QVERIFY(!Theme::current().highContrast);
        QVERIFY(Theme::current().dark);
        QVERIFY(Theme::current().background != QColor(Qt::black));
        QTest::keyClick(&w, Qt::Key_K, Qt::ControlModifier | Qt::ShiftModifier);
        w.close();
        QVERIFY(QSettings().value("view/highContrast").toBool());
        QVERIFY(QSettings().value("view/dark").toBool());
    }

private:
    double basePoints_ = 0;
};

QTEST_MAIN(TestPresenter)
#include "tst_presenter.moc"
