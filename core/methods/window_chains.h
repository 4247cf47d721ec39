// The Equal-Info windows of one stream, found by several lanes at once.
//
// With M1's context reset at every window (CodecParams::m1Reset == 1) and a
// fresh coder per window, where a window ends depends only on where it
// starts: the windows from any byte form a chain, the same whoever codes it.
// The stream's true windows are the chain from its first byte. A stream
// coded as one lane takes one model call per window at least, each with a
// window's few rows: the weights are read for each of them. Coded as several
// lanes instead, lane 0 from the first byte and lane k from a guessed start
// k * spacing, the lanes' rows share the calls; a lane's chain from a wrong
// start meets the true chain after a few windows (measured: within 64 bytes
// at b = 16, some hundreds at b = 128), and from there on the two are the
// same windows. So the lane before reaching a start of the lane after it
// stops there, and the stream's windows are the pieces joined:
//
//   lane 0:  |w|w|w|w|w|w|w|w|            (stops: its next window begins at
//   lane 1:          |x|x|w|w|w|w|w|w|...  a window of lane 1, its 3rd)
//                        ^ joined
//
// The result is the single-lane result whatever the schedule: joining a
// chain where it meets another never changes it. What the schedule changes
// is only the waste (lane k's windows before the join point, and a lane
// overtaken by the one before it, whose windows are then all discarded).
// Chains need not meet: on periodic text (a run of one byte) every window
// has the same length, and chains from starts that differ by other than a
// multiple of it run side by side for ever. So a lane that goes `joinWithin`
// bytes past where the next lane started without meeting its chain discards
// that lane and codes on itself: at worst the stream is coded as one lane,
// while the others' work is wasted.
//
// Lanes of one stream may run on different threads (each thread its own
// lane engine group): opens() and finishes() take the record's lock, and
// what threads change is only the schedule, which changes no window.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace eqlab {

class WindowChains {
public:
    // `lanes` lanes; lane k starts at byte begins[k] of the stream (begins[0]
    // == 0, ascending; a start at or past the stream's end makes an empty
    // lane). joinWithin: bytes past a lane's start within which the lane
    // before it must meet its chain (see above).
    WindowChains(std::vector<uint64_t> begins, uint64_t joinWithin);
    // Lanes over a stream of n bytes: as many as fit at least minSpacing
    // bytes apart, at most `lanes` and at least one, spread evenly,
    // floor(n / count) apart, so that every start lies inside the stream
    // (but for an empty stream's one lane). joinWithin: half the spacing.
    static WindowChains spread(uint64_t n, size_t lanes, uint64_t minSpacing);

    size_t lanes() const { return lanes_.size(); }
    uint64_t begin(size_t lane) const { return lanes_[lane].begin; }

    // Lane `lane`, whose windows so far end at stream byte q, is about to open
    // a window there. Returns false when it should stop instead: its chain
    // reached a window the lane after it opened (the rest is that lane's), or
    // the lane before it overtook and discarded it. Records q as the lane's
    // window start otherwise.
    bool opens(size_t lane, uint64_t q);
    // Lane `lane` coded its stream to the end.
    void finishes(size_t lane);

    // One lane's windows [first, end) in the stream's chain.
    struct Piece {
        size_t lane;
        size_t first, end;
    };
    // The stream's windows from byte 0, in order, once every lane has
    // stopped (their threads joined). Pieces cover the stream; each lane at most once.
    std::vector<Piece> chain() const;

private:
    static constexpr size_t kNone = size_t(-1);
    struct Lane {
        uint64_t begin = 0;
        std::vector<uint64_t> starts;  // stream bytes where its windows open, ascending
        size_t next = kNone;           // the lane whose windows it may join: the next one not discarded
        size_t joinsAt = kNone;        // the window of `next` where it stopped (kNone: not stopped there)
        size_t entry = 0;              // its first window in the chain (where the lane before joined it)
        bool discarded = false;        // overtaken: none of its windows are in the chain
        bool done = false;             // it coded to the stream's end, or stopped
    };
    std::vector<Lane> lanes_;
    uint64_t joinWithin_;
    std::unique_ptr<std::mutex> lock_ = std::make_unique<std::mutex>();  // a pointer: chains are moved into vectors
};

}  // namespace eqlab
