// Running eqlab-cli from a test: exit code, stdout and stderr.
#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace eqlab::test {

struct CliRun {
    int code;  // the exit code, or -1 when it crashed
    QByteArray out;
    QString err;
};

// Runs eqlab-cli (EQLAB_CLI_PATH) with `args`, feeding stdinData, in workDir
// ("": this process's) with env's variables; waits at most 5 minutes.
CliRun cli(const QStringList& args, const QByteArray& stdinData = {}, const QString& workDir = {},
           const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment());

}  // namespace eqlab::test
