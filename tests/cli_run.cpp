#include "cli_run.h"

#include <QProcess>

namespace eqlab::test {

CliRun cli(const QStringList& args, const QByteArray& stdinData, const QString& workDir,
           const QProcessEnvironment& env) {
    QProcess p;
    p.setWorkingDirectory(workDir);
    p.setProcessEnvironment(env);
    p.start(EQLAB_CLI_PATH, args);
    p.waitForStarted();
    if (!stdinData.isEmpty()) p.write(stdinData);
    p.closeWriteChannel();
    p.waitForFinished(300000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace eqlab::test
