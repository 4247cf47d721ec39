// A fixed team of threads that run one function together, each as its own
// part, and meet at barriers inside it (an OpenMP-style parallel region,
// with plain std::thread). M1's runtime uses it to split one call's matrix
// products across cores: every output is still computed by one thread in
// one fixed order, so the team changes no result, only who computes it.
//
// The threads live as long as the team. Between runs they spin briefly
// (calls follow each other within microseconds while coding) and then sleep.
#pragma once

#include <functional>
#include <memory>

namespace eqlab {

class WorkerTeam {
public:
    // parts >= 1: the caller plus parts - 1 threads started here.
    explicit WorkerTeam(int parts);
    ~WorkerTeam();
    WorkerTeam(const WorkerTeam&) = delete;
    WorkerTeam& operator=(const WorkerTeam&) = delete;

    int parts() const { return parts_; }

    // Runs fn(part) for every part in 0..parts()-1, part 0 on the calling
    // thread, and returns when all have returned. fn must not throw (an
    // exception would leave the other parts waiting at a barrier), and must
    // reach barrier() the same number of times in every part. One run at a
    // time: run is not reentrant and not for concurrent callers.
    void run(const std::function<void(int part)>& fn);

    // Inside run: returns once every part has called it; whatever a part
    // wrote before it is visible to every part after it.
    void barrier();

private:
    struct State;
    int parts_;
    std::unique_ptr<State> state_;
};

// Runs fn(part) on every part of `team`, or fn(0) alone when team is null.
inline void runParts(WorkerTeam* team, const std::function<void(int part)>& fn) {
    if (team)
        team->run(fn);
    else
        fn(0);
}

}  // namespace eqlab
