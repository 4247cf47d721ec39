#include "m2/dataset_on_ranks.h"

#include <QDir>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>

#include "base/errors.h"
#include "m2/dataset_merge.h"
#include "m2/dataset_shard.h"
#include "nn/process_group.h"

namespace eqlab::m2 {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kBeat = std::chrono::seconds(2);         // a rank's heartbeat
constexpr auto kPoll = std::chrono::milliseconds(200);  // how often the waiting look

std::string key(const char* what, int rank) {
    return std::string("build/") + what + "/" + std::to_string(rank);
}

// Publishes a counter every kBeat while it lives, so that the others can
// tell a rank still coding from one that died.
class Heartbeat {
public:
    explicit Heartbeat(nn::ProcessGroup& g) : g_(g), thread_([this] { run(); }) {}
    ~Heartbeat() {
        {
            std::lock_guard<std::mutex> lock(m_);
            stop_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }

private:
    void run() {
        std::unique_lock<std::mutex> lock(m_);
        for (uint64_t n = 0; !stop_; ++n) {
            try {
                g_.publish(key("beat", g_.rank()), std::to_string(n));
            } catch (const std::exception&) {
                return;  // the store is gone: the waits say so
            }
            cv_.wait_for(lock, kBeat, [this] { return stop_; });
        }
    }
    nn::ProcessGroup& g_;
    std::mutex m_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::thread thread_;
};

// Waits until `done` is published by every rank in `ranks`; throws when one
// of them publishes a failure or its heartbeat stops for the group's timeout.
// progress, when given, hears `status` at every look, and stops the wait (Cancelled) by returning false.
void waitFor(nn::ProcessGroup& g, const char* done, const std::vector<int>& ranks, const StatusFn& progress = {},
             const ProgressStatus& status = {}) {
    struct Watch {
        std::string beat;
        Clock::time_point heard = Clock::now();
        bool done = false;
    };
    std::vector<Watch> w(ranks.size());
    const auto timeout = std::chrono::duration<double>(g.timeoutSeconds());
    for (size_t left = ranks.size(); left > 0;) {
        for (size_t i = 0; i < ranks.size(); ++i) {
            if (w[i].done) continue;
            const int r = ranks[i];
            if (const std::optional<std::string> failed = g.failure()) throw Error(*failed);
            if (progress && !progress(status)) throw Cancelled();
            const std::optional<std::string> finished = g.tryGet(key(done, r)), beat = g.tryGet(key("beat", r));
            if (finished) {
                w[i].done = true;
                --left;
            } else if (beat && *beat != w[i].beat) {
                w[i].beat = *beat;
                w[i].heard = Clock::now();
            } else if (Clock::now() - w[i].heard > timeout) {
                throw Error("rank " + std::to_string(r) + " has not been heard from for " +
                            std::to_string(int(g.timeoutSeconds())) + " s (it died?)");
            }
        }
        if (left > 0) std::this_thread::sleep_for(kPoll);
    }
}

std::string shardFolder(const std::string& dir, int index, int count) {
    return dir + ".shards/shard-" + std::to_string(index) + "-of-" + std::to_string(count);
}

// Rank 0 waits until the others have read its last word: its store serves it.
void waitForLeaving(nn::ProcessGroup& g, const std::string& dir, const std::vector<int>& others) {
    try {
        waitFor(g, "left", others);
    } catch (const Error& e) {
        std::fprintf(stderr, "build-dataset: %s is whole; %s\n", dir.c_str(), e.what());  // a rank died late
    }
}

// Rank 0 looks whether DIR already holds this build (loadCachedDataset) and
// tells the others; when it does, every rank reads it and none codes.
std::optional<Dataset> cachedOnRanks(nn::ProcessGroup& g, const std::string& corpusPath, const DatasetOptions& o,
                                     const std::string& dir, const StatusFn& progress, const std::vector<int>& others) {
    if (g.rank() != 0) {
        waitFor(g, "cached", {0}, progress, {0.0, "waiting for rank 0 to check the cached dataset", -1});
        if (g.tryGet(key("cached", 0)) != std::optional<std::string>("yes")) return std::nullopt;
        Dataset d = loadDataset(dir);
        g.publish(key("left", g.rank()), "done");
        return d;
    }
    std::optional<Dataset> d = loadCachedDataset(corpusPath, o, dir, progress);
    g.publish(key("cached", 0), d ? "yes" : "no");
    if (d) waitForLeaving(g, dir, others);
    return d;
}

// This rank's shard coded and saved; rank 0 then merges every rank's.
Dataset codeAndMerge(nn::ProcessGroup& g, const std::string& corpusPath, const DatasetOptions& o,
                     const std::string& dir, const std::string& mine, const StatusFn& watching,
                     const StatusFn& progress, const std::vector<int>& others) {
    DatasetShard s;
    try {
        s = buildDatasetShard(corpusPath, o, g.rank(), g.size(), watching);
    } catch (const Cancelled&) {
        if (const std::optional<std::string> failed = g.failure()) throw Error(*failed);
        throw;
    }
    saveDatasetShard(s, mine);
    g.publish(key("shard", g.rank()), "done");
    if (g.rank() != 0) {
        waitFor(g, "merged", {0}, progress, {1.0, "waiting for rank 0 to merge", 0});
        g.publish(key("left", g.rank()), "done");  // rank 0's store may go now
        return s.build;
    }
    waitFor(g, "shard", others, progress, {1.0, "waiting for the other ranks", -1});
    std::vector<std::string> shards;
    for (int r = 0; r < g.size(); ++r) shards.push_back(shardFolder(dir, r, g.size()));
    Dataset d = mergeDatasetShards(shards, dir);
    QDir(QString::fromStdString(dir + ".shards")).removeRecursively();
    g.publish(key("merged", 0), "done");
    waitForLeaving(g, dir, others);
    return d;
}

}  // namespace

Dataset buildDatasetOnRanks(nn::ProcessGroup& g, const std::string& corpusPath, const DatasetOptions& o,
                            const std::string& out, const StatusFn& progress, bool* cached) {
    const std::string dir = QDir::cleanPath(QString::fromStdString(out)).toStdString();  // DS/ is DS
    return nn::reportingFailure(&g, [&] {
        g.agree("build-dataset options", {{"--corpus", corpusPath},
                                          {"--out", dir},
                                          {"-m", o.params.label()},
                                          {"--model", o.modelPath},
                                          {"--example-bytes", std::to_string(o.exampleBytes)},
                                          {"--seq", std::to_string(o.seqTokens)},
                                          {"--max-bytes", std::to_string(o.maxBytes)},
                                          {"--valid-fraction", nn::agreementNumber(o.validFraction)}});
        if (g.rank() == 0 && isDatasetShardFolder(dir))
            throw InvalidArgument(dir + " holds a shard (" + describeDatasetShard(dir) +
                                  "), not a dataset: choose another --out");
        const Heartbeat heart(g);
        std::vector<int> others;
        for (int r = 1; r < g.size(); ++r) others.push_back(r);
        // Rank 0 looks in DIR first; a dataset these options cut from this corpus is kept, not coded again.
        std::optional<Dataset> kept = cachedOnRanks(g, corpusPath, o, dir, progress, others);
        if (cached) *cached = kept.has_value();
        if (kept) {
            if (progress) progress({1.0, "done", 0});
            return std::move(*kept);
        }
        // Another rank's failure cancels this rank's coding (checked about once a second).
        auto checked = Clock::now();
        const StatusFn watching = [&](const ProgressStatus& st) {
            if (Clock::now() - checked > std::chrono::seconds(1)) {
                checked = Clock::now();
                if (g.failure()) return false;
            }
            return !progress || progress(st);
        };
        const std::string mine = shardFolder(dir, g.rank(), g.size());
        requireShardFolder(mine);
        try {
            return codeAndMerge(g, corpusPath, o, dir, mine, watching, progress, others);
        } catch (...) {
            // A build that failed leaves no shard of this rank's behind (nor DIR.shards, once empty).
            QDir(QString::fromStdString(mine)).removeRecursively();
            QDir().rmdir(QString::fromStdString(dir + ".shards"));
            throw;
        }
    });
}

}  // namespace eqlab::m2
