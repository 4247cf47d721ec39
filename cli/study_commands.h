// eqlab-cli study NAME: one subcommand per study (core/studies/), each in
// its own file, sharing the options below. Every study reads IN (default:
// the bundled sample text), prints a table, or with --json exactly one JSON
// document on stdout.
#pragma once

#include <QCommandLineParser>
#include <QJsonObject>
#include <QStringList>
#include <string>
#include <vector>

#include "studies/study.h"

namespace eqlab::cli {

// `eqlab-cli study NAME [options] [--json] [IN]`; args[0] is "eqlab-cli study".
int cmdStudy(const QStringList& args);

// The options every study takes: --model, --sp-model, --threads, --max-bytes, --json.
struct StudyCliOptions {
    QCommandLineOption model{"model", "M1 weights for ac and eqinfo-ac (default: the bundled M1).", "FILE"};
    QCommandLineOption spModel{"sp-model", "SentencePiece model (default: the bundled one).", "FILE"};
    QCommandLineOption threads{"threads", "Worker threads.", "N", "1"};
    QCommandLineOption maxBytes{"max-bytes", "Analyse at most the first N bytes (0: all).", "N",
                                QString::number(kDefaultStudyBytes)};
    QCommandLineOption json{"json", "Print one JSON document."};

    void add(QCommandLineParser& p);
    StudyOptions options(const QCommandLineParser& p) const;
};

// Parses a study's arguments: usage for --help; at most one positional (IN).
// Returns false when --help was printed.
[[nodiscard]] bool parseStudy(QCommandLineParser& p, const QStringList& args, const QString& usage);
// The input a study reads: IN, '-' for stdin, or the bundled sample text.
std::vector<uint8_t> studyInput(const QCommandLineParser& p, std::string* name = nullptr);
// The scope as JSON: {"input_bytes", "analysed_bytes", "truncated"}.
QJsonObject scopeJson(const StudyScope& scope);
// A line on stderr when the study analysed only part of its input.
void noteScope(const StudyScope& scope);

// The studies (one file each: cli/study_<name>.cpp).
int studyWindowSweep(const QStringList& args);
int studyReset(const QStringList& args);
int studyStability(const QStringList& args);
int studyUniformity(const QStringList& args);
int studyWindows(const QStringList& args);
int studyTokenMeaning(const QStringList& args);
int studySegmentations(const QStringList& args);
int studyPositionAccuracy(const QStringList& args);

}  // namespace eqlab::cli
