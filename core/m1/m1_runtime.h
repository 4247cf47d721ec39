// M1's deterministic runtime: the forward pass the range coder uses.
//
// The probabilities the coder sees must be bit-identical in the encoder and
// the decoder, whatever the batch size, the thread count or the order streams
// are stepped in. libtorch picks kernels by shape and promises none of that,
// so this is eqlab's own C++: every row is computed alone with a fixed
// reduction order (matrix products accumulate over inputs in index order,
// vectorised across outputs only; attention sums over a head's dimensions,
// then over positions, in order), compiled with -ffp-contract=off, with its
// own exp (IEEE sqrt and division are exactly rounded everywhere). Loop
// blocking, the ISA a loop is compiled for and the threads of a WorkerTeam
// decide only who computes an output and when, never its operations or their
// order. It is checked against the libtorch module in tests (log-probabilities
// within 1e-4), and its output bits are pinned (tst_m1::runtimeOutputIsPinned).
//
// Incremental evaluation: each stream keeps a KV cache of its last `context`
// positions. A stream longer than the context slides: a position attends to
// the cached keys/values of the `context` positions before it (ALiBi makes
// that need no position bookkeeping); keys and values are never recomputed.
// A sliding cache is a ring of context + kSlidingSlack slots, so that rows
// evaluated ahead on a guess (M1Model's speculation) may run past the
// context: position p overwrites the slot of position p - context -
// kSlidingSlack, which no position up to kSlidingSlack + 1 before p reads
// again, so a guess that turns out wrong leaves every slot a real row needs.
// Which slot holds a position never changes a result: attention reads the
// positions in order.
//
// The cache is laid out for the attention to stream it: a head's keys in
// tiles of kKeyTile positions (a short stream's in one tile of its 16 or 32),
// each [headDim][tile] and contiguous (a matrix product's weight tile, which
// the scores are), its
// values [capacity][headDim], each head's cache one contiguous block. A
// row's scores then read a few sequential streams, not a 4 KB stride per
// dimension (the layout decides where a float lives, never what is computed
// with it).
#pragma once

#include <cstdint>
#include <vector>

#include "base/worker_team.h"
#include "m1/deterministic_exp.h"  // the runtime's exp
#include "m1/m1_format.h"

namespace eqlab::m1 {

// The runtime's numerics: bump when anything that changes its output bits
// changes. Version 1 multiplies, then adds (two roundings) in every matrix
// product and in attention's scores and weighted sums; version 2 fuses each
// of those multiply-adds into one fma (one rounding; same order), which
// halves the arithmetic instructions and is exactly rounded on every
// processor (an FMA instruction, or libm's fmaf where the processor has
// none). LayerNorm and softmax are the same in both. New models are stamped
// with kNumericsVersion; the runtime still computes every version from
// kOldestNumericsVersion, so containers coded under an older one decode.
constexpr int kNumericsVersion = 2;
constexpr int kOldestNumericsVersion = 1;
// Whether this runtime computes numerics version v.
constexpr bool computesNumerics(int v) {
    return v >= kOldestNumericsVersion && v <= kNumericsVersion;
}

// A sliding stream's cache slots beyond the context (see above).
constexpr int kSlidingSlack = 64;
// Positions per key tile; a cache's capacity is a multiple of it, or 16 or
// 32 (a short stream's, whose keys are then one tile that wide).
constexpr int kKeyTile = 64;
// Rows of one stream attended together (their keys read once).
constexpr int kAttendRows = 4;
static_assert(kAttendRows <= kSlidingSlack + 1, "rows attended together within the sliding ring's slack");

// One independent stream's state: KV cache ring buffers and the position.
struct M1Stream {
    std::vector<float> keys;    // [layers][heads][capacity / keyTile()][headDim][keyTile()]
    std::vector<float> values;  // [layers][heads][capacity][headDim]
    int capacity = 0;    // cache slots; below the full ring (context + kSlidingSlack) it grows on demand (never slides)
    int64_t length = 0;  // tokens fed so far (BOS included)
    // Slots per key tile: kKeyTile, or the whole capacity of a short stream
    // (a few positions' keys then fill whole cache lines, not a sixteenth of 64).
    int keyTile() const { return capacity < kKeyTile ? capacity : kKeyTile; }
};

class M1Runtime {
public:
    // numerics: the version to compute (kOldestNumericsVersion..
    // kNumericsVersion; anything else throws), as a rule the one the weights
    // are stamped with (provenance.numericsVersion).
    M1Runtime(const M1Weights& weights, int numerics);

    const M1Config& config() const { return config_; }
    int numerics() const { return numerics_; }
    // capacity 0: the full ring (context + kSlidingSlack). A smaller capacity
    // saves memory for short streams (Equal-Info windows); it grows when
    // needed, without changing results.
    M1Stream newStream(int capacity = 0) const;

    // Feeds tokens[r] (0..255, or kBos) to streams[r] for r < rows and writes
    // the next-byte probabilities of each to probs[r * 256 ...]. Every row's
    // result depends only on its own stream: never on `rows` or on the others.
    // A stream may appear in several rows: they are its next positions in
    // order (a prefill), and give exactly what one call per token gives.
    // With a team, its parts share the call's work (outputs of each matrix
    // product, streams of the attention): the results are the same bits.
    void step(M1Stream* const* streams, const int* tokens, int rows, float* probs, WorkerTeam* team = nullptr) const;

private:
    // Slots of a full (sliding) stream cache: context + kSlidingSlack, up to
    // a whole key tile.
    int ringSlots() const { return roundToKeyTiles(config_.context + kSlidingSlack); }
    static int roundToKeyTiles(int n) { return (n + kKeyTile - 1) / kKeyTile * kKeyTile; }
    // A cache's capacity for n slots: 16, 32 or whole key tiles. (Not "slots": Qt defines it away.)
    static int roundCapacity(int n) { return n <= 16 ? 16 : n <= 32 ? 32 : roundToKeyTiles(n); }
    // Layer l's attention, head hd, for `rows` (up to kAttendRows) rows of
    // stream s at positions pos, pos + 1, ...: caches the head's slice of
    // each row's k and v (qkv: the rows' [q | k | v], 3 d apart) and writes
    // its output to out (the rows d apart). scratch: scratchFloats() floats.
    // The rows' keys are read once for all of them; each row's result is
    // what it would be alone (rows go in order, so each sees the keys and
    // values of the rows before it, and the ring's slack keeps every slot a
    // row reads from being overwritten by the rows after it).
    void attend(M1Stream& s, int l, const float* qkv, int64_t pos, int rows, int hd, float* out, float* scratch) const;
    // attend's scratch: the rows' scores by slot (whole tiles, cap each),
    // then one row's weights in order of position.
    int scratchFloats() const { return kAttendRows * ringSlots() + config_.context; }

    // Matrix weights (…W) are in output tiles, each [in][64] (see
    // packedTiles in the .cpp); the rest as in the weight file.
    struct Layer {
        std::vector<float> ln1w, ln1b, qkvW, qkvB, projW, projB, ln2w, ln2b, fc1W, fc1B, fc2W, fc2B;
    };
    M1Config config_;
    int numerics_;
    std::vector<float> embed_;  // [257][d]
    std::vector<Layer> layers_;
    std::vector<float> lnfw_, lnfb_, headW_, headB_;
    std::vector<float> slopes_;  // ALiBi slope per head
};

}  // namespace eqlab::m1
