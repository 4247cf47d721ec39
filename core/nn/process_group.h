// Joining a data-parallel job: the launcher's environment (torchrun's RANK,
// WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT, or Slurm's SLURM_PROCID,
// SLURM_STEP_NUM_TASKS, SLURM_LOCALID with MASTER_ADDR and MASTER_PORT set by the
// batch script) and a c10d process group over it: a TCPStore at the master's
// address, PyTorch's Gloo backend for the collectives. Every wait is bounded by
// a timeout, so a rank that dies makes the others fail with an error naming
// it instead of hanging. No torch in this header: the tensor collectives the
// trainers use are in data_parallel.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace c10d {
class ProcessGroup;
}

namespace eqlab::nn {

struct LaunchEnvironment {
    int rank = 0, worldSize = 1, localRank = 0;
    std::string masterAddr;
    int masterPort = 0;
    std::string launcher;          // "torchrun" or "Slurm"
    bool agentStore = false;       // torchrun's agent hosts the store (TORCHELASTIC_USE_AGENT_STORE=True)
    std::string storePrefix;       // under torchrun: /worker/attempt_<TORCHELASTIC_RESTART_COUNT>
    std::string describe() const;  // "rank 1 of 2 (torchrun, master 127.0.0.1:29500)"
};

// The launcher's variables, or nothing when the process was not launched as
// one of several (no RANK/WORLD_SIZE, and not one of several tasks of an srun).
// Throws InvalidArgument naming a variable that is missing or malformed.
std::optional<LaunchEnvironment> launchEnvironment();

// One (name, value) per option that must be the same on every rank.
using Agreement = std::vector<std::pair<std::string, std::string>>;
// A number as an Agreement's value: every digit that tells two doubles apart.
std::string agreementNumber(double x);
// The optimiser's settings both trainers share: --lr, warmup, minimum lr, weight decay, clip.
Agreement optimizerAgreement(double lr, double warmup, double minLr, double weightDecay, double clip);

class ProcessGroup {
public:
    // Joins the group: rank 0 listens on MASTER_PORT (unless torchrun's agent
    // does), the others connect to it; every rank waits at most
    // timeoutSeconds for the others, there and in every collective later.
    // Throws std::runtime_error naming the address, the port and the cause.
    ProcessGroup(const LaunchEnvironment& env, double timeoutSeconds);
    ~ProcessGroup();
    ProcessGroup(const ProcessGroup&) = delete;
    ProcessGroup& operator=(const ProcessGroup&) = delete;

    int rank() const { return env_.rank; }
    int size() const { return env_.worldSize; }
    const LaunchEnvironment& environment() const { return env_; }
    double timeoutSeconds() const { return timeoutSeconds_; }

    // Every rank states `what` (e.g. "train-m2's options"); each then compares
    // its own with every other rank's, and all throw InvalidArgument naming
    // the first difference ("rank 1's --batch is 8, rank 0's is 4") when they
    // are not all the same. Nobody leaves before everybody has compared.
    void agree(const std::string& what, const Agreement& fields);

    // Element-wise sums over the ranks (the same result, bit for bit, on each).
    std::vector<double> sum(const std::vector<double>& values);
    bool anyRank(bool value);
    void barrier();

    // Rank 0's `value` (a folder name it chose, say), on every rank; the others wait for it.
    std::string fromRankZero(const std::string& key, const std::string& value);

    // Small messages through the store, for work that is not a collective
    // (a sharded build's status): set publishes, tryGet does not wait.
    void publish(const std::string& key, const std::string& value);
    std::optional<std::string> tryGet(const std::string& key);

    // Tells the others that this rank is failing (`message`: its error), so
    // that their waits and collectives name it instead of timing out.
    // Never throws. Every front end calls it when it ends on an error.
    void reportFailure(const std::string& message);
    // Another rank's reported failure ("rank 1 failed: ..."), if any.
    std::optional<std::string> failure();

    c10d::ProcessGroup& backend();  // for data_parallel.cpp

private:
    // The store's value of `key`, polled until the timeout; throws naming a
    // rank that reported failure meanwhile, or `what` when the time is up.
    std::string get(const std::string& key, const std::string& what);
    std::string failedRankOr(const std::string& message);

    struct Impl;
    LaunchEnvironment env_;
    double timeoutSeconds_;
    std::unique_ptr<Impl> impl_;
};

// Runs f; when it throws, tells the other ranks first (group may be null: no group).
template <class F>
auto reportingFailure(ProcessGroup* group, F&& f) {
    try {
        return f();
    } catch (const std::exception& e) {
        if (group) group->reportFailure(e.what());
        throw;
    }
}

// What eqlab's commands do when launched by torchrun or Slurm: nothing when
// not so launched or with a world of one (a note on stderr says so), else a
// joined group. Throws as ProcessGroup's constructor.
std::shared_ptr<ProcessGroup> joinLaunchedGroup(double timeoutSeconds);

}  // namespace eqlab::nn
