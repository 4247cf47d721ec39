// eqlab: the desktop laboratory. Wires the main window to a QApplication.
#include <QApplication>
#include <QCommandLineParser>

#include "main_window.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("eqlab");
    QApplication::setOrganizationName("eqlab");
    QApplication::setApplicationVersion(EQLAB_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("eqlab: see how neural compression spends bits on text");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption text{"text", "Open this text file instead of the bundled sample.", "FILE"};
    QCommandLineOption screenshot{"screenshot", "Analyse, save the window to FILE.png and exit.", "FILE"};
    parser.addOption(text);
    parser.addOption(screenshot);
    parser.process(app);

    eqlab::ui::MainWindow window;
    if (parser.isSet(text)) window.openTextFile(parser.value(text));
    if (parser.isSet(screenshot)) return window.saveScreenshotWhenReady(parser.value(screenshot)) ? 0 : 1;
    window.show();
    return app.exec();
}
