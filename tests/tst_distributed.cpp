// Data-parallel training on loopback: processes started as torchrun starts
// them (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR=127.0.0.1, MASTER_PORT)
// join a c10d Gloo group; train-m2 and train-m1 keep every rank's parameters
// bit-identical after every step (--check-sync), and two ranks of batch B
// train what one process of batch 2B trains; the run reopens in the
// Learnability view and resumes on another number of ranks; different
// options, a busy port, a missing variable and a killed rank are clear errors
// within a bounded time. With torchrun installed (python3-torch), the same
// through torchrun itself.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <algorithm>
#include <cmath>
#include <csignal>

#include "base/file_io.h"
#include "base/output_file.h"
#include "m1/m1_format.h"
#include "m2/m2_dataset.h"
#include "m2/m2_trainer.h"
#include "m2/run_record.h"
#include "m2_view.h"
#include "methods/default_models.h"

using namespace eqlab;
using namespace eqlab::m2;
using eqlab::ui::M2View;

namespace {

constexpr int kWaitMs = 180000;  // a whole job, at most

// A TCP socket listening on a port of 127.0.0.1 the system picks (0.0.0.0 with `anyAddress`).
class Listener {
public:
    explicit Listener(bool anyAddress = false) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(anyAddress ? INADDR_ANY : INADDR_LOOPBACK);
        socklen_t n = sizeof a;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), n) != 0 || ::listen(fd_, 1) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &n) != 0)
            qFatal("cannot listen on a free port");
        port_ = ntohs(a.sin_port);
    }
    ~Listener() { ::close(fd_); }
    int port() const { return port_; }

private:
    int fd_, port_ = 0;
};

// A port free a moment ago (the job's rank 0 listens on it next).
int freePort() {
    return Listener().port();
}

struct Result {
    int code;  // -1: crashed or killed
    QByteArray out;
    QString err;
};

// `ranks` processes of `program`, rank r with args[r], as torchrun starts them.
class Job {
public:
    Job(const QString& program, const std::vector<QStringList>& args, int port,
        const std::vector<std::pair<QString, QString>>& extraEnv = {}) {
        for (size_t r = 0; r < args.size(); ++r) {
            auto p = std::make_unique<QProcess>();
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("RANK", QString::number(r));
            env.insert("LOCAL_RANK", QString::number(r));
            env.insert("WORLD_SIZE", QString::number(args.size()));
            env.insert("MASTER_ADDR", "127.0.0.1");
            env.insert("MASTER_PORT", QString::number(port));
            for (const auto& [k, v] : extraEnv) env.insert(k, v);
            p->setProcessEnvironment(env);
            p->start(program, args[r]);
            p->waitForStarted();
            processes_.push_back(std::move(p));
        }
    }
    ~Job() {
        for (auto& p : processes_)
            if (p->state() != QProcess::NotRunning) {
                p->kill();
                p->waitForFinished(5000);
            }
    }
    QProcess& process(int r) { return *processes_[size_t(r)]; }
    Result result(int r) {
        QProcess& p = process(r);
        p.waitForFinished(kWaitMs);
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                QString::fromUtf8(p.readAllStandardError())};
    }

private:
    std::vector<std::unique_ptr<QProcess>> processes_;
};

Result runOne(const QString& program, const QStringList& args) {
    QProcess p;
    p.start(program, args);
    p.waitForFinished(kWaitMs);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            QString::fromUtf8(p.readAllStandardError())};
}

const QString cliPath = EQLAB_CLI_PATH;

QStringList trainM2(const QString& data, const QString& run, int batch, int steps) {
    return {"train-m2",
            "--data",
            data,
            "--run",
            run,
            "--minutes",
            "0",
            "--steps",
            QString::number(steps),
            "--batch",
            QString::number(batch),
            "--eval-every",
            "5",
            "--d-model",
            "16",
            "--layers",
            "1",
            "--lr",
            "3e-3",
            "--threads",
            "1",
            "--dist-timeout",
            "60"};
}

// Reads p's stderr until it has said `what` (or 30 s passed without a word); returns what it said.
QString readUntilSaid(QProcess& p, const QString& what) {
    QString said;
    p.setReadChannel(QProcess::StandardError);
    while (!said.contains(what) && p.waitForReadyRead(30000)) said += QString::fromUtf8(p.readAllStandardError());
    return said;
}

// build-dataset of `corpus` (default: the bundled sample) in 256-byte examples of 64 tokens.
QStringList buildDatasetArgs(const QString& method, const QString& out, int timeoutSeconds,
                             const QString& corpus = QString::fromStdString(resourcePath(kSampleTextFile))) {
    return {"build-dataset",
            "-m",
            method,
            "--corpus",
            corpus,
            "--example-bytes",
            "256",
            "--seq",
            "64",
            "--valid-fraction",
            "0.125",
            "--out",
            out,
            "--dist-timeout",
            QString::number(timeoutSeconds)};
}

}  // namespace

class TestDistributed : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString data_;     // bytes: every example 64 tokens
    QString varying_;  // sentencepiece: examples of different lengths

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        DatasetOptions o;
        o.params.method = Method::Bytes;
        o.exampleBytes = 256;
        o.seqTokens = 64;
        o.maxBytes = 8192;
        o.validFraction = 0.125;
        data_ = dir_.filePath("ds");
        saveDataset(buildDataset(resourcePath(kSampleTextFile), o), data_.toStdString());
        o.params.method = Method::SentencePiece;
        o.seqTokens = 128;
        varying_ = dir_.filePath("ds-varying");
        const Dataset v = buildDataset(resourcePath(kSampleTextFile), o);
        QVERIFY(*std::min_element(v.train.lengths.begin(), v.train.lengths.end()) <
                *std::max_element(v.train.lengths.begin(), v.train.lengths.end()));
        saveDataset(v, varying_.toStdString());
    }

    // Two ranks of batch 4 against one process of batch 8, on examples of
    // different lengths: the same examples each step (one sampler), the same
    // training loss (each rank's share of the step's mean) and validation
    // curve up to the order of float sums;
    // every rank's parameters the same bits after every step; only rank 0
    // writes and prints; the loss falls; the run opens in the Learnability view.
    void twoRanksTrainAsOneProcessOfTheirBatch() {
        const QString run = dir_.filePath("two"), one = dir_.filePath("one");
        QStringList args = trainM2(varying_, run, 4, 20) + QStringList{"--check-sync", "--json"};
        Job job(cliPath, {args, args}, freePort());
        const Result r0 = job.result(0), r1 = job.result(1);
        QVERIFY2(r0.code == 0, qPrintable(r0.err));
        QVERIFY2(r1.code == 0, qPrintable(r1.err));
        QVERIFY2(r0.err.contains("2 ranks"), qPrintable(r0.err));
        QVERIFY(QJsonDocument::fromJson(r0.out).isObject());  // --json: one document, from rank 0 alone
        QVERIFY2(r1.out.isEmpty(), r1.out.constData());
        QVERIFY2(!r1.err.contains("step "), qPrintable(r1.err));

        const Result single = runOne(cliPath, trainM2(varying_, one, 8, 20));
        QVERIFY2(single.code == 0, qPrintable(single.err));
        const std::vector<EvalPoint> a = readLog((run + "/log.csv").toStdString()),
                                     b = readLog((one + "/log.csv").toStdString());
        QCOMPARE(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].step, b[i].step);
            QCOMPARE(a[i].tokensSeen, b[i].tokensSeen);  // the same examples, all ranks together
            QVERIFY2(std::abs(a[i].trainBitsPerToken - b[i].trainBitsPerToken) < 1e-4,
                     qPrintable(QString("step %1: training loss %2 on two ranks, %3 in one process")
                                    .arg(a[i].step)
                                    .arg(a[i].trainBitsPerToken, 0, 'f', 6)
                                    .arg(b[i].trainBitsPerToken, 0, 'f', 6)));
            QVERIFY2(std::abs(a[i].validBitsPerToken - b[i].validBitsPerToken) < 1e-4,
                     qPrintable(QString("step %1: two ranks %2, one process %3 bits/token")
                                    .arg(a[i].step)
                                    .arg(a[i].validBitsPerToken, 0, 'f', 6)
                                    .arg(b[i].validBitsPerToken, 0, 'f', 6)));
        }
        QVERIFY2(a.back().validBitsPerToken < a.front().validBitsPerToken - 0.5,
                 qPrintable(QString("%1 -> %2").arg(a.front().validBitsPerToken).arg(a.back().validBitsPerToken)));
        const RunRecord record = readRunRecord(run.toStdString());
        QCOMPARE(record.status, std::string("finished"));
        QCOMPARE(record.ranks, 2);
        QCOMPARE(record.batch, 4);

        M2View view;
        QCOMPARE(view.loadRuns(dir_.path()), 2);  // the two runs of this test, so far
        QVERIFY(view.selectRun(run));
    }

    // A run stopped on two ranks (SIGTERM to rank 0 alone stops both at a
    // checkpoint) resumes in one process, and one stopped in one process
    // resumes on two ranks, ending where one process of the whole batch ends.
    void resumesOnAnotherNumberOfRanks_data() {
        QTest::addColumn<int>("before");
        QTest::addColumn<int>("after");
        QTest::newRow("two ranks, then one") << 2 << 1;
        QTest::newRow("one, then two ranks") << 1 << 2;
    }
    void resumesOnAnotherNumberOfRanks() {
        QFETCH(int, before);
        QFETCH(int, after);
        const QString tag = QString(QTest::currentDataTag()).replace(' ', '-').remove(',');
        const QString run = dir_.filePath("resumed-" + tag), whole = dir_.filePath("whole-" + tag);
        constexpr int kSteps = 60;
        auto ranks = [&](int n, QStringList extra) {
            return std::vector<QStringList>(size_t(n), trainM2(data_, run, 8 / n, kSteps) + extra);
        };
        {
            Job job(cliPath, ranks(before, {"--checkpoint-every", "10"}), freePort());
            QElapsedTimer t;
            t.start();
            while (!QFile::exists(run + "/checkpoint.eqm2") && job.process(0).state() == QProcess::Running)
                QThread::msleep(2);
            job.process(0).terminate();
            const Result r0 = job.result(0);
            QVERIFY2(r0.code == 128 + 15 && r0.err.contains("stopped by signal 15"), qPrintable(r0.err));
            for (int r = 1; r < before; ++r) QCOMPARE(job.result(r).code, 0);  // stopped with rank 0
        }
        const int64_t stoppedAt = readLog((run + "/log.csv").toStdString()).back().step;
        QVERIFY2(stoppedAt < kSteps, qPrintable(QString("stopped at step %1").arg(stoppedAt)));
        {
            Job job(cliPath, ranks(after, {"--resume"}), freePort());
            for (int r = 0; r < after; ++r) {
                const Result res = job.result(r);
                QVERIFY2(res.code == 0, qPrintable(res.err));
            }
        }
        const Result ref = runOne(cliPath, trainM2(data_, whole, 8, kSteps));
        QVERIFY2(ref.code == 0, qPrintable(ref.err));
        const EvalPoint a = readLog((run + "/log.csv").toStdString()).back(),
                        b = readLog((whole + "/log.csv").toStdString()).back();
        QCOMPARE(a.step, int64_t(kSteps));
        QCOMPARE(a.tokensSeen, b.tokensSeen);  // the same examples: the one sampler went on
        // Resumed with a step of another size: refused, naming the --batch that keeps it.
        const Result other = runOne(cliPath, trainM2(data_, run, 4, kSteps + 10) + QStringList{"--resume"});
        QVERIFY2(other.code != 0 && other.err.contains("resume it with --batch 8"), qPrintable(other.err));
        QVERIFY2(std::abs(a.validBitsPerToken - b.validBitsPerToken) < 1e-3,
                 qPrintable(QString("resumed %1, whole %2").arg(a.validBitsPerToken).arg(b.validBitsPerToken)));
    }

    // train-m1 through both front ends: two ranks of batch 2 train what one
    // process of batch 4 trains; rank 0 writes the weights.
    void trainM1OnTwoRanks_data() {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("command");
        QTest::newRow("eqlab-cli train-m1") << cliPath << QStringList{"train-m1"};
        QTest::newRow("eqlab-train-m1") << QString(EQLAB_TRAIN_M1_PATH) << QStringList{};
    }
    void trainM1OnTwoRanks() {
        QFETCH(QString, program);
        QFETCH(QStringList, command);
        const QString sample = QString::fromStdString(resourcePath(kSampleTextFile));
        auto args = [&](const QString& out, int batch) {
            return command + QStringList{"--corpus",      sample,
                                         "--valid",       sample,
                                         "--out",         out,
                                         "--steps",       "12",
                                         "--batch",       QString::number(batch),
                                         "--seq",         "32",
                                         "--context",     "64",
                                         "--d-model",     "32",
                                         "--heads",       "2",
                                         "--layers",      "1",
                                         "--mlp",         "64",
                                         "--valid-every", "6",
                                         "--valid-bytes", "4096",
                                         "--threads",     "1",
                                         "--lr",          "3e-3",
                                         "--augment",     "0.5"};
        };
        const QString tag = QString(QTest::currentDataTag()).replace(' ', '-');
        const QString two = dir_.filePath("two-" + tag + ".eqm1"), one = dir_.filePath("one-" + tag + ".eqm1");
        Job job(program, {args(two, 2), args(two, 2)}, freePort());
        const Result r0 = job.result(0), r1 = job.result(1);
        QVERIFY2(r0.code == 0, qPrintable(r0.err));
        QVERIFY2(r1.code == 0, qPrintable(r1.err));
        QVERIFY2(r1.err.isEmpty(), qPrintable(r1.err));  // rank 1 says nothing
        const Result single = runOne(program, args(one, 4));
        QVERIFY2(single.code == 0, qPrintable(single.err));
        const double a = m1::M1Weights::load(two.toStdString()).provenance.validBitsPerByte,
                     b = m1::M1Weights::load(one.toStdString()).provenance.validBitsPerByte;
        QVERIFY2(std::abs(a - b) < 1e-3, qPrintable(QString("two ranks %1, one process %2").arg(a).arg(b)));
        // The training loss rank 0 prints is the whole step's mean, as the single process's.
        auto losses = [](const QString& err) {
            QStringList l;
            QRegularExpressionMatchIterator it = QRegularExpression("loss ([0-9.]+)").globalMatch(err);
            while (it.hasNext()) l << it.next().captured(1);
            return l;
        };
        QVERIFY(!losses(single.err).isEmpty());
        QCOMPARE(losses(r0.err), losses(single.err));
    }

    // Ranks launched with different options all refuse, naming the difference.
    void differentOptionsAreRefused() {
        const QString run = dir_.filePath("differ");
        Job job(cliPath, {trainM2(data_, run, 4, 5), trainM2(data_, run, 8, 5)}, freePort());
        for (int r = 0; r < 2; ++r) {
            const Result res = job.result(r);
            QVERIFY2(res.code != 0, qPrintable(res.err));
            QVERIFY2(res.err.contains("rank 1's --batch is 8, rank 0's is 4"), qPrintable(res.err));
        }
    }

    // A rank that fails with an error (its --data is missing) tells the
    // others, which stop at once naming it instead of waiting out the timeout.
    void aFailingRankIsNamedByTheOthers() {
        const QString run = dir_.filePath("failing");
        Job job(cliPath, {trainM2(data_, run, 4, 5), trainM2(dir_.filePath("no-such-dataset"), run, 4, 5)}, freePort());
        QElapsedTimer t;
        t.start();
        const Result r0 = job.result(0);
        QVERIFY2(t.elapsed() < 30000, qPrintable(QString("rank 0 took %1 ms (the timeout is 60 s)").arg(t.elapsed())));
        QVERIFY2(r0.code != 0 && r0.err.contains("rank 1 failed: ") && r0.err.contains("no-such-dataset"),
                 qPrintable(r0.err));
        QVERIFY(job.result(1).code != 0);
    }

    // A rank killed mid-run (kill -9) makes the other fail with an error, not hang.
    void aKilledRankFailsTheOthers() {
        const QString run = dir_.filePath("killed");
        QStringList args = trainM2(data_, run, 4, 100000);
        args.last() = "20";  // --dist-timeout
        Job job(cliPath, {args, args}, freePort());
        QElapsedTimer t;
        t.start();
        while (!QFile::exists(run + "/log.csv") && t.elapsed() < 60000) QThread::msleep(20);
        QVERIFY(QFile::exists(run + "/log.csv"));
        job.process(1).kill();
        t.restart();
        const Result r0 = job.result(0);
        QVERIFY2(t.elapsed() < 60000, qPrintable(QString("rank 0 took %1 ms to fail").arg(t.elapsed())));
        QVERIFY2(r0.code > 0, qPrintable(r0.err));
        QVERIFY2(r0.err.contains("rank 0:") && r0.err.contains("a rank died"), qPrintable(r0.err));
    }

    // The launcher's environment, wrong: clear errors before any training.
    void badEnvironmentIsAClearError() {
        const QString run = dir_.filePath("env");
        {  // MASTER_ADDR missing
            Job job(cliPath, {trainM2(data_, run, 4, 5)}, 0, {{"WORLD_SIZE", "2"}, {"MASTER_ADDR", ""}});
            const Result r = job.result(0);
            QVERIFY2(r.code != 0 && r.err.contains("MASTER_ADDR is not set"), qPrintable(r.err));
        }
        {  // a world of one: trains alone, says so
            Job job(cliPath, {trainM2(data_, run, 4, 5)}, 1);
            const Result r = job.result(0);
            QVERIFY2(r.code == 0 && r.err.contains("world of one rank"), qPrintable(r.err));
        }
        {  // RANK outside the world
            Job job(cliPath, {trainM2(data_, run, 4, 5)}, 1, {{"WORLD_SIZE", "2"}, {"RANK", "2"}});
            const Result r = job.result(0);
            QVERIFY2(r.code != 0 && r.err.contains("RANK=2 is not an integer from 0 to 1"), qPrintable(r.err));
        }
        {  // a Slurm batch script's own command (no srun step): one process, whatever SLURM_NTASKS says
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            for (const char* k : {"RANK", "WORLD_SIZE", "LOCAL_RANK", "SLURM_STEP_NUM_TASKS"}) env.remove(k);
            env.insert("SLURM_NTASKS", "4");
            env.insert("SLURM_PROCID", "0");
            env.insert("MASTER_ADDR", "127.0.0.1");
            env.insert("MASTER_PORT", QString::number(freePort()));
            p.setProcessEnvironment(env);
            p.start(cliPath, trainM2(data_, run, 4, 5));
            QVERIFY(p.waitForFinished(kWaitMs));
            QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        }
        {  // rank 0's port is taken
            const Listener busy(true);
            Job job(cliPath, {trainM2(data_, run, 4, 5)}, busy.port(), {{"WORLD_SIZE", "2"}});
            const Result r = job.result(0);
            QVERIFY2(r.code != 0 && r.err.contains("is the port in use"), qPrintable(r.err));
        }
    }

    // build-dataset launched on 2 and 3 ranks: each codes its shard, rank 0
    // merges after the others are done; the dataset is the single build's,
    // byte for byte, and no shard folder is left behind.
    void aBuildOnRanksIsTheSingleBuild_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<int>("ranks");
        QTest::newRow("eqinfo-ac, 2 ranks") << "eqinfo-ac" << 2;
        QTest::newRow("eqinfo-ac, 3 ranks") << "eqinfo-ac" << 3;
        QTest::newRow("gzip, 3 ranks") << "gzip" << 3;
    }
    void aBuildOnRanksIsTheSingleBuild() {
        QFETCH(QString, method);
        QFETCH(int, ranks);
        const QString tag = QString(QTest::currentDataTag()).replace(' ', '-').remove(',');
        const QString whole = dir_.filePath("build-whole-" + tag), sharded = dir_.filePath("build-ranks-" + tag);
        const Result one = runOne(cliPath, buildDatasetArgs(method, whole, 60));
        QVERIFY2(one.code == 0, qPrintable(one.err));
        Job job(cliPath, std::vector<QStringList>(size_t(ranks), buildDatasetArgs(method, sharded, 60)), freePort());
        for (int r = 0; r < ranks; ++r) {
            const Result res = job.result(r);
            QVERIFY2(res.code == 0, qPrintable(QString("rank %1: %2").arg(r).arg(res.err)));
        }
        for (const char* f : {"dataset.json", "train.bin", "valid.bin"}) {
            QFile a(whole + "/" + f), b(sharded + "/" + f);
            QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
            QVERIFY2(a.readAll() == b.readAll(), f);
        }
        QVERIFY2(!QFileInfo::exists(sharded + ".shards"), "the shard folders are left behind");

        // Launched again on a folder that holds this very dataset: rank 0 finds it, and no rank codes.
        const QDateTime written = QFileInfo(whole + "/train.bin").lastModified();
        Job again(cliPath, std::vector<QStringList>(size_t(ranks), buildDatasetArgs(method, whole, 60)), freePort());
        for (int r = 0; r < ranks; ++r) {
            const Result res = again.result(r);
            QVERIFY2(res.code == 0, qPrintable(QString("rank %1: %2").arg(r).arg(res.err)));
            QVERIFY2(!res.err.contains("coding"), qPrintable(QString("rank %1 coded: %2").arg(r).arg(res.err)));
            if (r == 0) QVERIFY2(res.err.contains("reused " + method), qPrintable(res.err));
        }
        QCOMPARE(QFileInfo(whole + "/train.bin").lastModified(), written);
        QVERIFY(!QFileInfo::exists(whole + ".shards"));
    }

    // SIGTERM while M1 codes (one process, or one rank of two): the build
    // stops within seconds with 128 + 15, saying so, and writes no dataset;
    // the other rank names the one that stopped.
    void aSignalStopsABuildBeforeItWritesAnything_data() {
        QTest::addColumn<int>("ranks");
        QTest::addColumn<int>("stopped");
        QTest::newRow("one process") << 1 << 0;
        QTest::newRow("rank 1 of 2") << 2 << 1;
        QTest::newRow("rank 0 of 2") << 2 << 0;  // whose store leaves with it
    }
    void aSignalStopsABuildBeforeItWritesAnything() {
        QFETCH(int, ranks);
        QFETCH(int, stopped);
        const QString corpus = dir_.filePath("sample-x40.txt"),
                      out = dir_.filePath(QString("build-term-%1-%2").arg(ranks).arg(stopped));
        if (!QFileInfo::exists(corpus)) {
            std::vector<uint8_t> text, one = readFile(resourcePath(kSampleTextFile));
            for (int i = 0; i < 40; ++i) text.insert(text.end(), one.begin(), one.end());
            writeFile(corpus.toStdString(), text);
        }
        const QStringList args = buildDatasetArgs("eqinfo-ac", out, 60, corpus);
        std::unique_ptr<Job> job;
        QProcess single;
        if (ranks == 1)
            single.start(cliPath, args);
        else
            job = std::make_unique<Job>(cliPath, std::vector<QStringList>(2, args), freePort());
        QProcess& p = ranks == 1 ? single : job->process(stopped);
        const QString said = readUntilSaid(p, "coding");
        QVERIFY2(said.contains("coding"), qPrintable(said));
        QElapsedTimer t;
        t.start();
        ::kill(pid_t(p.processId()), SIGTERM);
        QVERIFY(p.waitForFinished(kWaitMs));
        QVERIFY2(t.elapsed() < 20000, qPrintable(QString("stopping took %1 ms").arg(t.elapsed())));
        const QString err = said + QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 128 + SIGTERM, qPrintable(err));
        QVERIFY2(err.contains("stopped by signal 15 while coding; no dataset was written"), qPrintable(err));
        if (job) {
            const int other = 1 - stopped;
            const Result r = job->result(other);
            QVERIFY2(t.elapsed() < 20000,
                     qPrintable(QString("rank %1 stopped after %2 ms").arg(other).arg(t.elapsed())));
            // Rank 0 lingers until rank 1 has read why (3 s at most); after that, its store's silence says it.
            QVERIFY2(r.code > 0 && r.err.contains(QString("rank %1 failed").arg(stopped)), qPrintable(r.err));
        }
        QVERIFY(!QFileInfo::exists(out + "/dataset.json"));
        QVERIFY2(!QFileInfo::exists(out + ".shards"), "a shard of the stopped build is left behind");
    }

    // Ranks asked for different builds refuse before coding, naming the difference.
    void aBuildOnRanksWithDifferentOptionsIsRefused() {
        const QStringList args = buildDatasetArgs("bytes", dir_.filePath("build-differ"), 60);
        Job job(cliPath, {args, args + QStringList{"--seq", "32"}}, freePort());  // the last --seq counts
        for (int r = 0; r < 2; ++r) {
            const Result res = job.result(r);
            QVERIFY2(res.code != 0 && res.err.contains("rank 1's --seq is 32, rank 0's is 64"), qPrintable(res.err));
        }
        QVERIFY(!QFileInfo::exists(dir_.filePath("build-differ") + "/dataset.json"));
    }

    // A rank killed while it codes its shard: rank 0 gives up on it once its
    // heartbeat has been silent for --dist-timeout, and writes no dataset.
    void aBuildWhoseRankDiesFailsCleanly() {
        const QString out = dir_.filePath("build-killed");
        const QStringList args = buildDatasetArgs("eqinfo-ac", out, 8);
        Job job(cliPath, {args, args}, freePort());
        // rank 1 is coding its shard: past the rendezvous and the comparison of options
        const QString said = readUntilSaid(job.process(1), "coding");
        QVERIFY2(said.contains("coding"), qPrintable(said));
        job.process(1).kill();
        QElapsedTimer t;
        t.start();
        const Result r0 = job.result(0);
        QVERIFY2(t.elapsed() < 60000, qPrintable(QString("rank 0 took %1 ms to fail").arg(t.elapsed())));
        QVERIFY2(r0.code > 0 && r0.err.contains("rank 1 has not been heard from for 8 s"), qPrintable(r0.err));
        QVERIFY(!QFileInfo::exists(out + "/dataset.json"));
    }

    // The same job through torchrun itself, where python3-torch provides it.
    void throughTorchrun() {
        const QString torchrun = QStandardPaths::findExecutable("torchrun");
        if (torchrun.isEmpty()) QSKIP("torchrun is not installed (python3-torch)");
        const QString run = dir_.filePath("torchrun");
        QProcess p;
        // --redirects 1 --tee 1: Debian 12's torchrun (torch 1.13 on Python 3.11) fails on its default
        // redirects of 0 (its Std flag enum no longer lists NONE); stdout through a file and back works.
        p.start(torchrun,
                QStringList{"--redirects", "1", "--tee", "1", "--no_python", "--nproc_per_node", "2", "--master_addr",
                            "127.0.0.1", "--master_port", QString::number(freePort()), cliPath} +
                    trainM2(data_, run, 4, 10) + QStringList{"--check-sync"});
        QVERIFY(p.waitForFinished(kWaitMs));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, qPrintable(err));
        QVERIFY2(err.contains("2 ranks"), qPrintable(err));
        QCOMPARE(readLog((run + "/log.csv").toStdString()).back().step, int64_t(10));
    }
};

QTEST_MAIN(TestDistributed)
#include "tst_distributed.moc"
