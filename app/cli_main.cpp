// eqlab-cli: wires the command set to a QCoreApplication.
#include <QCoreApplication>

#include "commands.h"

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("eqlab-cli");
    QCoreApplication::setApplicationVersion(EQLAB_VERSION);
    return eqlab::cli::run(QCoreApplication::arguments());
}
