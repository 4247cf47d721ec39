// The lane engine: the one loop every range-coder path runs on (ac and
// static-ac chunks, Equal-Info streams and windows; encode and decode; one
// thread or many).
//
// A lane is one independent coding task on its own model stream: an ac
// chunk, an Equal-Info stream (or part of one) being encoded, one window
// being decoded. How lanes are scheduled changes no bit of any result. Lanes
// share no state, except the Equal-Info lanes of one stream, which share
// their WindowChains record (locked: with several threads they run in
// several groups), whose result is the same in any order (window_chains.h).
// The engine picks the schedule from the model:
//  - a model that batches streams (ByteModel::batchesStreams(), M1) steps a
//    group of lanes in rounds: in each, every lane readies its step (next())
//    and codes it (step()) for as long as its distribution is ready
//    (ModelBatch::ready(): rows an earlier call speculated), then one
//    ModelBatch::prepare() computes the next distribution of every lane that
//    ran out, in one model call, and each codes that step. Groups spread
//    over threads; with fewer groups than threads, the threads left over form
//    teams that share each group's model calls;
//  - any other model runs each lane alone to completion, lanes spread over
//    threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "base/progress.h"
#include "models/model_batch.h"

namespace eqlab {

class Lane {
public:
    virtual ~Lane() = default;
    // Called once, before the first next(), with the stream the lane runs on.
    // Default: empties the stream's context.
    virtual void start(ModelBatch& batch, size_t s) { batch.reset(s); }
    // Readies the next step on stream `s` of `batch` (e.g. resets the stream
    // where a window starts). Returns false once the lane is finished; it is
    // then never called again and destroyed.
    virtual bool next(ModelBatch& batch, size_t s) = 0;
    // Codes one step with batch.cdf(s, P), which is ready or computes itself.
    // Returns the progress units (bytes) the step completed.
    virtual uint64_t step(ModelBatch& batch, size_t s) = 0;
};

// Makes lane `index`; called on the thread that runs it. A lane leaves its
// result where its maker told it to (each lane its own slot).
using LaneFactory = std::function<std::unique_ptr<Lane>(size_t index)>;

struct LanePlan {
    size_t lanes = 0;           // lanes [0, lanes)
    size_t lanesPerGroup = 32;  // lanes stepped in rounds when the model batches streams; 0: all in one group
    int threads = 1;            // worker threads, clamped by usableThreads() to the cores and the groups
};

// Runs every lane of the plan to completion (see above). Progress is the sum
// of the units the steps return; when `progress` asks to stop, every thread
// throws Cancelled. The first exception of any lane is rethrown here after
// all threads have stopped.
void runLanes(const ByteModel& model, const LanePlan& plan, const LaneFactory& make, SharedProgress& progress);

// Runs one lane alone on stream `s` of `batch`, on this thread.
void runLane(Lane& lane, ModelBatch& batch, size_t s);

}  // namespace eqlab
