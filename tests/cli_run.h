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

// As cli(), with stdout going to the file `stdoutPath` (opened for appending;
// e.g. a device node made in a temporary folder) instead of a pipe: out stays empty.
CliRun cliToFile(const QStringList& args, const QString& stdoutPath, const QByteArray& stdinData = {});

}  // namespace eqlab::test
