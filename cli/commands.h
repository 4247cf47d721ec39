// eqlab-cli: the headless command set. Each command parses its own options
// (QCommandLineParser), catches eqlab::Error at its boundary, prints the
// message on stderr and returns a non-zero exit code.
#pragma once

#include <QStringList>

namespace eqlab::cli {

// Runs `eqlab-cli <command> [options]`; args[0] is the program name.
// Returns the process exit code: 0 only when the command succeeded and all
// it printed on stdout was written (`> /dev/full` exits 1, "cannot write to
// stdout: No space left on device").
int run(const QStringList& args);

}  // namespace eqlab::cli
