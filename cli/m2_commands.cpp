// eqlab-cli's M2 lab: build-dataset (whole or one shard), merge-dataset, train-m2, reproduce, bench-m2.
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QStandardPaths>
#include <QThread>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <optional>

#include "base/file_io.h"
#include "base/output_file.h"
#include "cli_common.h"
#include "m2/dataset_merge.h"
#include "m2/dataset_on_ranks.h"
#include "m2/dataset_shard.h"
#include "m2/experiment.h"
#include "m2/m2_checkpoint.h"
#include "m2/m2_dataset.h"
#include "m2/m2_trainer.h"
#include "m2/reproduce_preset.h"
#include "nn/process_group.h"

namespace eqlab::cli {

namespace {

struct DatasetCliOptions {
    QCommandLineOption exampleBytes{"example-bytes", "Bytes per example.", "N", "512"};
    QCommandLineOption seq{"seq", "M2 sequence length in tokens (longer examples are truncated).", "N", "128"};
    QCommandLineOption maxBytes{"max-bytes", "Corpus bytes used, from the start (0: all).", "N",
                                QString::number(1 << 20)};
    QCommandLineOption validFraction{"valid-fraction", "Share of examples held out (the last ones).", "F", "0.05"};
    void add(QCommandLineParser& p) {
        for (auto* o : {&exampleBytes, &seq, &maxBytes, &validFraction}) p.addOption(*o);
    }
    void fill(const QCommandLineParser& p, m2::DatasetOptions& o) const {
        bool a = false, b = false, c = false, d = false;
        o.exampleBytes = p.value(exampleBytes).toULongLong(&a);
        o.seqTokens = p.value(seq).toInt(&b);
        o.maxBytes = p.value(maxBytes).toULongLong(&c);
        o.validFraction = p.value(validFraction).toDouble(&d);
        if (!a || !b || !c || !d)
            throw InvalidArgument("--example-bytes, --seq, --max-bytes and --valid-fraction expect numbers");
    }
};

struct M2CliOptions {
    QCommandLineOption minutes{
        "minutes", "Training budget in minutes (the schedule runs on elapsed time; 0: by steps).", "M", "2"};
    QCommandLineOption steps{"steps", "Optimiser steps at most.", "N", "1000000"};
    QCommandLineOption batch{"batch", "Sequences per step.", "B", "16"};
    QCommandLineOption lr{"lr", "Peak learning rate.", "X", "1e-3"};
    QCommandLineOption dModel{"d-model", "M2 width.", "D", "128"};
    QCommandLineOption heads{"heads", "Attention heads (default: the size rule, d-model / 32).", "H"};
    QCommandLineOption layers{"layers", "Transformer blocks.", "L", "2"};
    QCommandLineOption mlp{"mlp", "MLP width (default: the size rule, 4 x d-model).", "M"};
    QCommandLineOption seed{"seed", "Random seed.", "S", "1"};
    QCommandLineOption evalEvery{"eval-every", "Steps between validations.", "N", "50"};
    // One thread by default: on 2 cores the CPU-sized M2 trains 2x faster on one
    // thread than on two (bench-m2: 23.2k vs 11.6k tokens/s; small GEMMs, OpenMP spin-waits).
    QCommandLineOption threads{"threads", "libtorch threads (at most the machine's cores).", "N", "1"};
    QCommandLineOption checkpointMinutes{"checkpoint-minutes",
                                         "Minutes of training between checkpoints (0: not by time).", "M", "5"};
    QCommandLineOption checkpointEvery{"checkpoint-every", "Steps between checkpoints (0: not by steps).", "N", "0"};
    void add(QCommandLineParser& p) {
        for (auto* o : {&minutes, &steps, &batch, &lr, &dModel, &heads, &layers, &mlp, &seed, &evalEvery, &threads,
                        &checkpointMinutes, &checkpointEvery})
            p.addOption(*o);
    }
    static double num(const QCommandLineParser& p, const QCommandLineOption& o) { return numberOf(p, o); }
    void fill(const QCommandLineParser& p, m2::M2Config& c, m2::TrainOptions& o) const {
        o.maxSeconds = 60.0 * num(p, minutes);
        o.steps = int64_t(num(p, steps));
        o.batch = int(num(p, batch));
        o.lr = num(p, lr);
        o.seed = uint64_t(num(p, seed));
        o.evalEvery = std::max(1, int(num(p, evalEvery)));
        o.threads = threadsOf(p, threads);
        o.checkpointSeconds = 60.0 * num(p, checkpointMinutes);
        o.checkpointEvery = int64_t(num(p, checkpointEvery));
        if (o.checkpointEvery < 0) throw InvalidArgument("--checkpoint-every expects steps >= 0");
        c = m2::Experiment::modelConfig(int(num(p, dModel)), int(num(p, layers)));
        if (p.isSet(heads)) c.heads = int(num(p, heads));
        if (p.isSet(mlp)) c.mlp = int(num(p, mlp));
    }
};

// SIGINT and SIGTERM, while one lives, ask training to checkpoint and stop
// (TrainOptions::stopFlag); a second signal acts as the default does (the
// handler resets itself), and the atomic checkpoint keeps the last one whole.
std::atomic<bool> stopSignalled{false};
std::atomic<int> stopSignal{0};

extern "C" void onStopSignal(int sig) {
    stopSignal.store(sig);
    stopSignalled.store(true);
}

class StopOnSignals {
public:
    StopOnSignals() {
        stopSignalled.store(false);
        stopSignal.store(0);
        struct sigaction a = {};
        a.sa_handler = onStopSignal;
        sigemptyset(&a.sa_mask);
        a.sa_flags = SA_RESETHAND;
        sigaction(SIGINT, &a, &oldInt_);
        sigaction(SIGTERM, &a, &oldTerm_);
    }
    ~StopOnSignals() {
        sigaction(SIGINT, &oldInt_, nullptr);
        sigaction(SIGTERM, &oldTerm_, nullptr);
    }
    StopOnSignals(const StopOnSignals&) = delete;
    StopOnSignals& operator=(const StopOnSignals&) = delete;
    const std::atomic<bool>* flag() const { return &stopSignalled; }
    // The signal that stopped training, 0 when none did.
    int signal() const { return stopSignal.load(); }

private:
    struct sigaction oldInt_ = {}, oldTerm_ = {};
};

// stderrStatus that also asks the work to stop once SIGINT or SIGTERM has come
// (while a StopOnSignals lives): a dataset build then throws Cancelled before
// it writes anything.
StatusFn stoppableStatus(const std::string& what) {
    const StatusFn print = stderrStatus(what);
    return [print](const ProgressStatus& s) { return print(s) && !stopSignalled.load(); };
}

// The exit status of a command stopped by signal `sig`: 128 + sig, as the shell reports a killed one.
int stoppedStatus(int sig) {
    return 128 + sig;
}

// Where train-m2's runs and reproduce's experiment live unless --run, or --cache and --runs, say otherwise:
// <user cache>/m2-runs and <user cache>/m2-datasets.
m2::Experiment defaultExperiment() {
    return m2::Experiment::inRoot(QStandardPaths::writableLocation(QStandardPaths::CacheLocation).toStdString());
}

QJsonObject resultJson(const m2::Dataset& d, const m2::TrainOptions& run, const m2::TrainResult& r,
                       double datasetSeconds, bool cached) {
    QJsonObject o;
    o["method"] = QString::fromStdString(run.name.empty() ? d.method : run.name);
    o["run"] = QString::fromStdString(run.runDir);
    o["bits_per_byte"] = r.best.validBitsPerByte;
    o["bits_per_token"] = r.best.validBitsPerToken;
    o["uniform_bits_per_byte"] = r.base.uniformBitsPerByte;
    o["uniform_bits_per_token"] = r.base.uniformBitsPerToken;
    o["unigram_bits_per_token"] = r.base.unigramBitsPerToken;
    o["unigram_bits_per_byte"] = r.base.unigramBitsPerByte;
    o["learned"] = r.learned();
    o["best_step"] = qint64(r.best.step);
    o["steps"] = qint64(r.last.step);
    o["tokens_seen"] = qint64(r.last.tokensSeen);
    o["train_seconds"] = r.last.seconds;
    o["valid_accuracy"] = r.best.validAccuracy;
    o["bytes_per_token"] = d.bytesPerToken;
    o["vocab"] = qint64(d.vocab);
    o["train_tokens"] = qint64(d.train.totalTokens());
    o["dataset_seconds"] = datasetSeconds;
    o["dataset_cached"] = cached;
    return o;
}

void printResult(const m2::TrainResult& r, const std::string& name) {
    std::fprintf(
        stderr,
        "%s: best valid %.4f bits/token, %.4f bits/byte (step %lld); uniform %.3f, unigram %.4f bits/token; %s\n",
        name.c_str(), r.best.validBitsPerToken, r.best.validBitsPerByte, (long long)r.best.step,
        r.base.uniformBitsPerToken, r.base.unigramBitsPerToken, r.learned() ? "learned" : "not learned");
}

// "--shard I/N": shard I (0-based, as a torchrun rank) of N.
std::pair<int, int> parseShard(const QString& value) {
    const QStringList parts = value.split('/');
    bool a = false, b = false;
    const int i = parts.size() == 2 ? parts[0].toInt(&a) : 0, n = parts.size() == 2 ? parts[1].toInt(&b) : 0;
    if (!a || !b || n < 1 || i < 0 || i >= n)
        throw InvalidArgument("--shard expects I/N with 0 <= I < N (e.g. 1/2: the second of two), not '" +
                              value.toStdString() + "'");
    return {i, n};
}

}  // namespace

int cmdBuildDataset(const QStringList& args) {
    QCommandLineParser p;
    CodecOptions codec;
    codec.add(p);
    DatasetCliOptions ds;
    ds.add(p);
    QCommandLineOption corpus{"corpus", "The text to cut into examples.", "FILE"},
        out{"out", "The dataset folder (with --shard: the shard's folder).", "DIR"},
        force{"force", "Empty DIR first: rebuild even when it holds this dataset already."},
        shard{"shard",
              "Code only shard I of N of the examples (0 <= I < N) into the shard folder --out; "
              "merge-dataset makes the dataset of all N. Launched by torchrun or Slurm: each rank codes its "
              "shard and rank 0 merges.",
              "I/N"};
    for (auto* o : {&corpus, &out, &force, &shard}) p.addOption(*o);
    DistributedCliOptions dist;
    dist.add(p);
    if (!parseOrThrow(p, args, 0,
                      "eqlab-cli build-dataset -m METHOD [-b BITS -k TOKEN_BITS --model FILE] --corpus FILE --out DIR "
                      "[--example-bytes N --seq N --max-bytes N --valid-fraction F] [--shard I/N]"))
        return 0;
    if (!p.isSet(corpus) || !p.isSet(out)) throw InvalidArgument("--corpus and --out are required");
    m2::DatasetOptions o;
    o.params = codec.params(p);
    o.modelPath = p.value(codec.model).toStdString();
    o.threads = std::max(1, QThread::idealThreadCount());
    ds.fill(p, o);
    const std::string dir = p.value(out).toStdString();
    // Coding takes minutes: SIGINT or SIGTERM stops it (stoppableStatus) before anything is written.
    const StopOnSignals stopper;
    const auto build = [&]() -> int {
        // Launched on several ranks (and no --shard): one shard each, merged by rank 0.
        const std::shared_ptr<nn::ProcessGroup> group =
            p.isSet(shard) ? nullptr : nn::joinLaunchedGroup(dist.timeoutSeconds(p));
        if (p.isSet(force) && (!group || group->rank() == 0)) QDir(QString::fromStdString(dir)).removeRecursively();
        if (group) {
            if (const char* local = std::getenv("LOCAL_WORLD_SIZE"))  // the ranks on this machine share its cores
                o.threads = std::max(1, o.threads / std::max(1, std::atoi(local)));
            const std::string name = "rank " + std::to_string(group->rank()) + " of " + std::to_string(group->size());
            bool cached = false;
            const m2::Dataset d = m2::buildDatasetOnRanks(*group, p.value(corpus).toStdString(), o, dir,
                                                          stoppableStatus("build-dataset " + name), &cached);
            if (group->rank() == 0)
                std::fprintf(stderr,
                             "%s %s on %d ranks: %zu train + %zu valid examples, %llu + %llu tokens (v = %llu), "
                             "%.3f bytes/token, %s\n",
                             cached ? "reused" : "built", d.method.c_str(), group->size(), d.train.examples,
                             d.valid.examples, (unsigned long long)d.train.totalTokens(),
                             (unsigned long long)d.valid.totalTokens(), (unsigned long long)d.vocab, d.bytesPerToken,
                             dir.c_str());
            return 0;
        }
        if (p.isSet(shard)) {
            const auto [index, count] = parseShard(p.value(shard));
            const std::string name = "shard " + std::to_string(index) + " of " + std::to_string(count);
            m2::requireShardFolder(dir);  // before the coding, which could not be saved there
            const m2::DatasetShard s = m2::buildDatasetShard(p.value(corpus).toStdString(), o, index, count,
                                                             stoppableStatus("build-dataset " + name));
            m2::saveDatasetShard(s, dir);
            std::fprintf(stderr, "built %s of %s (build %s): examples %zu to %zu of %zu, %llu tokens, %s in %.1f s\n",
                         name.c_str(), s.build.method.c_str(), s.build.key.c_str(), s.range.begin, s.range.end - 1,
                         s.totalExamples, (unsigned long long)s.examples.totalTokens(), dir.c_str(), s.buildSeconds);
            return 0;
        }
        bool cached = false;
        const m2::Dataset d =
            m2::buildOrLoadDataset(p.value(corpus).toStdString(), o, dir, stoppableStatus("build-dataset"), &cached);
        std::fprintf(
            stderr,
            "%s %s: %zu train + %zu valid examples, %llu + %llu tokens (v = %llu), %.3f bytes/token, %s in %.1f s\n",
            cached ? "reused" : "built", d.method.c_str(), d.train.examples, d.valid.examples,
            (unsigned long long)d.train.totalTokens(), (unsigned long long)d.valid.totalTokens(),
            (unsigned long long)d.vocab, d.bytesPerToken, dir.c_str(), d.buildSeconds);
        return 0;
    };
    try {
        const int status = build();
        if (stopper.signal())  // it came after the coding (merging, saving): the work is whole
            std::fprintf(stderr, "build-dataset: signal %d came after the coding; %s is whole\n", stopper.signal(),
                         dir.c_str());
        return status;
    } catch (const Cancelled&) {
        if (!stopper.signal()) throw;
        std::fprintf(stderr, "build-dataset: stopped by signal %d while coding; no dataset was written to %s\n",
                     stopper.signal(), dir.c_str());
        return stoppedStatus(stopper.signal());
    }
}

int cmdMergeDataset(const QStringList& args) {
    QCommandLineParser p;
    QCommandLineOption out{"out", "The dataset folder to write.", "DIR"};
    p.addOption(out);
    p.addPositionalArgument("SHARD_DIR", "The shard folders of one build (build-dataset --shard), all of them.",
                            "SHARD_DIR...");
    if (!parseOrThrow(p, args, -1, "eqlab-cli merge-dataset --out DIR SHARD_DIR...")) return 0;
    if (!p.isSet(out)) throw InvalidArgument("--out is required");
    std::vector<std::string> shards;
    for (const QString& dir : p.positionalArguments()) shards.push_back(dir.toStdString());
    const std::string dir = p.value(out).toStdString();
    const m2::Dataset d = m2::mergeDatasetShards(shards, dir);
    std::fprintf(stderr,
                 "merged %d shards of %s: %zu train + %zu valid examples, %llu + %llu tokens (v = %llu), %.3f "
                 "bytes/token, %s\n",
                 d.buildShards, d.method.c_str(), d.train.examples, d.valid.examples,
                 (unsigned long long)d.train.totalTokens(), (unsigned long long)d.valid.totalTokens(),
                 (unsigned long long)d.vocab, d.bytesPerToken, dir.c_str());
    return 0;
}

int cmdTrainM2(const QStringList& args) {
    QCommandLineParser p;
    M2CliOptions m;
    m.add(p);
    QCommandLineOption data{"data", "A dataset folder (build-dataset).", "DIR"},
        run{"run",
            "The run folder (default: a new METHOD-yyyyMMdd-HHmmss in the user cache's m2-runs, as reproduce's).",
            "DIR"},
        log{"log", "Also write the log to this CSV file.", "FILE"},
        resume{"resume", "Continue the run in --run from its checkpoint."},
        json{"json", "Print the result as one JSON object."},
        checkSync{"check-sync", "Data parallel: compare every rank's parameters after every step (a test)."};
    DistributedCliOptions dist;
    for (auto* o : {&data, &run, &log, &resume, &json, &checkSync}) p.addOption(*o);
    dist.add(p);
    if (!parseOrThrow(p, args, 0,
                      "eqlab-cli train-m2 --data DIR [--run DIR] [--log FILE.csv] [--minutes M --steps N --batch B "
                      "--lr X] [--checkpoint-minutes M --checkpoint-every N] [--resume]"))
        return 0;
    if (!p.isSet(data)) throw InvalidArgument("--data is required");
    // A default run folder is new on every call, so only --run can name the run to continue.
    if (p.isSet(resume) && !p.isSet(run))
        throw InvalidArgument("--resume needs --run, the folder of the run to continue");
    // Launched by torchrun or Slurm: join the others (nothing otherwise).
    const std::shared_ptr<nn::ProcessGroup> group = nn::joinLaunchedGroup(dist.timeoutSeconds(p));
    const bool talks = !group || group->rank() == 0;  // the other ranks print errors only
    // A failure on this rank is told to the others, which then name it instead of waiting out the timeout.
    return nn::reportingFailure(group.get(), [&]() -> int {
        const m2::Dataset d = m2::loadDataset(p.value(data).toStdString());
        m2::M2Config c;
        m2::TrainOptions o;
        m.fill(p, c, o);
        o.group = group;
        o.checkSync = p.isSet(checkSync);
        // A resumed run keeps its model shape unless the options name one (a different one is refused).
        if (p.isSet(resume) && !p.isSet(m.dModel) && !p.isSet(m.layers) && !p.isSet(m.heads) && !p.isSet(m.mlp))
            c = m2::readCheckpoint(p.value(run).toStdString()).config;
        // Absolute: run.json records it for resuming, and the run folder need not be next to the dataset.
        o.datasetDir = QFileInfo(p.value(data)).absoluteFilePath().toStdString();
        if (p.isSet(run))
            o.runDir = p.value(run).toStdString();
        else if (talks)
            o.runDir = defaultExperiment().newRunDir(d.method);
        if (group && !p.isSet(run)) o.runDir = group->fromRankZero("the run folder", o.runDir);
        o.resume = p.isSet(resume);
        if (talks)
            std::fprintf(stderr, "train-m2: %s in %s%s\n", o.resume ? "resuming the run" : "training", o.runDir.c_str(),
                         group ? (", " + std::to_string(group->size()) + " ranks").c_str() : "");
        const QString logCopy = p.value(log);
        const StopOnSignals stopper;
        o.stopFlag = stopper.flag();
        const m2::TrainResult r = guarded([&] {
            return m2::train(d, c, o, [&](const m2::EvalPoint& e) {
                if (!talks) return true;
                std::fprintf(stderr, "step %lld  %.0f s  train %.4f  valid %.4f bits/token  %.4f bits/byte  acc %.3f\n",
                             (long long)e.step, e.seconds, e.trainBitsPerToken, e.validBitsPerToken, e.validBitsPerByte,
                             e.validAccuracy);
                if (!logCopy.isEmpty()) {
                    const std::vector<uint8_t> csv = readFile(o.runDir + "/log.csv");
                    writeFile(logCopy.toStdString(), csv);
                }
                return true;
            });
        });
        if (!talks) return stopper.signal() ? stoppedStatus(stopper.signal()) : 0;
        printResult(r, d.method);
        if (p.isSet(json)) printJson(QJsonDocument(resultJson(d, o, r, 0, true)));
        if (stopper.signal()) {
            std::fprintf(stderr,
                         "train-m2: stopped by signal %d at step %lld; checkpoint in %s (--resume --run to continue)\n",
                         stopper.signal(), (long long)r.last.step, o.runDir.c_str());
            return stoppedStatus(stopper.signal());
        }
        return 0;
    });
}

int cmdReproduce(const QStringList& args) {
    QCommandLineParser p;
    M2CliOptions m;
    m.add(p);
    DatasetCliOptions ds;
    ds.add(p);
    QCommandLineOption corpus{"corpus", "The corpus (e.g. data/sotu-train.txt).", "FILE"},
        budget{"budget", "Minutes of M2 training per method (dataset building is extra, cached).", "MINUTES", "2"},
        json{"json", "Print a JSON array, one object per method."},
        cache{"cache", "Dataset cache folder (default: the user cache's m2-datasets).", "DIR"},
        runs{"runs", "Where the runs go, one folder per run (default: CACHE/../m2-runs).", "DIR"},
        methods{"methods", "Comma-separated subset of the methods (as spelled in the table).", "LIST"},
        model{"model", "M1 weights for ac and eqinfo-ac (default: the bundled model).", "FILE"};
    QString presetHelp = "A named plan of methods, corpus bytes and budget (options given beside it win):";
    for (const m2::ReproducePreset& r : m2::reproducePresets())
        presetHelp += QString("\n  %1: %2").arg(QString::fromStdString(r.name), QString::fromStdString(r.about));
    QCommandLineOption preset{"preset", presetHelp, "NAME"};
    for (auto* o : {&corpus, &budget, &json, &cache, &runs, &methods, &model, &preset}) p.addOption(*o);
    if (!parseOrThrow(p, args, 0,
                      "eqlab-cli reproduce --corpus FILE [--preset quick|laptop-1h|overnight] [--budget MINUTES] "
                      "[--json]"))
        return 0;
    if (!p.isSet(corpus)) throw InvalidArgument("--corpus is required");
    const m2::ReproducePreset* plan = p.isSet(preset) ? &m2::reproducePreset(p.value(preset).toStdString()) : nullptr;
    m2::M2Config c;
    m2::TrainOptions base;
    m.fill(p, c, base);
    bool ok = false;
    base.maxSeconds = 60.0 * p.value(budget).toDouble(&ok);
    if (!ok || base.maxSeconds <= 0) throw InvalidArgument("--budget expects minutes > 0");
    if (plan && !p.isSet(budget)) base.maxSeconds = 60.0 * plan->budgetMinutes;
    const m2::Experiment defaults = defaultExperiment();
    const std::string cacheDir = p.isSet(cache) ? p.value(cache).toStdString() : defaults.datasetsDir();
    const std::string runsDir = p.isSet(runs)    ? p.value(runs).toStdString()
                                : p.isSet(cache) ? cacheDir + "/../" + m2::kDefaultRunsFolder
                                                 : defaults.runsDir();
    const m2::Experiment experiment(runsDir, cacheDir);
    QStringList list;
    for (const std::string& name : plan ? plan->methods : m2::reproduceMethods()) list << QString::fromStdString(name);
    if (p.isSet(methods)) {
        list.clear();
        for (const CodecParams& m : parseMethodList(p.value(methods).toStdString()))
            list << QString::fromStdString(m.label());
    }

    QJsonArray out;
    const StopOnSignals stopper;
    // With --json stdout holds the JSON document alone; otherwise a Markdown table, a row per method as it finishes.
    const bool table = !p.isSet(json);
    if (table) {
        std::printf(
            "| method | bytes/token | best valid bits/byte | bits/token | uniform bits/byte | unigram bits/token | "
            "learned | dataset (s) |\n");
        std::printf("|---|---|---|---|---|---|---|---|\n");
        std::fflush(stdout);
    }
    for (const QString& spec : list) {
        m2::DatasetOptions o;
        o.modelPath = p.value(model).toStdString();
        o.threads = std::max(1, QThread::idealThreadCount());  // M1 coding uses every core
        ds.fill(p, o);
        if (plan && !p.isSet(ds.maxBytes)) o.maxBytes = plan->maxBytes;
        std::fprintf(stderr, "%s: dataset...\n", qPrintable(spec));
        std::optional<m2::PreparedRun> prepared;
        try {
            prepared = experiment.prepareRun(spec.toStdString(), p.value(corpus).toStdString(), o, base,
                                             stoppableStatus("  " + spec.toStdString()));
        } catch (const Cancelled&) {
            if (!stopper.signal()) throw;
            std::fprintf(stderr, "reproduce: stopped by signal %d while building %s's dataset (not saved)\n",
                         stopper.signal(), qPrintable(spec));
            break;
        }
        const m2::PreparedRun& run = *prepared;
        const m2::Dataset& d = run.dataset;
        const bool cached = run.datasetCached;
        const double dsSeconds = run.datasetSeconds;
        std::fprintf(stderr, "%s: %s (%.1f s); training %.1f min\n", qPrintable(spec),
                     cached ? "dataset cached" : "dataset built", dsSeconds, base.maxSeconds / 60);
        m2::TrainOptions options = run.options;
        options.stopFlag = stopper.flag();
        const m2::TrainResult r = guarded([&] { return m2::train(d, c, options, {}); });
        printResult(r, spec.toStdString());
        out.append(resultJson(d, run.options, r, dsSeconds, cached));
        if (table) {
            std::printf("| %s | %.3f | %.4f | %.4f | %.3f | %.4f | %s | %.0f%s |\n", qPrintable(spec), d.bytesPerToken,
                        r.best.validBitsPerByte, r.best.validBitsPerToken, r.base.uniformBitsPerByte,
                        r.base.unigramBitsPerToken, r.learned() ? "**yes**" : "no", dsSeconds,
                        cached ? " (cached)" : "");
            std::fflush(stdout);
        }
        if (stopper.signal()) {
            std::fprintf(stderr, "reproduce: stopped by signal %d; %s's checkpoint is in %s\n", stopper.signal(),
                         qPrintable(spec), options.runDir.c_str());
            break;
        }
    }
    if (p.isSet(json)) printJson(QJsonDocument(out));
    return stopper.signal() ? stoppedStatus(stopper.signal()) : 0;
}

int cmdBenchM2(const QStringList& args) {
    QCommandLineParser p;
    M2CliOptions m;
    m.add(p);
    QCommandLineOption vocab{"vocab", "Vocabulary.", "V", "256"}, seq{"seq", "Sequence length.", "N", "128"},
        json{"json", "Print one JSON object."}, measure{"measure-steps", "Timed steps.", "N", "30"};
    for (auto* o : {&vocab, &seq, &json, &measure}) p.addOption(*o);
    if (!parseOrThrow(p, args, 0,
                      "eqlab-cli bench-m2 [--vocab V --seq N --batch B --d-model D --layers L --threads N] [--json]"))
        return 0;
    m2::M2Config c;
    m2::TrainOptions o;
    m.fill(p, c, o);
    const int64_t v = p.value(vocab).toLongLong();
    const int s = p.value(seq).toInt(), n = p.value(measure).toInt();
    const double tps = guarded([&] { return m2::benchmarkTokensPerSecond(c, v, s, o.batch, 3, n, o.threads); });
    if (p.isSet(json)) {
        QJsonObject j;
        j["tokens_per_s"] = tps;
        j["vocab"] = qint64(v);
        j["seq"] = s;
        j["batch"] = o.batch;
        j["threads"] = o.threads;
        j["config"] = QString::fromStdString(c.describe());
        printJson(QJsonDocument(j));
    } else {
        std::printf("M2 training, %s, v=%lld, batch %d x %d, %d thread(s): %.0f tokens/s\n", c.describe().c_str(),
                    (long long)v, o.batch, s, o.threads, tps);
    }
    return 0;
}

}  // namespace eqlab::cli
