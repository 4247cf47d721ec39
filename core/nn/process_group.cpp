#include "nn/process_group.h"

#include <torch/torch.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <thread>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include "base/errors.h"

namespace eqlab::nn {

namespace {

std::optional<std::string> variable(const char* name) {
    const char* v = std::getenv(name);
    if (!v) return std::nullopt;
    return std::string(v);
}

int integerVariable(const char* name, int lo, int hi) {
    const std::optional<std::string> v = variable(name);
    if (!v) throw InvalidArgument(std::string(name) + " is not set");
    char* end = nullptr;
    errno = 0;
    const long x = std::strtol(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || errno != 0 || x < lo || x > hi)
        throw InvalidArgument(std::string(name) + "=" + *v + " is not an integer from " + std::to_string(lo) + " to " +
                              std::to_string(hi));
    return int(x);
}

std::chrono::milliseconds toMilliseconds(double seconds) {
    return std::chrono::milliseconds(int64_t(seconds * 1000.0));
}

bool isLoopback(const std::string& addr) {
    return addr == "localhost" || addr.rfind("127.", 0) == 0 || addr == "::1";
}

std::string errorText(const std::exception& e) {
    if (const auto* c = dynamic_cast<const c10::Error*>(&e)) return c->what_without_backtrace();
    return e.what();
}

// "name\tvalue\n" lines.
std::string serialize(const Agreement& fields) {
    std::string s;
    for (const auto& [name, value] : fields) s += name + '\t' + value + '\n';
    return s;
}

Agreement deserialize(const std::string& s) {
    Agreement out;
    std::istringstream in(s);
    std::string line;
    while (std::getline(in, line)) {
        const size_t tab = line.find('\t');
        out.emplace_back(line.substr(0, tab), tab == std::string::npos ? std::string() : line.substr(tab + 1));
    }
    return out;
}

// The first difference between rank r's fields and rank 0's, or "".
std::string difference(const std::string& what, int r, const Agreement& mine, const Agreement& first) {
    for (const auto& [name, value] : first) {
        const auto it = std::find_if(mine.begin(), mine.end(), [&](const auto& f) { return f.first == name; });
        if (it == mine.end())
            return "rank " + std::to_string(r) + " has no " + name + " in " + what + " (rank 0's is " + value + ")";
        if (it->second != value)
            return "rank " + std::to_string(r) + "'s " + name + " is " + it->second + ", rank 0's is " + value;
    }
    for (const auto& [name, value] : mine)
        if (std::none_of(first.begin(), first.end(), [&](const auto& f) { return f.first == name; }))
            return "rank " + std::to_string(r) + " has " + name + " " + value + ", rank 0 has none";
    return {};
}

std::vector<uint8_t> bytesOf(const std::string& s) {
    return std::vector<uint8_t>(s.begin(), s.end());
}

}  // namespace

struct ProcessGroup::Impl {
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
    int agreements = 0;
};

std::string agreementNumber(double x) {
    std::ostringstream s;
    s.precision(17);
    s << x;
    return s.str();
}

Agreement optimizerAgreement(double lr, double warmup, double minLr, double weightDecay, double clip) {
    return {{"--lr", agreementNumber(lr)},
            {"warmup", agreementNumber(warmup)},
            {"minimum lr", agreementNumber(minLr)},
            {"weight decay", agreementNumber(weightDecay)},
            {"clip", agreementNumber(clip)}};
}

std::string LaunchEnvironment::describe() const {
    return "rank " + std::to_string(rank) + " of " + std::to_string(worldSize) + " (" + launcher + ", master " +
           masterAddr + ":" + std::to_string(masterPort) + ")";
}

std::optional<LaunchEnvironment> launchEnvironment() {
    LaunchEnvironment env;
    if (variable("RANK") || variable("WORLD_SIZE")) {
        env.launcher = "torchrun";
        env.worldSize = integerVariable("WORLD_SIZE", 1, 1 << 20);
        env.rank = env.worldSize == 1 && !variable("RANK") ? 0 : integerVariable("RANK", 0, env.worldSize - 1);
        env.localRank = variable("LOCAL_RANK") ? integerVariable("LOCAL_RANK", 0, env.worldSize - 1) : 0;
        env.agentStore = variable("TORCHELASTIC_USE_AGENT_STORE").value_or("") == "True";
        if (env.agentStore) env.storePrefix = "/worker/attempt_" + variable("TORCHELASTIC_RESTART_COUNT").value_or("0");
    } else if (variable("SLURM_STEP_NUM_TASKS") && variable("SLURM_PROCID")) {
        // srun's tasks: SLURM_STEP_NUM_TASKS is the step's. The batch script itself has
        // SLURM_NTASKS of the whole allocation but runs as one process, and stays one.
        env.launcher = "Slurm";
        env.worldSize = integerVariable("SLURM_STEP_NUM_TASKS", 1, 1 << 20);
        if (env.worldSize == 1) return std::nullopt;  // one task: an interactive allocation, not a job of several
        env.rank = integerVariable("SLURM_PROCID", 0, env.worldSize - 1);
        env.localRank = variable("SLURM_LOCALID") ? integerVariable("SLURM_LOCALID", 0, env.worldSize - 1) : 0;
    } else {
        return std::nullopt;
    }
    if (env.worldSize > 1) {
        const std::optional<std::string> addr = variable("MASTER_ADDR");
        if (!addr || addr->empty())
            throw InvalidArgument("MASTER_ADDR is not set (" + env.launcher + " gives " +
                                  std::to_string(env.worldSize) +
                                  " ranks; the batch script sets MASTER_ADDR and MASTER_PORT, see the README)");
        env.masterAddr = *addr;
        env.masterPort = integerVariable("MASTER_PORT", 1, 65535);
    }
    return env;
}

ProcessGroup::ProcessGroup(const LaunchEnvironment& env, double timeoutSeconds)
    : env_(env), timeoutSeconds_(timeoutSeconds), impl_(std::make_unique<Impl>()) {
    if (env.worldSize < 2) throw InvalidArgument("a process group needs at least two ranks");
    if (!(timeoutSeconds > 0)) throw InvalidArgument("--dist-timeout must be positive");
    const std::string where = env.masterAddr + ":" + std::to_string(env.masterPort);
    c10d::TCPStoreOptions so;
    so.port = uint16_t(env.masterPort);
    so.isServer = env.rank == 0 && !env.agentStore;
    so.numWorkers = env.agentStore ? c10::nullopt : c10::optional<size_t>(size_t(env.worldSize));
    so.waitWorkers = false;  // the first collective waits for everyone, bounded by the timeout
    so.timeout = toMilliseconds(timeoutSeconds);
    try {
        c10::intrusive_ptr<c10d::Store> store = c10::make_intrusive<c10d::TCPStore>(env.masterAddr, so);
        if (!env.storePrefix.empty()) store = c10::make_intrusive<c10d::PrefixStore>(env.storePrefix, store);
        impl_->store = store;
    } catch (const std::exception& e) {
        if (so.isServer)
            throw Error("rank 0 cannot listen on " + where +
                        " (MASTER_ADDR:MASTER_PORT; is the port in use? choose another MASTER_PORT): " + errorText(e));
        throw Error("rank " + std::to_string(env.rank) + " cannot reach the store at " + where + " within " +
                    std::to_string(int(timeoutSeconds)) + " s: " + errorText(e));
    }
    auto options = c10d::ProcessGroupGloo::Options::create(toMilliseconds(timeoutSeconds));
    try {
        const std::optional<std::string> ifname = variable("GLOO_SOCKET_IFNAME");
        if (ifname && !ifname->empty())
            options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(*ifname));
        else if (isLoopback(env.masterAddr))  // every rank on this machine: stay on loopback
            options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
        else
            options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
        options->threads = 2;
        impl_->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(
            c10::make_intrusive<c10d::PrefixStore>("eqlab/gloo", impl_->store), env.rank, env.worldSize, options);
    } catch (const std::exception& e) {
        throw Error("rank " + std::to_string(env.rank) + " of " + std::to_string(env.worldSize) +
                    " could not connect to the other ranks through " + where + " within " +
                    std::to_string(int(timeoutSeconds)) + " s: " + errorText(e));
    }
}

ProcessGroup::~ProcessGroup() = default;

c10d::ProcessGroup& ProcessGroup::backend() {
    return *impl_->gloo;
}

std::string ProcessGroup::get(const std::string& key, const std::string& what) {
    const auto until = std::chrono::steady_clock::now() + toMilliseconds(timeoutSeconds_);
    for (;;) {
        try {
            if (impl_->store->check({key})) {
                const std::vector<uint8_t> v = impl_->store->get(key);
                return std::string(v.begin(), v.end());
            }
        } catch (const std::exception& e) {
            throw Error(failedRankOr("rank " + std::to_string(rank()) + ": lost the store while waiting for " + what +
                                     " (rank 0 went away?): " + errorText(e)));
        }
        if (const std::optional<std::string> failed = failure()) throw Error(*failed);
        if (std::chrono::steady_clock::now() > until)
            throw Error("rank " + std::to_string(rank()) + ": no " + what + " within " +
                        std::to_string(int(timeoutSeconds_)) + " s (a rank died or never started?)");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void ProcessGroup::reportFailure(const std::string& message) {
    try {
        impl_->store->set("eqlab/failed/" + std::to_string(rank()), bytesOf(message));
        // Rank 0's store leaves with it: it lingers (3 s at most) until the others have read why.
        if (rank() != 0) return;
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        for (int r = 1; r < size() && std::chrono::steady_clock::now() < until;)
            if (impl_->store->check({"eqlab/failure-seen/" + std::to_string(r)}))
                ++r;
            else
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } catch (const std::exception&) {
        // The store is gone: this rank's own error is what its caller reports.
    }
}

std::optional<std::string> ProcessGroup::failure() {
    for (int r = 0; r < size(); ++r) {
        if (r == rank()) continue;
        const std::string k = "eqlab/failed/" + std::to_string(r);
        try {
            if (!impl_->store->check({k})) continue;
            const std::vector<uint8_t> v = impl_->store->get(k);
            impl_->store->set("eqlab/failure-seen/" + std::to_string(rank()), bytesOf("1"));
            return "rank " + std::to_string(r) + " failed: " + std::string(v.begin(), v.end());
        } catch (const std::exception&) {
            // Rank 0 hosts the store: when it no longer answers, rank 0 has gone (failed, stopped or killed).
            if (rank() == 0 && !env_.agentStore) return std::nullopt;
            return std::string(env_.agentStore ? "torchrun's agent" : "rank 0") +
                   " failed or was stopped: its store at " + env_.masterAddr + ":" + std::to_string(env_.masterPort) +
                   " no longer answers";
        }
    }
    return std::nullopt;
}

std::string ProcessGroup::failedRankOr(const std::string& message) {
    const std::optional<std::string> failed = failure();
    return failed ? *failed : message;
}

void ProcessGroup::agree(const std::string& what, const Agreement& fields) {
    const std::string base = "eqlab/agree/" + std::to_string(impl_->agreements++) + "/";
    auto fieldsOf = [&](int r) { return r == rank() ? fields : deserialize(get(base + std::to_string(r), what)); };
    std::string problem;
    try {
        impl_->store->set(base + std::to_string(rank()), bytesOf(serialize(fields)));
    } catch (const std::exception& e) {
        throw Error("rank " + std::to_string(rank()) + ": lost the store (rank 0 went away?): " + errorText(e));
    }
    const Agreement first = fieldsOf(0);
    for (int r = 1; r < size() && problem.empty(); ++r) problem = difference(what, r, fieldsOf(r), first);
    // Nobody leaves (rank 0's store with it) before everybody has compared.
    publish("agreed/" + base + std::to_string(rank()), "1");
    for (int r = 0; r < size(); ++r) get("eqlab/msg/agreed/" + base + std::to_string(r), "every rank's " + what);
    // ... and rank 0, whose store the others read, leaves after them.
    if (rank() != 0)
        publish("left/" + base + std::to_string(rank()), "1");
    else
        for (int r = 1; r < size(); ++r) get("eqlab/msg/left/" + base + std::to_string(r), "every rank's " + what);
    if (!problem.empty())
        throw InvalidArgument("the ranks were launched with different " + what + ": " + problem +
                              " (launch every rank with the same options and data)");
}

std::vector<double> ProcessGroup::sum(const std::vector<double>& values) {
    std::vector<at::Tensor> t = {torch::tensor(values, torch::kDouble)};
    try {
        impl_->gloo->allreduce(t)->wait();
    } catch (const std::exception& e) {
        throw Error(failedRankOr("rank " + std::to_string(rank()) + ": a collective with the other ranks failed (" +
                                 "a rank died, or waited longer than " + std::to_string(int(timeoutSeconds_)) +
                                 " s): " + errorText(e)));
    }
    const double* p = t[0].data_ptr<double>();
    return std::vector<double>(p, p + values.size());
}

bool ProcessGroup::anyRank(bool value) {
    return sum({value ? 1.0 : 0.0})[0] > 0;
}

void ProcessGroup::barrier() {
    try {
        impl_->gloo->barrier()->wait();
    } catch (const std::exception& e) {
        throw Error(failedRankOr("rank " + std::to_string(rank()) + ": the other ranks did not reach the barrier (" +
                                 errorText(e) + ")"));
    }
}

std::string ProcessGroup::fromRankZero(const std::string& key, const std::string& value) {
    const std::string k = "eqlab/from0/" + key;
    if (rank() != 0) return get(k, key + " from rank 0");
    try {
        impl_->store->set(k, bytesOf(value));
    } catch (const std::exception& e) {
        throw Error("rank 0: lost its own store: " + errorText(e));
    }
    return value;
}

void ProcessGroup::publish(const std::string& key, const std::string& value) {
    try {
        impl_->store->set("eqlab/msg/" + key, bytesOf(value));
    } catch (const std::exception& e) {
        throw Error(
            failedRankOr("rank " + std::to_string(rank()) + ": lost the store (rank 0 went away?): " + errorText(e)));
    }
}

std::optional<std::string> ProcessGroup::tryGet(const std::string& key) {
    const std::string k = "eqlab/msg/" + key;
    try {
        if (!impl_->store->check({k})) return std::nullopt;
        const std::vector<uint8_t> v = impl_->store->get(k);
        return std::string(v.begin(), v.end());
    } catch (const std::exception& e) {
        throw Error(
            failedRankOr("rank " + std::to_string(rank()) + ": lost the store (rank 0 went away?): " + errorText(e)));
    }
}

std::shared_ptr<ProcessGroup> joinLaunchedGroup(double timeoutSeconds) {
    const std::optional<LaunchEnvironment> env = launchEnvironment();
    if (!env) return nullptr;
    if (env->worldSize == 1) {
        std::fprintf(stderr, "%s gives a world of one rank: running in this process alone\n", env->launcher.c_str());
        return nullptr;
    }
    return std::make_shared<ProcessGroup>(*env, timeoutSeconds);
}

}  // namespace eqlab::nn
