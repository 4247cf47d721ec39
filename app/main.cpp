// eqlab: the desktop laboratory. Wires the main window to a QApplication.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTemporaryDir>
#include <cstdio>

#include "m2_view.h"
#include "main_window.h"
#include "stress_bench.h"
#include "studies_view.h"

namespace {
// Whether the command line asks for --help or --version, which are answered
// before any GUI starts, so that they work without a display.
bool asksForHelpOrVersion(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "-h" || a == "-?" || a == "--help" || a == "--help-all" || a == "-v" || a == "--version") return true;
    }
    return false;
}
}  // namespace

int main(int argc, char** argv) {
    QApplication::setHighDpiScaleFactorRoundingPolicy(Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
    QCoreApplication::setApplicationName("eqlab");
    QCoreApplication::setOrganizationName("eqlab");
    QCoreApplication::setApplicationVersion(EQLAB_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("eqlab: see how neural compression spends bits on text");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption text{"text", "Open this text file (or eqlab container) instead of the bundled sample.", "FILE"};
    QCommandLineOption screenshot{"screenshot", "Analyse, save the window to FILE.png and exit.", "FILE"};
    QCommandLineOption view{"view", "With --screenshot: explore, compare, m1, m2, step or studies.", "VIEW", "explore"};
    QCommandLineOption size{"size", "The window's size, e.g. 1600x1000 (for screenshots).", "WxH"};
    QCommandLineOption study{
        "study",
        "Open the Studies tab on this study (e.g. window-sweep); with --screenshot --view studies, "
        "run it and save it.",
        "NAME"};
    QCommandLineOption runs{"m2-runs", "Open the Learnability view on this folder of M2 runs.", "DIR"};
    QCommandLineOption dark{"dark", "Use the dark theme."};
    QCommandLineOption highContrast{"high-contrast", "Use the high-contrast theme (with --dark: white on black)."};
    QCommandLineOption zoom{"zoom", "Zoom every view to PERCENT (50 to 300; View > Zoom, Ctrl++ / Ctrl+-).", "PERCENT"};
    QCommandLineOption fullScreen{"full-screen", "Start full screen (F11 toggles)."};
    QCommandLineOption fresh{"fresh",
                             "Start from the sample text and the saved settings, not the last session's autosave "
                             "(which this session then replaces)."};
    QCommandLineOption stressBench{
        "stress-bench",
        "Drive the GUI through its stress cases (a 20 MB paste, rapid method changes, cancel, closing mid-job, a "
        "bomb container), print the longest GUI-thread stall of each, and exit; settings and files go to a "
        "temporary folder. CASES: all, or names separated by commas.",
        "CASES"};
    QCommandLineOption restore{"restore",
                               "With --screenshot: start from the last session's autosave (never written in "
                               "headless modes; without it they start from the sample, so pictures stay "
                               "reproducible)."};
    parser.addOption(text);
    parser.addOption(screenshot);
    parser.addOption(view);
    parser.addOption(size);
    parser.addOption(study);
    parser.addOption(dark);
    parser.addOption(highContrast);
    parser.addOption(zoom);
    parser.addOption(fullScreen);
    parser.addOption(fresh);
    parser.addOption(restore);
    parser.addOption(stressBench);
    parser.addOption(runs);
    if (asksForHelpOrVersion(argc, argv)) {
        QCoreApplication textOnly(argc, argv);
        parser.process(textOnly);  // prints and exits, unless the flag was another option's value
    }
    QApplication app(argc, argv);
    parser.process(app);

    if (parser.isSet(stressBench)) {
        // The user's settings, models and autosave stay untouched: everything goes to a folder of its own.
        QTemporaryDir home;
        for (const char* var : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
            qputenv(var, QDir(home.path()).filePath(var).toUtf8());
        const QString cases = parser.value(stressBench);
        return eqlab::ui::runStressBench(stdout, cases == "all" ? nullptr : qPrintable(cases));
    }

    using eqlab::ui::MainWindow;
    const QString v = parser.value(view);
    if (v != "explore" && v != "compare" && v != "m1" && v != "m2" && v != "step" && v != "studies") {
        std::fprintf(stderr, "eqlab: --view must be explore, compare, m1, m2, step or studies\n");
        return 2;
    }
    const QStringList wh = parser.value(size).split('x');
    if (parser.isSet(size) && (wh.size() != 2 || wh[0].toInt() <= 0 || wh[1].toInt() <= 0)) {
        std::fprintf(stderr, "eqlab: --size must be WIDTHxHEIGHT, e.g. 1600x1000\n");
        return 2;
    }
    bool zoomOk = true;
    const double percent = parser.isSet(zoom) ? parser.value(zoom).toDouble(&zoomOk) : 100;
    if (!zoomOk || percent < 50 || percent > 300) {
        std::fprintf(stderr, "eqlab: --zoom must be a percentage from 50 to 300\n");
        return 2;
    }
    // The zoom and the theme before the window: some views measure their fonts once, when built.
    MainWindow::StartOptions start;
    if (parser.isSet(zoom)) start.zoom = percent / 100;
    if (parser.isSet(dark)) start.dark = true;
    if (parser.isSet(highContrast)) start.highContrast = true;
    start.headless = parser.isSet(screenshot);  // no dialog: errors go to stderr and the run exits 1
    // The text and settings survive a crash or a kill; headless runs neither write nor (unless asked) read them.
    start.autosave = !start.headless;
    start.restore = start.headless ? parser.isSet(restore) : !parser.isSet(fresh);
    MainWindow window(start);
    if (parser.isSet(study) && !window.studiesView()->page(parser.value(study))) {
        std::fprintf(stderr, "eqlab: --study must be one of: %s\n",
                     qPrintable(window.studiesView()->studyNames().join(", ")));
        return 2;
    }
    if (parser.isSet(fullScreen)) window.setWindowState(window.windowState() | Qt::WindowFullScreen);
    if (parser.isSet(size)) window.resize(wh[0].toInt(), wh[1].toInt());
    if (parser.isSet(runs)) window.m2View()->setRunsDir(parser.value(runs));
    if (parser.isSet(text) && !window.openFile(parser.value(text))) return 1;
    if (parser.isSet(screenshot)) {
        const MainWindow::View which = v == "compare"   ? MainWindow::View::Compare
                                       : v == "m1"      ? MainWindow::View::M1
                                       : v == "m2"      ? MainWindow::View::M2
                                       : v == "step"    ? MainWindow::View::Step
                                       : v == "studies" ? MainWindow::View::Studies
                                                        : MainWindow::View::Explore;
        return window.saveScreenshotWhenReady(parser.value(screenshot), which, parser.value(study)) ? 0 : 1;
    }
    if (parser.isSet(study)) {
        window.showView(MainWindow::View::Studies);
        window.studiesView()->showStudy(parser.value(study));
    }
    window.show();
    return app.exec();
}
