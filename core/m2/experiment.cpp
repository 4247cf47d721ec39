#include "m2/experiment.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <algorithm>
#include <chrono>

#include "base/errors.h"
#include "base/file_io.h"
#include "m2/m2_checkpoint.h"

namespace eqlab::m2 {

namespace {
constexpr int kMaxRunsPerSecond = 1000;  // suffixes tried when run folders of one method start in the same second
constexpr size_t kKeyDigits = 8;         // hex digits of the dataset key in a dataset folder's name

bool fileExists(const std::string& path) {
    return QFile::exists(QString::fromStdString(path));
}

// An older run's dataset folder: the first line of dataset_dir.txt.
std::string legacyDatasetDir(const std::string& runDir) {
    const std::string path = runDir + "/" + kLegacyDatasetDirFile;
    if (!fileExists(path)) return {};
    const std::vector<uint8_t> raw = readFile(path);
    std::string dir(raw.begin(), raw.end());
    dir = dir.substr(0, dir.find('\n'));
    return dir;
}
}  // namespace

Experiment::Experiment(std::string runsDir, std::string datasetsDir)
    : runsDir_(std::move(runsDir)), datasetsDir_(std::move(datasetsDir)) {
    if (datasetsDir_.empty()) datasetsDir_ = runsDir_ + "/../" + kDefaultDatasetsFolder;
}

Experiment Experiment::inRoot(const std::string& root) {
    return Experiment(root + "/" + kDefaultRunsFolder, root + "/" + kDefaultDatasetsFolder);
}

M2Config Experiment::modelConfig(int dModel, int layers) {
    M2Config c;
    c.dModel = dModel;
    c.layers = layers;
    c.heads = std::max(1, dModel / kHeadWidth);
    c.mlp = kMlpRatio * dModel;
    return c;
}

std::string Experiment::datasetDir(const std::string& spec, const DatasetOptions& o) const {
    DatasetOptions keyed = o;
    keyed.params = CodecParams::fromLabel(spec);
    return datasetsDir_ + "/" + specFileName(spec) + "-" + datasetKey("", keyed, "").substr(0, kKeyDigits);
}

std::string Experiment::newRunDir(const std::string& spec) const {
    if (!QDir().mkpath(QString::fromStdString(runsDir_))) throw IoError("cannot create " + runsDir_);
    const std::string stem = runsDir_ + "/" + specFileName(spec) + "-" +
                             QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss").toStdString();
    for (int n = 1; n <= kMaxRunsPerSecond; ++n) {
        const std::string dir = n == 1 ? stem : stem + "-" + std::to_string(n);
        if (QDir().mkdir(QString::fromStdString(dir)))
            return dir;  // mkdir fails on an existing folder: no run is reused
    }
    throw IoError("cannot create a run folder " + stem);
}

PreparedRun Experiment::prepareRun(const std::string& spec, const std::string& corpusPath, DatasetOptions o,
                                   const TrainOptions& base, const StatusFn& progress) const {
    o.params = CodecParams::fromLabel(spec);
    PreparedRun run;
    const std::string dir = datasetDir(spec, o);
    const auto start = std::chrono::steady_clock::now();
    run.dataset = buildOrLoadDataset(corpusPath, o, dir, progress, &run.datasetCached);
    run.datasetSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    run.options = base;
    run.options.name = spec;
    run.options.datasetDir = dir;
    run.options.resume = false;
    run.options.runDir = newRunDir(spec);
    return run;
}

PreparedRun Experiment::prepareResume(const std::string& runDir, const TrainOptions& base) {
    const RunRecord record = readRunRecord(runDir);
    const std::string dir = record.datasetDir.empty() ? legacyDatasetDir(runDir) : record.datasetDir;
    if (dir.empty())
        throw FormatError(runDir + ": the run does not say which dataset it trained on; it cannot be resumed");
    PreparedRun run;
    run.runConfig = readCheckpoint(runDir).config;  // and "no checkpoint" before the dataset is loaded
    run.dataset = loadDataset(dir);
    run.datasetCached = true;
    run.options = base;
    run.options.runDir = runDir;
    run.options.datasetDir = dir;
    run.options.resume = true;
    run.options.name = record.name.empty() ? run.dataset.method : record.name;
    return run;
}

std::vector<std::string> Experiment::runDirsIn(const std::string& dir) {
    std::vector<std::string> dirs;
    if (fileExists(dir + "/" + kRunFile)) dirs.push_back(dir);
    const QDir folder(QString::fromStdString(dir));
    for (const QString& sub : folder.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const std::string path = dir + "/" + sub.toStdString();
        if (fileExists(path + "/" + kRunFile)) dirs.push_back(path);
    }
    return dirs;
}

SavedRun Experiment::openRun(const std::string& runDir) {
    SavedRun s;
    s.dir = runDir;
    s.record = readRunRecord(runDir);
    try {
        s.points = readLog(runDir + "/log.csv");
    } catch (const std::runtime_error& e) {
        throw FormatError(e.what());
    }
    return s;
}

Experiment::RunScan Experiment::openRunsIn(const std::string& dir) {
    RunScan scan;
    for (const std::string& runDir : runDirsIn(dir)) {
        try {
            scan.runs.push_back(openRun(runDir));
        } catch (const Error& e) {
            scan.unreadable.push_back(e.what());  // the message names the file, so the run
        }
    }
    return scan;
}

}  // namespace eqlab::m2
