// train-m1's options (nn/m1_train_args.h): trainM1ArgsFrom()'s defaults are
// the trainer's and the table's, its validation names the option, and both
// front ends, `eqlab-cli train-m1` (QCommandLineParser) and eqlab-train-m1
// (parseTrainM1Args), accept and refuse the same command lines with the same
// exit codes, since each tokenises on its own.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "base/errors.h"
#include "nn/m1_train_args.h"

using namespace eqlab;
using namespace eqlab::m1;

namespace {

constexpr int kUsageExit = 2;      // both front ends: bad arguments
constexpr int kFailureExit = 1;    // both front ends: the trainer failed (here: the corpus is missing)
constexpr int kProcessMs = 60000;  // one front end's run: it refuses or fails before training

const QStringList kRequired{"--corpus", "c.txt", "--valid", "v.txt", "--out", "m.eqm1"};

struct Run {
    int code;
    QString out, err;
};

Run runProgram(const QString& program, const QStringList& args) {
    QProcess p;
    p.start(program, args);
    p.waitForFinished(kProcessMs);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

// Every field trainM1ArgsFrom() fills, as one comparable line (note is the caller's).
QString fields(const TrainM1Args& a) {
    const TrainOptions& o = a.options;
    std::ostringstream s;
    s.precision(17);
    s << "corpus=" << o.corpus << " valid=" << o.valid << " out=" << o.out << " steps=" << o.steps
      << " batch=" << o.batch << " seq=" << o.seq << " lr=" << o.lr << " seed=" << o.seed << " threads=" << o.threads
      << " device=" << o.device << " resume=" << o.resume << " validEvery=" << o.validEvery
      << " validBytes=" << o.validBytes << " checkpointSeconds=" << o.checkpointSeconds
      << " maxSeconds=" << o.maxSeconds << " augment=" << o.augment << " init=" << o.init << " keepBest=" << o.keepBest
      << " config=" << a.config.describe();
    return QString::fromStdString(s.str());
}

std::vector<std::string> toStd(const QStringList& args) {
    std::vector<std::string> out;
    for (const QString& a : args) out.push_back(a.toStdString());
    return out;
}

// The command lines both front ends refuse as bad arguments, and a word the error must contain.
void addRefusedRows() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("names");
    QTest::newRow("--corpus missing") << QStringList{"--valid", "v.txt", "--out", "m.eqm1"} << "corpus";
    QTest::newRow("--out missing") << QStringList{"--corpus", "c.txt", "--valid", "v.txt"} << "out";
    QTest::newRow("--augment 2") << kRequired + QStringList{"--augment", "2"} << "augment";
    QTest::newRow("--augment -0.5") << kRequired + QStringList{"--augment", "-0.5"} << "augment";
    QTest::newRow("--steps not a number") << kRequired + QStringList{"--steps", "many"} << "steps";
    QTest::newRow("--lr with trailing text") << kRequired + QStringList{"--lr", "1e-3x"} << "lr";
    QTest::newRow("unknown option") << kRequired + QStringList{"--bogus", "1"} << "bogus";
    QTest::newRow("value missing at the end") << kRequired + QStringList{"--steps"} << "steps";
    QTest::newRow("heads do not divide d-model") << kRequired + QStringList{"--heads", "3"} << "heads";
}

}  // namespace

class TestM1TrainArgs : public QObject {
    Q_OBJECT
private slots:
    // With only the required options, every field is the trainer's own
    // default (TrainOptions{}, M1Config{}) or the table's where they differ.
    void defaults() {
        const std::map<std::string, std::string> given{{"corpus", "c.txt"}, {"valid", "v.txt"}, {"out", "m.eqm1"}};
        const std::optional<TrainM1Args> a =
            trainM1ArgsFrom([&](const std::string& name) -> std::optional<std::string> {
                const auto it = given.find(name);
                if (it == given.end()) return std::nullopt;
                return it->second;
            });
        TrainM1Args expected;
        expected.options.corpus = "c.txt";
        expected.options.valid = "v.txt";
        expected.options.out = "m.eqm1";
        expected.options.validBytes = 65536;  // the table's default, not TrainOptions' 256 KiB
        QCOMPARE(fields(*a), fields(expected));
        QVERIFY(a->options.note.empty());
    }

    // The defaults help shows are the ones applied: giving each explicitly changes nothing.
    void helpDefaultsAreApplied() {
        const QString implicit = fields(*parseTrainM1Args(toStd(kRequired)));
        for (const TrainM1Option& o : trainM1Options()) {
            if (o.valueName.empty() || o.defaultValue.empty()) continue;
            const QStringList args =
                kRequired + QStringList{QString::fromStdString("--" + o.name), QString::fromStdString(o.defaultValue)};
            QCOMPARE(fields(*parseTrainM1Args(toStd(args))), implicit);
        }
    }

    void valuesReachTheirFields() {
        const QStringList args =
            kRequired + QStringList{"--steps",   "7",           "--lr",          "0.002", "--augment", "0.5",
                                    "--minutes", "1.5",         "--d-model",     "64",    "--heads",   "2",
                                    "--resume",  "--keep-best", "--valid-every", "0"};
        const TrainM1Args a = *parseTrainM1Args(toStd(args));
        QCOMPARE(a.options.steps, int64_t(7));
        QCOMPARE(a.options.lr, 0.002);
        QCOMPARE(a.options.augment, 0.5);
        QCOMPARE(a.options.maxSeconds, 90.0);
        QCOMPARE(a.config.dModel, 64);
        QCOMPARE(a.config.heads, 2);
        QVERIFY(a.options.resume);
        QVERIFY(a.options.keepBest);
        QCOMPARE(a.options.validEvery, 1);  // at least one step between validations
    }

    // In process: trainM1ArgsFrom()'s validation and parseTrainM1Args' tokenising.
    void refused_data() { addRefusedRows(); }
    void refused() {
        QFETCH(QStringList, args);
        QFETCH(QString, names);
        try {
            parseTrainM1Args(toStd(args));
            QFAIL("accepted");
        } catch (const InvalidArgument& e) {
            QVERIFY2(QString(e.what()).contains(names), e.what());
        }
    }

    void helpIsNotAnError() { QVERIFY(!parseTrainM1Args({"--corpus", "c.txt", "--help"})); }

    // The built programs: the same refusals, with the usage exit code and the option named on stderr.
    void frontEndsRefuseAlike_data() { addRefusedRows(); }
    void frontEndsRefuseAlike() {
        QFETCH(QStringList, args);
        QFETCH(QString, names);
        const Run cli = runProgram(EQLAB_CLI_PATH, QStringList{"train-m1"} + args);
        const Run alone = runProgram(EQLAB_TRAIN_M1_PATH, args);
        QCOMPARE(cli.code, kUsageExit);
        QCOMPARE(alone.code, kUsageExit);
        QVERIFY2(cli.err.contains(names), qPrintable(cli.err));
        QVERIFY2(alone.err.contains(names), qPrintable(alone.err));
    }

    // Every option is accepted by both (validation passes), and both then fail alike on the missing corpus.
    void frontEndsAcceptEveryOption() {
        QStringList args{"--corpus", "/nonexistent/corpus.txt", "--valid", "v.txt", "--out", "m.eqm1"};
        for (const TrainM1Option& o : trainM1Options()) {
            if (o.name == "corpus" || o.name == "valid" || o.name == "out" || o.name == "init" || o.name == "resume")
                continue;  // given above; --init and --resume would read files before the corpus
            args << QString::fromStdString("--" + o.name);
            if (!o.valueName.empty()) args << QString::fromStdString(o.defaultValue);
        }
        const Run cli = runProgram(EQLAB_CLI_PATH, QStringList{"train-m1"} + args);
        const Run alone = runProgram(EQLAB_TRAIN_M1_PATH, args);
        QCOMPARE(cli.code, kFailureExit);
        QCOMPARE(alone.code, kFailureExit);
        QVERIFY2(cli.err.contains("/nonexistent/corpus.txt"), qPrintable(cli.err));
        QVERIFY2(alone.err.contains("/nonexistent/corpus.txt"), qPrintable(alone.err));
    }

    // Bad files fail in both front ends before the first step, naming the
    // file, with the failure exit code; a run that trained would print a
    // "step" line (every step validates) before failing at the output.
    void frontEndsRefuseBadInputBeforeTraining_data() {
        QTest::addColumn<QByteArray>("corpus");
        QTest::addColumn<QString>("out");  // in the temporary folder
        QTest::addColumn<QString>("named");
        QTest::addColumn<int>("code");
        const QByteArray text = QByteArray("The Congress shall make no law respecting an establishment. ").repeated(40);
        QTest::newRow("empty corpus") << QByteArray() << "m.eqm1"
                                      << "corpus.txt" << kFailureExit;
        QTest::newRow("binary corpus") << QByteArray(4096, '\0') << "m.eqm1"
                                       << "corpus.txt" << kFailureExit;
        QTest::newRow("gzip corpus") << QByteArray("\x1f\x8b\x08\x00", 4) + text << "m.eqm1"
                                     << "corpus.txt" << kFailureExit;
        QTest::newRow("output folder missing") << text << "missing/m.eqm1"
                                               << "missing/m.eqm1" << kFailureExit;
        QTest::newRow("output is the corpus") << text << "corpus.txt"
                                              << "corpus.txt" << kUsageExit;
    }
    void frontEndsRefuseBadInputBeforeTraining() {
        QFETCH(QByteArray, corpus);
        QFETCH(QString, out);
        QFETCH(QString, named);
        QFETCH(int, code);
        QTemporaryDir dir;
        for (const QString& name : {QString("corpus.txt"), QString("valid.txt")}) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(name == "valid.txt" ? QByteArray("Text to validate on. ").repeated(10) : corpus);
        }
        const QStringList args{"--corpus",      dir.filePath("corpus.txt"),
                               "--valid",       dir.filePath("valid.txt"),
                               "--out",         dir.filePath(out),
                               "--steps",       "3",
                               "--valid-every", "1",
                               "--seq",         "32",
                               "--batch",       "2",
                               "--d-model",     "16",
                               "--heads",       "2",
                               "--layers",      "1",
                               "--mlp",         "32",
                               "--context",     "64",
                               "--threads",     "1"};
        for (const Run& r :
             {runProgram(EQLAB_CLI_PATH, QStringList{"train-m1"} + args), runProgram(EQLAB_TRAIN_M1_PATH, args)}) {
            QCOMPARE(r.code, code);
            QVERIFY2(r.err.contains(dir.filePath(named)), qPrintable(r.err));
            QVERIFY2(!r.err.contains("step "), qPrintable(r.err));
        }
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList({"corpus.txt", "valid.txt"}));
    }

    // --help: exit 0, nothing on stderr, and every option of the table in both helps.
    void frontEndsHelp() {
        const Run cli = runProgram(EQLAB_CLI_PATH, {"train-m1", "--help"});
        const Run alone = runProgram(EQLAB_TRAIN_M1_PATH, {"--help"});
        QCOMPARE(cli.code, 0);
        QCOMPARE(alone.code, 0);
        QCOMPARE(cli.err, QString());
        QCOMPARE(alone.err, QString());
        for (const TrainM1Option& o : trainM1Options()) {
            const QString name = QString::fromStdString("--" + o.name);
            QVERIFY2(cli.out.contains(name), qPrintable(name));
            QVERIFY2(alone.out.contains(name), qPrintable(name));
        }
    }
};

QTEST_GUILESS_MAIN(TestM1TrainArgs)
#include "tst_m1_train_args.moc"
