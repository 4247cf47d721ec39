// M2 experiments (m2/experiment.h): the size rule, one dataset folder per
// method and cutting options, a fresh run folder per run, run.json naming
// the dataset so that a run resumes, older runs (dataset_dir.txt) resuming
// too, and the run folders found in a folder.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "m2/experiment.h"
#include "m2/reproduce_preset.h"
#include "methods/default_models.h"
#include "small_dataset.h"

using namespace eqlab;
using namespace eqlab::m2;

namespace {

DatasetOptions smallOptions() {
    DatasetOptions o = test::smallDatasetOptions(CodecParams());  // 16 examples of 256 bytes, 4 held out
    o.maxBytes = 4096;
    o.validFraction = 0.25;
    o.threads = 1;
    return o;
}

bool exists(const std::string& path) {
    return QFile::exists(QString::fromStdString(path));
}

}  // namespace

class TestExperiment : public QObject {
    Q_OBJECT
private slots:
    // reproduce's presets: every method of each parses; the findings preset
    // covers the window sizes, the resets and v = 65,536; an unknown name is
    // refused, listing the names there are.
    void presetsNameRealMethods() {
        for (const ReproducePreset& r : reproducePresets()) {
            QVERIFY(!r.methods.empty() && r.budgetMinutes > 0);
            for (const std::string& m : r.methods) CodecParams::fromLabel(m).validate();  // throws on a bad label
        }
        const ReproducePreset& laptop = reproducePreset("laptop-1h");
        for (const char* m : {"eqinfo-ac[b=16,v=256]", "eqinfo-ac[b=128,v=256]", "eqinfo-ac[b=16,v=256,reset=never]",
                              "eqinfo-ac[b=16,v=65536]"})
            QVERIFY2(std::count(laptop.methods.begin(), laptop.methods.end(), std::string(m)) == 1, m);
        QCOMPARE(reproducePreset("quick").methods, reproduceMethods());
        try {
            reproducePreset("laptop");
            QFAIL("an unknown preset was accepted");
        } catch (const InvalidArgument& e) {
            QVERIFY2(QString(e.what()).contains("quick, laptop-1h, overnight"), e.what());
        }
    }

    void sizeRule_data() {
        QTest::addColumn<int>("dModel");
        QTest::addColumn<int>("layers");
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("mlp");
        QTest::newRow("tiny") << 64 << 1 << 2 << 256;
        QTest::newRow("small (the default M2Config)") << 128 << 2 << 4 << 512;
        QTest::newRow("paper's smallest") << 512 << 6 << 16 << 2048;
        QTest::newRow("narrower than a head") << 16 << 1 << 1 << 64;
    }
    void sizeRule() {
        QFETCH(int, dModel);
        QFETCH(int, layers);
        QFETCH(int, heads);
        QFETCH(int, mlp);
        const M2Config c = Experiment::modelConfig(dModel, layers);
        QCOMPARE(c.dModel, dModel);
        QCOMPARE(c.layers, layers);
        QCOMPARE(c.heads, heads);
        QCOMPARE(c.mlp, mlp);
    }

    void layout() {
        const Experiment e("/x/runs");
        QCOMPARE(e.datasetsDir(), std::string("/x/runs/../m2-datasets"));
        const Experiment r = Experiment::inRoot("/x");
        QCOMPARE(r.runsDir(), std::string("/x/m2-runs"));
        QCOMPARE(r.datasetsDir(), std::string("/x/m2-datasets"));
        DatasetOptions a = smallOptions(), b = smallOptions();
        b.seqTokens = 32;
        const std::string da = e.datasetDir("eqinfo-ac[b=16,v=256]", a);
        QVERIFY2(QString::fromStdString(da).startsWith("/x/runs/../m2-datasets/eqinfo-ac_b=16,v=256_-"), da.c_str());
        QCOMPARE(e.datasetDir("eqinfo-ac[b=16,v=256]", a), da);     // stable
        QVERIFY(e.datasetDir("eqinfo-ac[b=16,v=256]", b) != da);    // other options, other folder
        QVERIFY(e.datasetDir("eqinfo-ac[b=16,v=65536]", a) != da);  // other method, other folder
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, e.datasetDir("eqinfo-ac[b=12]", a));
    }

    void runFoldersAreNeverReused() {
        QTemporaryDir dir;
        const Experiment e(dir.filePath("runs").toStdString());
        const std::string a = e.newRunDir("gzip"), b = e.newRunDir("gzip");
        QVERIFY(a != b);
        QVERIFY(exists(a) && exists(b));
        QVERIFY(QString::fromStdString(a).section('/', -1).startsWith("gzip-"));
    }

    void runRecordsItsDatasetAndResumes() {
        QTemporaryDir dir;
        const Experiment e(dir.filePath("runs").toStdString());
        TrainOptions base;
        base.steps = 4;
        base.batch = 2;
        base.evalEvery = 2;
        base.threads = 1;
        const PreparedRun run = e.prepareRun("bytes", resourcePath(kSampleTextFile), smallOptions(), base);
        QVERIFY(!run.datasetCached);
        QCOMPARE(run.options.name, std::string("bytes"));
        QCOMPARE(run.options.datasetDir, e.datasetDir("bytes", smallOptions()));
        QVERIFY(exists(run.options.datasetDir + "/dataset.json"));
        QVERIFY(!run.options.resume);
        const TrainResult r = train(run.dataset, Experiment::modelConfig(16, 1), run.options, {});
        QCOMPARE(r.last.step, int64_t(4));
        QCOMPARE(Experiment::runDirsIn(e.runsDir()), std::vector<std::string>{run.options.runDir});
        QCOMPARE(Experiment::runDirsIn(run.options.runDir), std::vector<std::string>{run.options.runDir});
        const SavedRun saved = Experiment::openRun(run.options.runDir);
        QCOMPARE(saved.record.datasetDir, run.options.datasetDir);
        QCOMPARE(saved.record.name, std::string("bytes"));
        QVERIFY(saved.points.size() >= 2);
        QCOMPARE(saved.points.back().step, int64_t(4));

        const PreparedRun again = Experiment::prepareResume(run.options.runDir, base);
        QVERIFY(again.options.resume);
        QCOMPARE(again.options.runDir, run.options.runDir);
        QCOMPARE(again.options.name, std::string("bytes"));
        QCOMPARE(again.dataset.key, run.dataset.key);
        QVERIFY(again.runConfig.has_value());  // the run's shape, from its checkpoint
        QCOMPARE(again.runConfig->describe(), Experiment::modelConfig(16, 1).describe());
        // The same method again: the dataset is reused, the run is new.
        const PreparedRun second = e.prepareRun("bytes", resourcePath(kSampleTextFile), smallOptions(), base);
        QVERIFY(second.datasetCached);
        QVERIFY(second.options.runDir != run.options.runDir);
    }

    // Runs made by the Learnability view before run.json named its dataset.
    void olderRunsResumeThroughDatasetDirTxt() {
        QTemporaryDir dir;
        const Experiment e(dir.filePath("runs").toStdString());
        TrainOptions base;
        base.steps = 2;
        base.batch = 2;
        base.evalEvery = 2;
        base.threads = 1;
        PreparedRun run = e.prepareRun("bytes", resourcePath(kSampleTextFile), smallOptions(), base);
        const std::string datasetDir = run.options.datasetDir;
        run.options.datasetDir.clear();  // as the trainer wrote run.json then
        train(run.dataset, Experiment::modelConfig(16, 1), run.options, {});
        QCOMPARE(readRunRecord(run.options.runDir).datasetDir, std::string());
        QVERIFY_THROWS_EXCEPTION(FormatError, Experiment::prepareResume(run.options.runDir, base));
        writeFile(run.options.runDir + "/dataset_dir.txt", std::vector<uint8_t>(datasetDir.begin(), datasetDir.end()));
        const PreparedRun resumed = Experiment::prepareResume(run.options.runDir, base);
        QCOMPARE(resumed.options.datasetDir, datasetDir);
        QCOMPARE(resumed.dataset.key, run.dataset.key);
    }

    // Unreadable runs are reported, not skipped without a word; a run with a
    // blank name is one of them (it was listed with no name).
    void unreadableRunsAreReported() {
        QTemporaryDir dir;
        const Experiment e(dir.filePath("runs").toStdString());
        TrainOptions base;
        base.steps = 2;
        base.batch = 2;
        base.evalEvery = 2;
        base.threads = 1;
        const PreparedRun run = e.prepareRun("bytes", resourcePath(kSampleTextFile), smallOptions(), base);
        train(run.dataset, Experiment::modelConfig(16, 1), run.options, {});
        const auto broken = [&](const char* name, const std::string& json) {
            const std::string d = e.runsDir() + "/" + name;
            QVERIFY(QDir().mkpath(QString::fromStdString(d)));
            writeFile(d + "/run.json", std::vector<uint8_t>(json.begin(), json.end()));
        };
        broken("a-blank-name", R"({"format": "eqlab-m2-run", "version": 1, "name": "", "method": "bytes"})");
        broken("b-not-json", "{");
        const Experiment::RunScan scan = Experiment::openRunsIn(e.runsDir());
        QCOMPARE(scan.runs.size(), size_t(1));
        QCOMPARE(scan.runs[0].dir, run.options.runDir);
        QCOMPARE(scan.unreadable.size(), size_t(2));
        QVERIFY2(QString::fromStdString(scan.unreadable[0]).contains("a-blank-name/run.json: the run has no name"),
                 scan.unreadable[0].c_str());
        QVERIFY2(QString::fromStdString(scan.unreadable[1]).contains("b-not-json/run.json: not JSON"),
                 scan.unreadable[1].c_str());
    }

    void noRunsInAFolderWithoutThem() {
        QTemporaryDir dir;
        QDir(dir.path()).mkdir("not-a-run");
        QVERIFY(Experiment::runDirsIn(dir.path().toStdString()).empty());
        QVERIFY(Experiment::runDirsIn(dir.filePath("missing").toStdString()).empty());
    }
};

QTEST_MAIN(TestExperiment)
#include "tst_experiment.moc"
