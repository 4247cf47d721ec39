#include "cli_run.h"

#include <QProcess>

namespace eqlab::test {

namespace {

CliRun runIn(QProcess& p, const QStringList& args, const QByteArray& stdinData) {
    p.start(EQLAB_CLI_PATH, args);
    p.waitForStarted();
    if (!stdinData.isEmpty()) p.write(stdinData);
    p.closeWriteChannel();
    p.waitForFinished(300000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace

CliRun cli(const QStringList& args, const QByteArray& stdinData, const QString& workDir,
           const QProcessEnvironment& env) {
    QProcess p;
    p.setWorkingDirectory(workDir);
    p.setProcessEnvironment(env);
    return runIn(p, args, stdinData);
}

CliRun cliToFile(const QStringList& args, const QString& stdoutPath, const QByteArray& stdinData) {
    QProcess p;
    p.setStandardOutputFile(stdoutPath, QIODevice::Append);
    return runIn(p, args, stdinData);
}

}  // namespace eqlab::test
