// The M2 lab: datasets are deterministic, cached by key and complete, and
// a damaged dataset.json is refused naming the field; the baselines and
// bits/byte follow the paper's formula on a hand-made fixture and, with
// padded examples, a per-example reference; a tiny M2 lowers its loss on a
// tiny dataset; a stopped, killed (kill -9) or terminated run resumes from
// its checkpoint to exactly the uninterrupted run's weights; a resume on
// another dataset or model, or without a checkpoint, is refused plainly; a
// damaged checkpoint is caught by its CRCs; a cancelled build leaves no
// dataset behind.
#include <torch/torch.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <cmath>
#include <functional>
#include <sstream>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "cli_run.h"
#include "m2/m2_checkpoint.h"
#include "m2/m2_dataset.h"
#include "m2/m2_trainer.h"
#include "m2/run_record.h"
#include "methods/default_models.h"
#include "nn/m1_module.h"
#include "small_dataset.h"

using namespace eqlab;
using namespace eqlab::m2;

namespace {

DatasetOptions smallOptions(Method m) {
    CodecParams p;
    p.method = m;
    return test::smallDatasetOptions(p);
}

const std::string& corpus() {
    return test::sampleCorpus();
}

M2Config tinyConfig() {
    M2Config c;
    c.dModel = 16;
    c.heads = 2;
    c.layers = 1;
    c.mlp = 32;
    return c;
}

// The validation bits of a saved model, by a reference independent of the
// trainer's batching and mask: each example alone, only its real tokens
// fed (BOS, then tokens 0..len-2), the log-probabilities of its len targets
// summed in double.
struct Reference {
    double bitsPerToken = 0, bitsPerByte = 0;
};
Reference referenceBits(const Dataset& d, const M2Config& c, const std::string& runDir) {
    torch::NoGradGuard guard;
    m1::M1Config m;
    m.dModel = c.dModel;
    m.heads = c.heads;
    m.layers = c.layers;
    m.mlp = c.mlp;
    m.context = d.seqTokens;
    m1::M1 model(m, int64_t(d.vocab) + 1, int64_t(d.vocab));
    std::istringstream bytes(readCheckpoint(runDir).model);
    torch::load(model, bytes);
    model->eval();
    double bits = 0, tokens = 0, covered = 0;
    for (size_t i = 0; i < d.valid.examples; ++i) {
        const uint16_t* row = d.valid.row(i, d.seqTokens);
        const int64_t len = d.valid.lengths[i];
        auto in = torch::empty({1, len}, torch::kLong);
        in[0][0] = int64_t(d.vocab);
        for (int64_t t = 1; t < len; ++t) in[0][t] = int64_t(row[t - 1]);
        const auto logp = torch::log_softmax(model->forward(in).to(torch::kDouble), -1);
        for (int64_t t = 0; t < len; ++t) bits -= logp[0][t][row[t]].item<double>() / std::log(2.0);
        tokens += double(len);
        covered += double(d.valid.coveredBytes[i]);
    }
    return {bits / tokens, bits / covered};
}

// A checkpoint's optimizer state in parameter order: each parameter's step
// count and both Adam moments. (Its bytes name parameters by their address
// in memory, so two runs' bytes differ even when their states are equal.)
std::vector<torch::Tensor> optimizerState(const Checkpoint& k) {
    m1::M1Config m;
    m.dModel = k.config.dModel;
    m.heads = k.config.heads;
    m.layers = k.config.layers;
    m.mlp = k.config.mlp;
    m.context = k.seqTokens;
    m1::M1 model(m, int64_t(k.vocab) + 1, int64_t(k.vocab));
    torch::optim::AdamW opt(model->parameters(), torch::optim::AdamWOptions(1e-3));
    std::istringstream bytes(k.optimizer);
    torch::load(opt, bytes);
    std::vector<torch::Tensor> out;
    for (const torch::Tensor& p : opt.param_groups().at(0).params()) {
        const auto& s = static_cast<const torch::optim::AdamWParamState&>(
            *opt.state().at(c10::guts::to_string(p.unsafeGetTensorImpl())));
        out.push_back(torch::full({1}, double(s.step()), torch::kDouble));
        out.push_back(s.exp_avg());
        out.push_back(s.exp_avg_sq());
    }
    return out;
}

// Everything a log row says but its wall time.
bool sameRow(const EvalPoint& a, const EvalPoint& b) {
    return a.step == b.step && a.tokensSeen == b.tokensSeen && a.bytesSeen == b.bytesSeen && a.lr == b.lr &&
           a.trainBitsPerToken == b.trainBitsPerToken && a.validBitsPerToken == b.validBitsPerToken &&
           a.validBitsPerByte == b.validBitsPerByte && a.validAccuracy == b.validAccuracy &&
           a.accuracyByPosition == b.accuracyByPosition;
}

// A resumed run equals the uninterrupted one: the same weights and optimizer
// state, bit for bit, and the same log (one thread: libtorch is then
// deterministic on the CPU).
void compareRuns(const std::string& resumed, const std::string& uninterrupted) {
    const Checkpoint a = readCheckpoint(resumed), b = readCheckpoint(uninterrupted);
    QCOMPARE(a.step, b.step);
    QCOMPARE(a.tokensSeen, b.tokensSeen);
    QCOMPARE(a.smoothedLoss, b.smoothedLoss);
    QCOMPARE(a.sampler, b.sampler);
    QVERIFY2(a.model == b.model, "the resumed run's weights differ from the uninterrupted run's");
    const std::vector<torch::Tensor> oa = optimizerState(a), ob = optimizerState(b);
    QCOMPARE(oa.size(), ob.size());
    for (size_t i = 0; i < oa.size(); ++i)
        QVERIFY2(torch::equal(oa[i], ob[i]), "the resumed run's optimizer state differs from the uninterrupted run's");
    const std::vector<EvalPoint> la = readLog(resumed + "/log.csv"), lb = readLog(uninterrupted + "/log.csv");
    QCOMPARE(la.size(), lb.size());
    for (size_t i = 0; i < la.size(); ++i) QVERIFY2(sameRow(la[i], lb[i]), qPrintable(QString("log row %1").arg(i)));
}

std::string readText(const std::string& path) {
    const std::vector<uint8_t> raw = readFile(path);
    return std::string(raw.begin(), raw.end());
}

}  // namespace

class TestM2 : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void datasetsAreDeterministicAndComplete_data() {
        QTest::addColumn<int>("method");
        for (Method m : allMethods()) QTest::newRow(methodName(m).c_str()) << int(m);
    }
    void datasetsAreDeterministicAndComplete() {
        QFETCH(int, method);
        const DatasetOptions o = smallOptions(Method(method));
        const Dataset a = buildDataset(corpus(), o);
        const Dataset b = buildDataset(corpus(), o);
        QVERIFY(a.train.tokens == b.train.tokens && a.valid.tokens == b.valid.tokens);
        QCOMPARE(a.key, b.key);
        QCOMPARE(a.train.examples + a.valid.examples, size_t(8192 / 256));
        QCOMPARE(a.valid.examples, size_t(4));
        for (const Split* s : {&a.train, &a.valid}) {
            QCOMPARE(s->tokens.size(), s->examples * 64);
            for (size_t i = 0; i < s->examples; ++i) {
                QVERIFY(s->lengths[i] >= 1 && s->lengths[i] <= 64);
                QVERIFY(s->coveredBytes[i] >= 1 && s->coveredBytes[i] <= 256);
                if (s->lengths[i] < 64) QCOMPARE(s->coveredBytes[i], uint32_t(256));  // whole example scored
                for (uint32_t t = s->lengths[i]; t < 64; ++t) QCOMPARE(s->row(i, 64)[t], uint16_t(0));
            }
        }
        if (Method(method) == Method::Bytes) {  // bytes: tokens are the text, 64 of each 256-byte example
            const std::vector<uint8_t> text = readFile(corpus());
            for (int t = 0; t < 64; ++t) QCOMPARE(a.train.row(3, 64)[t], uint16_t(text[3 * 256 + size_t(t)]));
            QCOMPARE(a.train.coveredBytes[3], uint32_t(64));
        }
        if (Method(method) == Method::EqualInfoAc) QCOMPARE(a.tokensPerWindow, 2);
    }

    // reproduce --methods takes the reset variants: each label is its own
    // dataset (its own key), and the dataset remembers the variant.
    void resetVariantsAreDatasetsOfTheirOwn() {
        DatasetOptions every = smallOptions(Method::EqualInfoAc);
        DatasetOptions never = every;
        never.params = CodecParams::fromLabel("eqinfo-ac[b=16,v=256,reset=never]");
        const Dataset a = buildDataset(corpus(), every);
        const Dataset b = buildDataset(corpus(), never);
        QVERIFY(a.key != b.key);
        QCOMPARE(QString::fromStdString(b.method), QString("eqinfo-ac[b=16,v=256,reset=never]"));
        QVERIFY(a.train.tokens != b.train.tokens);
        QTemporaryDir dir;
        const std::string path = dir.filePath("ds").toStdString();
        buildOrLoadDataset(corpus(), never, path);
        QCOMPARE(loadDataset(path).method, b.method);
    }

    void datasetsAreCachedByKey() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("ds").toStdString();
        DatasetOptions o = smallOptions(Method::Gzip);
        bool cached = true;
        const Dataset a = buildOrLoadDataset(corpus(), o, path, {}, &cached);
        QVERIFY(!cached);
        const Dataset b = buildOrLoadDataset(corpus(), o, path, {}, &cached);
        QVERIFY(cached);
        QVERIFY(a.train.tokens == b.train.tokens);
        QCOMPARE(b.train.lengths, a.train.lengths);
        QCOMPARE(b.valid.coveredBytes, a.valid.coveredBytes);
        o.seqTokens = 32;  // another key: rebuilt
        const Dataset c = buildOrLoadDataset(corpus(), o, path, {}, &cached);
        QVERIFY(!cached);
        QCOMPARE(c.seqTokens, 32);
        // A damaged shard is a clear error, and the cache rebuilds it.
        QFile f(dir.filePath("ds/train.bin"));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("xx");
        f.close();
        QVERIFY_THROWS_EXCEPTION(FormatError, loadDataset(path));
        buildOrLoadDataset(corpus(), o, path, {}, &cached);
        QVERIFY(!cached);
        QCOMPARE(loadDataset(path).train.tokens, c.train.tokens);
    }

    // Found by fuzz/dataset: parameters no method has (k = 40 made the
    // method's label shift past 32 bits) were loaded as they were.
    void datasetWithImpossibleParametersIsRefused_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<int>("value");
        QTest::newRow("token_bits 40") << "token_bits" << 40;
        QTest::newRow("token_bits 0") << "token_bits" << 0;
        QTest::newRow("gzip_level 10") << "gzip_level" << 10;
    }
    void datasetWithImpossibleParametersIsRefused() {
        QFETCH(QString, field);
        QFETCH(int, value);
        QTemporaryDir dir;
        const std::string path = dir.filePath("ds").toStdString();
        saveDataset(buildDataset(corpus(), smallOptions(Method::Gzip)), path);
        QFile f(dir.filePath("ds/dataset.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        f.close();
        QVERIFY(o.contains(field));
        o[field] = value;
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QJsonDocument(o).toJson());
        f.close();
        QVERIFY_THROWS_EXCEPTION(FormatError, loadDataset(path));
    }

    // The regression: dataset builds showed 0% until they were done. Every
    // method's build reports its phases in order, the fraction never falls,
    // passes through the middle (not only the start and the end), and ends at 1.
    void buildReportsItsPhases_data() {
        QTest::addColumn<int>("method");
        QTest::addColumn<QStringList>("phases");
        QTest::newRow("eqinfo-ac") << int(Method::EqualInfoAc)
                                   << QStringList{"loading M1",       "coding", "checking windows decode",
                                                  "cutting examples", "saving", "done"};
        QTest::newRow("ac") << int(Method::Ac)
                            << QStringList{"loading M1", "coding", "cutting examples", "saving", "done"};
        QTest::newRow("gzip") << int(Method::Gzip) << QStringList{"coding", "saving", "done"};
    }
    void buildReportsItsPhases() {
        QFETCH(int, method);
        QFETCH(QStringList, phases);
        QTemporaryDir dir;
        std::vector<ProgressStatus> seen;
        DatasetOptions o = smallOptions(Method(method));
        o.exampleBytes = 64;  // 128 examples: reports on the way even where examples are coded one by one
        buildOrLoadDataset(corpus(), o, dir.filePath("ds").toStdString(), [&seen](const ProgressStatus& s) {
            seen.push_back(s);
            return true;
        });
        QStringList order;
        for (const ProgressStatus& s : seen)
            if (order.isEmpty() || order.back() != QString::fromStdString(s.phase))
                order << QString::fromStdString(s.phase);
        QCOMPARE(order, phases);
        int middle = 0;
        for (size_t i = 0; i < seen.size(); ++i) {
            if (i > 0) QVERIFY2(seen[i].fraction >= seen[i - 1].fraction, "progress went back");
            middle += seen[i].fraction > 0.05 && seen[i].fraction < 0.95;
        }
        // How many depends on the machine's speed (the coder reports every 4,096 bytes or 50 ms),
        // not whether: a build that jumps from the start to the end has none.
        QVERIFY2(middle >= 1, qPrintable(QString("only %1 reports between 5% and 95%").arg(middle)));
        QCOMPARE(seen.back().fraction, 1.0);
        // Loaded from its folder the second time: it says so, and ends at 1 too.
        seen.clear();
        bool cached = false;
        buildOrLoadDataset(
            corpus(), o, dir.filePath("ds").toStdString(),
            [&seen](const ProgressStatus& s) {
                seen.push_back(s);
                return true;
            },
            &cached);
        QVERIFY(cached);
        QCOMPARE(seen.front().phase, std::string("checking the cached dataset"));
        QCOMPARE(seen.back().fraction, 1.0);
    }

    void cancelledBuildLeavesNothing() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("ds").toStdString();
        DatasetOptions o = smallOptions(Method::EqualInfoAc);
        QVERIFY_THROWS_EXCEPTION(Cancelled,
                                 buildOrLoadDataset(corpus(), o, path, [](const ProgressStatus&) { return false; }));
        QVERIFY(!QFile::exists(QString::fromStdString(path + "/dataset.json")));
    }

    // The paper's formula on a fixture small enough to compute by hand.
    void baselinesFollowTheFormula() {
        Dataset d;
        d.vocab = 4;
        d.seqTokens = 4;
        d.train.examples = 1;
        d.train.tokens = {0, 0, 1, 2};
        d.train.lengths = {4};
        d.train.coveredBytes = {10};
        d.valid.examples = 2;
        d.valid.tokens = {0, 1, 0, 0, 3, 0, 0, 0};
        d.valid.lengths = {3, 1};
        d.valid.coveredBytes = {6, 2};
        const Baselines b = baselines(d);
        QCOMPARE(b.uniformBitsPerToken, 2.0);
        QCOMPARE(b.uniformBitsPerByte, 2.0 * 4 / 8);  // 4 scored tokens over 8 covered bytes
        // Counts with add-half smoothing: 0: 2.5, 1: 1.5, 2: 1.5, 3: 0.5 of 6.
        const double bits = -(2 * std::log2(2.5 / 6) + std::log2(1.5 / 6) + std::log2(0.5 / 6));
        QVERIFY(std::abs(b.unigramBitsPerToken - bits / 4) < 1e-12);
        QVERIFY(std::abs(b.unigramBitsPerByte - bits / 8) < 1e-12);
    }

    void tinyM2LowersItsLossAndResumes() {
        QTemporaryDir dir;
        DatasetOptions o = smallOptions(Method::Bytes);
        o.maxBytes = 1 << 14;
        const Dataset d = buildDataset(corpus(), o);
        M2Config c;
        c.dModel = 32;
        c.heads = 2;
        c.layers = 1;
        c.mlp = 64;
        TrainOptions t;
        t.runDir = dir.filePath("run").toStdString();
        t.steps = 60;
        t.batch = 8;
        t.lr = 3e-3;
        t.evalEvery = 20;
        t.threads = 1;
        std::vector<EvalPoint> points;
        const TrainResult r = train(d, c, t, [&](const EvalPoint& p) {
            points.push_back(p);
            return p.step < 40;  // stop early: a checkpoint must be written
        });
        QVERIFY(r.stopped);
        QCOMPARE(r.last.step, int64_t(40));
        QVERIFY2(
            points.back().validBitsPerToken < points.front().validBitsPerToken - 1.0,
            qPrintable(QString("%1 -> %2").arg(points.front().validBitsPerToken).arg(points.back().validBitsPerToken)));
        QVERIFY(r.best.validBitsPerToken < r.base.uniformBitsPerToken);
        // bits/byte = bits/token x scored tokens / covered bytes.
        const double ratio = double(d.valid.totalTokens()) / double(d.valid.totalBytes());
        for (const EvalPoint& p : points) QVERIFY(std::abs(p.validBitsPerByte - p.validBitsPerToken * ratio) < 1e-6);
        // The log re-reads, and a resumed run continues to the end.
        const std::vector<EvalPoint> log = readLog(t.runDir + "/log.csv");
        QCOMPARE(log.size(), points.size());
        QCOMPARE(log.back().step, int64_t(40));
        t.resume = true;
        const TrainResult r2 = train(d, c, t, {});
        QVERIFY(!r2.stopped);
        QCOMPARE(r2.last.step, int64_t(60));
        QVERIFY(r2.last.tokensSeen > r.last.tokensSeen);
        QCOMPARE(readLog(t.runDir + "/log.csv").back().step, int64_t(60));
        QVERIFY(QFile::exists(QString::fromStdString(t.runDir + "/run.json")));
        // ... to exactly where an uninterrupted run of 60 steps ends (the README's promise).
        TrainOptions whole = t;
        whole.resume = false;
        whole.runDir = dir.filePath("whole").toStdString();
        const TrainResult w = train(d, c, whole, {});
        QCOMPARE(r2.last.validBitsPerToken, w.last.validBitsPerToken);
        compareRuns(t.runDir, whole.runDir);
    }

    // The regression: the padding mask forced to 1 passed, for the bits/byte
    // check's examples were all full. Here most examples are padded (static-ac
    // codes 128 bytes into about 75 tokens of 128); the trainer's validation
    // must equal a per-example reference that never sees the padding.
    void paddedExamplesScoreOnlyTheirTokens() {
        QTemporaryDir dir;
        DatasetOptions o = smallOptions(Method::StaticAc);
        o.exampleBytes = 128;
        o.seqTokens = 128;
        const Dataset d = buildDataset(corpus(), o);
        size_t padded = 0;
        for (uint32_t len : d.valid.lengths) padded += len < uint32_t(d.seqTokens);
        QVERIFY2(padded == d.valid.examples, "the fixture's validation examples must all be padded");
        TrainOptions t;
        t.runDir = dir.filePath("run").toStdString();
        t.steps = 20;
        t.batch = 4;
        t.lr = 3e-3;
        t.evalEvery = 20;
        t.threads = 1;
        const TrainResult r = train(d, tinyConfig(), t, {});
        const Reference ref = referenceBits(d, tinyConfig(), t.runDir);
        QVERIFY2(std::abs(r.last.validBitsPerToken - ref.bitsPerToken) < 1e-4,
                 qPrintable(QString("trainer %1, reference %2 bits/token")
                                .arg(r.last.validBitsPerToken, 0, 'f', 6)
                                .arg(ref.bitsPerToken, 0, 'f', 6)));
        QVERIFY2(std::abs(r.last.validBitsPerByte - ref.bitsPerByte) < 1e-4,
                 qPrintable(QString("trainer %1, reference %2 bits/byte")
                                .arg(r.last.validBitsPerByte, 0, 'f', 6)
                                .arg(ref.bitsPerByte, 0, 'f', 6)));
    }

    // A real train-m2 process, killed (kill -9) or terminated (SIGTERM) after
    // its first periodic checkpoint, resumes from its last checkpoint and ends
    // where the uninterrupted run ends.
    void interruptedTrainingResumes_data() {
        QTest::addColumn<bool>("kill");
        QTest::newRow("kill -9") << true;
        QTest::newRow("SIGTERM") << false;
    }
    void interruptedTrainingResumes() {
        QFETCH(bool, kill);
        QTemporaryDir dir;
        const std::string ds = dir.filePath("ds").toStdString();
        DatasetOptions o = smallOptions(Method::Bytes);
        saveDataset(buildDataset(corpus(), o), ds);
        const QString run = dir.filePath("run");
        const QStringList options = {"--data",
                                     QString::fromStdString(ds),
                                     "--minutes",
                                     "0",
                                     "--steps",
                                     "600",
                                     "--eval-every",
                                     "100",
                                     "--checkpoint-every",
                                     "10",
                                     "--d-model",
                                     "16",
                                     "--layers",
                                     "1",
                                     "--batch",
                                     "4",
                                     "--threads",
                                     "1"};
        QProcess p;
        p.start(EQLAB_CLI_PATH, QStringList{"train-m2", "--run", run} + options);
        QVERIFY(p.waitForStarted());
        const QString checkpoint = run + "/" + kCheckpointFile;
        while (!QFile::exists(checkpoint) && p.state() == QProcess::Running) QThread::msleep(2);
        if (kill)
            p.kill();
        else
            p.terminate();
        QVERIFY(p.waitForFinished(60000));
        if (kill) {
            QCOMPARE(p.exitStatus(), QProcess::CrashExit);
        } else {
            QCOMPARE(p.exitStatus(), QProcess::NormalExit);
            QCOMPARE(p.exitCode(), 128 + 15);
            QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains("stopped by signal 15"));
            QCOMPARE(readRunRecord(run.toStdString()).status, std::string("stopped"));
        }
        const Checkpoint at = readCheckpoint(run.toStdString());  // whole, whenever the kill came
        QVERIFY2(at.step > 0 && at.step < 600, qPrintable(QString("checkpoint at step %1").arg(at.step)));
        if (kill) QCOMPARE(at.step % 10, int64_t(0));  // a periodic one
        const test::CliRun resumed = test::cli(QStringList{"train-m2", "--run", run, "--resume"} + options);
        QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
        const QString whole = dir.filePath("whole");
        const test::CliRun uninterrupted = test::cli(QStringList{"train-m2", "--run", whole} + options);
        QVERIFY2(uninterrupted.code == 0, qPrintable(uninterrupted.err));
        compareRuns(run.toStdString(), whole.toStdString());
    }

    // A resume on another dataset or model shape is refused, naming the
    // difference, and leaves the run as it was (run.json, log.csv, checkpoint).
    void resumeRefusesAnotherDatasetOrModel_data() {
        QTest::addColumn<QString>("label");
        QTest::addColumn<int>("seq");
        QTest::addColumn<int>("dModel");
        QTest::addColumn<QStringList>("named");
        QTest::newRow("a bytes dataset") << "bytes" << 64 << 16
                                         << QStringList{"method static-ac[v=256], not bytes", "dataset key"};
        QTest::newRow("65536 tokens") << "eqinfo-ac[b=16,v=65536]" << 64 << 16
                                      << QStringList{"vocabulary 256, not 65536", "method static-ac[v=256], not"};
        QTest::newRow("another sequence length")
            << "static-ac" << 32 << 16 << QStringList{"sequence length 64, not 32", "dataset key"};
        QTest::newRow("another model shape")
            << "static-ac" << 64 << 32 << QStringList{"model d=16 heads=2 layers=1 mlp=32, not d=32"};
    }
    void resumeRefusesAnotherDatasetOrModel() {
        QFETCH(QString, label);
        QFETCH(int, seq);
        QFETCH(int, dModel);
        QFETCH(QStringList, named);
        QTemporaryDir dir;
        const Dataset staticAc = buildDataset(corpus(), smallOptions(Method::StaticAc));
        TrainOptions t;
        t.runDir = dir.filePath("run").toStdString();
        t.steps = 2;
        t.batch = 2;
        t.evalEvery = 2;
        t.threads = 1;
        train(staticAc, tinyConfig(), t, {});
        const std::string runJson = readText(t.runDir + "/run.json"), log = readText(t.runDir + "/log.csv"),
                          checkpoint = readText(t.runDir + "/" + kCheckpointFile);
        DatasetOptions o = smallOptions(Method::StaticAc);
        o.params = CodecParams::fromLabel(label.toStdString());
        o.seqTokens = seq;
        const Dataset other = buildDataset(corpus(), o);
        M2Config c = tinyConfig();
        c.dModel = dModel;
        t.resume = true;
        t.steps = 4;
        try {
            train(other, c, t, {});
            QFAIL("the resume was not refused");
        } catch (const FormatError& e) {
            for (const QString& n : named) QVERIFY2(QString(e.what()).contains(n), e.what());
        }
        QVERIFY(readText(t.runDir + "/run.json") == runJson);
        QVERIFY(readText(t.runDir + "/log.csv") == log);
        QVERIFY(readText(t.runDir + "/" + kCheckpointFile) == checkpoint);
    }

    // --resume on a run that has no checkpoint says so, not libtorch's fopen message.
    void resumeWithoutACheckpointSaysSo() {
        QTemporaryDir dir;
        const Dataset d = buildDataset(corpus(), smallOptions(Method::Bytes));
        TrainOptions t;
        t.runDir = dir.filePath("run").toStdString();
        t.resume = true;
        QVERIFY(QDir().mkpath(dir.filePath("run")));
        try {
            train(d, tinyConfig(), t, {});
            QFAIL("resumed without a checkpoint");
        } catch (const FormatError& e) {
            QVERIFY2(QString(e.what()).contains("has no checkpoint"), e.what());
        }
        const std::string ds = dir.filePath("ds").toStdString();
        saveDataset(d, ds);
        const test::CliRun r = test::cli(
            {"train-m2", "--data", QString::fromStdString(ds), "--run", QString::fromStdString(t.runDir), "--resume"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("has no checkpoint") && !r.err.contains("libtorch"), qPrintable(r.err));
        // An older eqlab's three unchecked files are named, not resumed.
        writeFile(t.runDir + "/model.pt", std::vector<uint8_t>{1, 2, 3});
        QVERIFY_THROWS_EXCEPTION(FormatError, readCheckpoint(t.runDir));
    }

    // Every flipped byte and every truncation of a checkpoint is caught (the
    // header's CRC-32, the model's and optimizer's CRC-32, the sizes).
    void damagedCheckpointsAreRefused() {
        QTemporaryDir dir;
        const Dataset d = buildDataset(corpus(), smallOptions(Method::Bytes));
        TrainOptions t;
        t.runDir = dir.filePath("run").toStdString();
        t.steps = 1;
        t.batch = 1;
        t.threads = 1;
        train(d, tinyConfig(), t, {});
        const std::vector<uint8_t> good = readFile(t.runDir + "/" + kCheckpointFile);
        const Checkpoint k = decodeCheckpoint(good.data(), good.size(), "ok");
        QCOMPARE(encodeCheckpoint(k), good);
        int caught = 0, tried = 0;
        for (size_t i = 0; i < good.size(); i += 3) {
            std::vector<uint8_t> bad = good;
            bad[i] ^= uint8_t(1u << (i % 8));
            ++tried;
            try {
                decodeCheckpoint(bad.data(), bad.size(), "flipped");
            } catch (const FormatError&) {
                ++caught;
            }
        }
        QCOMPARE(caught, tried);
        for (size_t n = 0; n < good.size(); n += 5)
            QVERIFY_THROWS_EXCEPTION(FormatError, decodeCheckpoint(good.data(), n, "truncated"));
        // Through resume: a flipped byte inside the model is named.
        std::vector<uint8_t> bad = good;
        bad[good.size() - k.optimizer.size() - k.model.size() / 2 - 4] ^= 0x10;
        writeFile(t.runDir + "/" + kCheckpointFile, bad);
        t.resume = true;
        t.steps = 2;
        try {
            train(d, tinyConfig(), t, {});
            QFAIL("a damaged checkpoint resumed");
        } catch (const FormatError& e) {
            QVERIFY2(QString(e.what()).contains("CRC-32"), e.what());
        }
    }

    // dataset.json's every field is checked against its range, the others and
    // the shards; the message names what is wrong.
    void damagedDatasetsAreRefused_data() {
        QTest::addColumn<QString>("field");  // "split/name" or "name"; "" with json = the whole file
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("message");
        const auto row = [](const char* name, const QString& field, const QJsonValue& v, const QString& m) {
            QTest::newRow(name) << field << v << m;
        };
        row("covered_bytes 0", "valid/covered_bytes", QJsonArray{0, 256, 256, 256}, "covered_bytes[0]\" is 0");
        row("covered_bytes negative", "valid/covered_bytes", QJsonArray{-5, 256, 256, 256}, "covered_bytes[0]\" is -5");
        row("covered_bytes above example_bytes", "valid/covered_bytes", QJsonArray{300, 256, 256, 256},
            "expected 1 to 256");
        row("negative length", "valid/lengths", QJsonArray{-3, 64, 64, 64}, "lengths[0]\" is -3");
        row("length above seq_tokens", "valid/lengths", QJsonArray{65, 64, 64, 64}, "expected 1 to 64");
        row("fractional length", "valid/lengths", QJsonArray{1.5, 64, 64, 64}, "not an integer");
        row("lengths too few", "valid/lengths", QJsonArray{64, 64}, "has 2 entries");
        row("tokens not the sum", "valid/tokens", 1, "\"tokens\" is not the sum");
        row("bytes not the sum", "valid/bytes", 1, "\"bytes\" is not the sum");
        row("examples 0", "train/examples", 0, "\"examples\" is 0");
        row("examples too many", "train/examples", 29, "has 28 entries");
        row("covered_bytes missing", "train/covered_bytes", QJsonValue(QJsonValue::Undefined),
            "\"covered_bytes\" is missing");
        row("vocab 1", "vocab", 1, "\"vocab\" is 1");
        row("vocab below a token", "vocab", 2, "outside the vocabulary of 2");
        row("seq_tokens a string", "seq_tokens", "64", "\"seq_tokens\" is not an integer");
        row("seq_tokens another", "seq_tokens", 32, "lengths[0]\" is 64, expected 1 to 32");
        row("example_bytes below covered_bytes", "example_bytes", 32, "covered_bytes[0]\" is 64, expected 1 to 32");
        row("bytes_per_token 0", "bytes_per_token", 0, "\"bytes_per_token\" is not positive");
        row("method not its name", "method_name", "gzip", "is not a gzip method");
        row("unknown method", "method_name", "lzma", "unknown method");
        row("version 2", "version", 2, "version 2, expected 1");
        row("dtype", "dtype", "uint32", "\"dtype\" is not \"uint16\"");
        row("an array", "", QJsonArray{}, "not an eqlab M2 dataset (JSON, but not an object)");
    }
    void damagedDatasetsAreRefused() {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const std::string ds = dir.filePath("ds").toStdString();
        DatasetOptions o = smallOptions(Method::Bytes);  // every example truncated: 64 tokens of 256 bytes
        saveDataset(buildDataset(corpus(), o), ds);
        loadDataset(ds);  // as written, it loads
        const QString json = dir.filePath("ds/dataset.json");
        QJsonObject root = QJsonDocument::fromJson(QByteArray::fromStdString(readText(json.toStdString()))).object();
        QJsonDocument edited;
        if (field.isEmpty()) {
            edited = QJsonDocument(value.toArray());
        } else {
            const QStringList path = field.split('/');
            if (path.size() == 2) {
                QJsonObject split = root[path[0]].toObject();
                if (value.isUndefined())
                    split.remove(path[1]);
                else
                    split[path[1]] = value;
                root[path[0]] = split;
            } else {
                root[path[0]] = value;
            }
            edited = QJsonDocument(root);
        }
        const QByteArray text = edited.toJson();
        writeFile(json.toStdString(), reinterpret_cast<const uint8_t*>(text.constData()), size_t(text.size()));
        try {
            loadDataset(ds);
            QFAIL("the damaged dataset loaded");
        } catch (const FormatError& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    // A token in an example's padding (past its length) is refused: the
    // format says padding is 0, and other trainers may not mask it. An
    // example that is not truncated scores all of its bytes.
    void paddingMustBeZero() {
        QTemporaryDir dir;
        const std::string ds = dir.filePath("ds").toStdString();
        DatasetOptions o = smallOptions(Method::StaticAc);
        o.seqTokens = 256;  // every example padded
        const Dataset d = buildDataset(corpus(), o);
        saveDataset(d, ds);
        std::vector<uint8_t> shard = readFile(ds + "/valid.bin");
        shard[2 * (size_t(d.valid.lengths[0]) + 1)] = 7;
        writeFile(ds + "/valid.bin", shard);
        try {
            loadDataset(ds);
            QFAIL("a token in the padding loaded");
        } catch (const FormatError& e) {
            QVERIFY2(QString(e.what()).contains("in its padding"), e.what());
        }
        saveDataset(d, ds);
        const std::string json = ds + "/dataset.json";
        QJsonObject root = QJsonDocument::fromJson(QByteArray::fromStdString(readText(json))).object();
        QJsonObject valid = root["valid"].toObject();
        QJsonArray covered = valid["covered_bytes"].toArray();
        covered[0] = 100;
        valid["covered_bytes"] = covered;
        valid["bytes"] = valid["bytes"].toInteger() - 156;  // the sum still agrees
        root["valid"] = valid;
        const QByteArray text = QJsonDocument(root).toJson();
        writeFile(json, reinterpret_cast<const uint8_t*>(text.constData()), size_t(text.size()));
        try {
            loadDataset(ds);
            QFAIL("an untruncated example covering part of its bytes loaded");
        } catch (const FormatError& e) {
            QVERIFY2(QString(e.what()).contains("is not truncated") && QString(e.what()).contains("covers 100 bytes"),
                     e.what());
        }
    }

    void positionAccuracyForWindows() {
        QTemporaryDir dir;
        const Dataset d = buildDataset(corpus(), smallOptions(Method::EqualInfoAc));
        M2Config c;
        c.dModel = 16;
        c.heads = 2;
        c.layers = 1;
        c.mlp = 32;
        TrainOptions t;
        t.runDir = dir.filePath("run").toStdString();
        t.steps = 4;
        t.batch = 4;
        t.evalEvery = 2;
        t.threads = 1;
        const TrainResult r = train(d, c, t, {});
        QCOMPARE(r.last.accuracyByPosition.size(), size_t(2));
        QCOMPARE(readLog(t.runDir + "/log.csv").back().accuracyByPosition.size(), size_t(2));
    }
};

QTEST_MAIN(TestM2)
#include "tst_m2.moc"
