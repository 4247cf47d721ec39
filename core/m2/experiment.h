// An M2 experiment: where its datasets and runs live, how big its M2 is, and
// how a run is started, resumed and reopened. The Learnability view and
// `eqlab-cli reproduce` both go through it, so both lay out the same folders:
//
//   DATASETS/<spec>-<key8>/             one method's dataset (m2_dataset.h) under one set of cutting options
//   RUNS/<spec>-<yyyyMMdd-HHmmss>[-N]/  one training run: run.json (run_record.h), log.csv, checkpoint
//
// <spec> is the method label as a file name (specFileName), <key8> the first
// 8 hex digits of the dataset key over the method and cutting options, so
// different options never overwrite each other's dataset; a corpus or model
// change rebuilds the folder in place (buildOrLoadDataset checks the full
// key). run.json records the dataset folder, so a run can be resumed wherever
// its datasets are. By default DATASETS is RUNS/../m2-datasets.
// Runs made before run.json recorded its dataset name it in dataset_dir.txt;
// they still open and resume. No torch in this header.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/phased_progress.h"
#include "m2/m2_dataset.h"
#include "m2/m2_trainer.h"
#include "m2/run_record.h"

namespace eqlab::m2 {

constexpr char kDefaultRunsFolder[] = "m2-runs";             // under an application's data or cache folder
constexpr char kDefaultDatasetsFolder[] = "m2-datasets";     // next to the runs folder
constexpr char kLegacyDatasetDirFile[] = "dataset_dir.txt";  // runs made before run.json's dataset_dir
constexpr int kHeadWidth = 32;                               // M2's size rule: one attention head per 32 dimensions
constexpr int kMlpRatio = 4;                                 // and an MLP 4x the model width

// A run ready to train: its dataset and its options (runDir, name, datasetDir set).
struct PreparedRun {
    Dataset dataset;
    TrainOptions options;
    bool datasetCached = false;  // the dataset was loaded, not built
    double datasetSeconds = 0;   // building or loading it
    // prepareResume: the run's model shape, from its checkpoint (a resume of another one is refused).
    std::optional<M2Config> runConfig;
};

// A saved run, as the view shows it.
struct SavedRun {
    std::string dir;  // its folder
    RunRecord record;
    std::vector<EvalPoint> points;  // log.csv
};

class Experiment {
public:
    // runsDir: where run folders go; datasetsDir: where datasets are cached
    // ("" = runsDir/../m2-datasets). Neither needs to exist yet.
    explicit Experiment(std::string runsDir, std::string datasetsDir = "");
    // ROOT/m2-runs and ROOT/m2-datasets.
    static Experiment inRoot(const std::string& root);

    const std::string& runsDir() const { return runsDir_; }
    const std::string& datasetsDir() const { return datasetsDir_; }

    // M2's size rule: dModel wide, `layers` blocks, dModel / 32 heads (at
    // least 1) and an MLP of 4 x dModel. dModel >= 1, layers >= 1.
    static M2Config modelConfig(int dModel, int layers);

    // The dataset folder of method `spec` (a label) under cutting options o.
    std::string datasetDir(const std::string& spec, const DatasetOptions& o) const;
    // Creates and returns a fresh run folder for `spec`. Throws IoError.
    std::string newRunDir(const std::string& spec) const;

    // Builds (or loads from its folder) the dataset of `spec` cut from the
    // corpus with o's options (o.params is replaced by the spec's), and plans
    // a new run of it: `base` with runDir a new folder, name = spec and
    // datasetDir set; progress as buildOrLoadDataset's. Throws InvalidArgument
    // (spec, options), IoError, Cancelled.
    PreparedRun prepareRun(const std::string& spec, const std::string& corpusPath, DatasetOptions o,
                           const TrainOptions& base, const StatusFn& progress = {}) const;
    // Plans to continue the run in runDir from its checkpoint: its dataset
    // (run.json's dataset_dir, or an older run's dataset_dir.txt) and `base`
    // with runDir, resume, the run's name and datasetDir set, and its model
    // shape. Throws FormatError (no dataset recorded, no or a damaged
    // checkpoint, a damaged run.json or dataset), IoError.
    static PreparedRun prepareResume(const std::string& runDir, const TrainOptions& base);

    // The run folders in dir: dir itself when it holds a run.json, then its
    // subfolders that do, by name. Empty when dir does not exist.
    static std::vector<std::string> runDirsIn(const std::string& dir);
    // Reads a run's run.json and log.csv. Throws FormatError, IoError.
    static SavedRun openRun(const std::string& runDir);
    // Opens every run in runDirsIn(dir); the ones that cannot be read are
    // not skipped silently: `unreadable` says "FOLDER: why" for each.
    struct RunScan {
        std::vector<SavedRun> runs;
        std::vector<std::string> unreadable;
    };
    static RunScan openRunsIn(const std::string& dir);

private:
    std::string runsDir_, datasetsDir_;
};

}  // namespace eqlab::m2
