#include "m1/m1_runtime.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "base/errors.h"
#include "m1/deterministic_exp.h"

namespace eqlab::m1 {

namespace {

constexpr float kLayerNormEps = 1e-5f;  // torch.nn.LayerNorm's default
constexpr int kOutputTile = 64;         // outputs accumulated together in a matrix product
constexpr int kMaxRows = 256;           // rows per internal batch

// The matrix product, the attention and the softmax are compiled for
// AVX-512 and AVX2 (each with FMA) and plain x86-64, and chosen once, by what
// the processor supports (kernelsFor), for each numerics version (same
// arithmetic in each: no contraction but the fma version 2 asks for, same
// order). EQLAB_RUNTIME_ISA (CMake) can pin one of them instead, for the
// cross-processor test and benchmarks; EQLAB_NO_TARGET_CLONES, or a
// processor other than x86, builds only the plain one.
#if defined(EQLAB_NO_TARGET_CLONES) || !(defined(__x86_64__) || defined(__i386__))
#define EQLAB_KERNELS_AVX512 0
#define EQLAB_KERNELS_AVX2 0
#define EQLAB_KERNELS_GENERIC 1
#elif defined(EQLAB_RUNTIME_ISA_avx512f)
#define EQLAB_KERNELS_AVX512 1
#define EQLAB_KERNELS_AVX2 0
#define EQLAB_KERNELS_GENERIC 0
#elif defined(EQLAB_RUNTIME_ISA_avx2)
#define EQLAB_KERNELS_AVX512 0
#define EQLAB_KERNELS_AVX2 1
#define EQLAB_KERNELS_GENERIC 0
#else
#define EQLAB_KERNELS_AVX512 1
#define EQLAB_KERNELS_AVX2 1
#define EQLAB_KERNELS_GENERIC 1
#endif

// GCC 12's loop vectoriser takes a product block of 16 outputs (the
// scores of a short stream) across its inputs instead, with a transpose of
// shuffles per pass; without it, its basic-block vectoriser keeps the 16
// outputs in one vector (two on AVX2) as it does for wider blocks. perf of
// eqinfo-ac encoding: those scores took 9% of the time, now 2%. Which
// instructions compute a sum never changes its operations or their order.
#if defined(__GNUC__) && !defined(__clang__)
#define EQLAB_NO_LOOP_VECTORIZER __attribute__((optimize("no-tree-loop-vectorize")))
#else
#define EQLAB_NO_LOOP_VECTORIZER
#endif

// a + x * w, the runtime's one multiply-add: rounded twice (numerics version
// 1) or once (Fused, version 2). -ffp-contract=off keeps the compiler from
// fusing the first on its own.
template <bool Fused>
EQLAB_ALWAYS_INLINE float madd(float a, float x, float w) {
    if constexpr (Fused)
        return __builtin_fmaf(x, w, a);
    else
        return a + x * w;
}

// [out][in] (torch) -> tiles of kOutputTile outputs, each [in][width]
// (width = kOutputTile but for a last partial tile) and contiguous: a
// product then streams each tile's weights in order, one cache line after
// the next, instead of striding across rows of `out` floats.
std::vector<float> packedTiles(const Tensor& t) {
    const int out = t.shape[0], in = t.shape[1];
    std::vector<float> r(t.data.size());
    for (int o0 = 0; o0 < out; o0 += kOutputTile) {
        const int width = std::min(kOutputTile, out - o0);
        float* tile = r.data() + size_t(o0) * size_t(in);
        for (int i = 0; i < in; ++i)
            for (int j = 0; j < width; ++j)
                tile[size_t(i) * size_t(width) + size_t(j)] = t.data[size_t(o0 + j) * size_t(in) + size_t(i)];
    }
    return r;
}

// What a matrix product does with each finished output v = b[o] + sum:
// store it, store relu(v), or add it to what y holds (a residual).
enum class Epilogue { Store, Relu, Add };

inline void emit(Epilogue e, float* __restrict y, const float* __restrict acc, const float* __restrict b, int n) {
    switch (e) {
        case Epilogue::Store:
            for (int j = 0; j < n; ++j) y[j] = acc[j] + b[j];
            break;
        case Epilogue::Relu:
            for (int j = 0; j < n; ++j) {
                const float v = acc[j] + b[j];
                y[j] = v > 0.0f ? v : 0.0f;
            }
            break;
        case Epilogue::Add:
            for (int j = 0; j < n; ++j) y[j] = y[j] + (acc[j] + b[j]);
            break;
    }
}

// y[r][o] = b[o] + sum_i x[r][i] * W[o][i], the sum taken over i = 0, 1, ...
// in order for every (r, o): vectorising across o and blocking rows changes
// no element's arithmetic, and rows never mix. A block of R rows by W
// outputs of one tile reads the tile's W weights for one input once and
// applies them to every row of the block, whose R x W accumulators stay in
// registers. tile: W columns of a tile of packedTiles (row stride
// kOutputTile) or of a key tile (row stride its width); acc: the block's
// sums, row stride kOutputTile. Inputs
// [i0, i1) only: the sums start at zero for i0 = 0 and from acc otherwise
// (a float stored and loaded again is the same float), so a product split
// into input blocks adds exactly what one pass over all inputs adds.
template <bool F, int R, int W>
EQLAB_ALWAYS_INLINE void linearBlock(const float* __restrict x, int in, int i0, int i1, const float* __restrict tile,
                                     int stride, float* __restrict acc) {
    float a[R][W];
    for (int r = 0; r < R; ++r)
        for (int j = 0; j < W; ++j) a[r][j] = i0 == 0 ? 0.0f : acc[r * kOutputTile + j];
    for (int i = i0; i < i1; ++i) {
        const float* __restrict w = tile + size_t(i) * size_t(stride);
        for (int r = 0; r < R; ++r) {
            const float xi = x[size_t(r) * size_t(in) + size_t(i)];
            for (int j = 0; j < W; ++j) a[r][j] = madd<F>(a[r][j], xi, w[j]);
        }
    }
    for (int r = 0; r < R; ++r)
        for (int j = 0; j < W; ++j) acc[r * kOutputTile + j] = a[r][j];
}

// linearBlock for the last block of a product, rows < R.
template <bool F, int R, int W>
EQLAB_ALWAYS_INLINE void linearBlockOf(int rows, const float* __restrict x, int in, int i0, int i1,
                                       const float* __restrict tile, int stride, float* __restrict acc) {
    if constexpr (R > 1)
        if (rows < R) return linearBlockOf<F, R - 1, W>(rows, x, in, i0, i1, tile, stride, acc);
    linearBlock<F, R, W>(x, in, i0, i1, tile, stride, acc);
}

// Rows and inputs of a product's cache blocking: the rows of a group go over
// one input block of a tile (kInputBlock x 64 weights, 32 KB: an L1 cache)
// before the next block, so that its weights come from L2 or memory once per
// group, not once per R rows.
constexpr int kRowGroup = 64;
constexpr int kInputBlock = 128;

// The product for output tiles [tile0, tile1) (tile t holds outputs
// 64t..64t+63) in blocks of R rows by W outputs (W divides kOutputTile): a
// team splits one product by tiles, so each output is still computed whole,
// by one thread, in the same order, whatever R and W are.
template <bool F, int R, int W>
EQLAB_ALWAYS_INLINE void linearTiles(const float* x, int rows, int in, const float* packed, const float* b, int out,
                                     int tile0, int tile1, float* y, Epilogue e) {
    static_assert(kOutputTile % W == 0, "a block's outputs divide the tile");
    constexpr int G = R * (kRowGroup / R);  // a group's rows: whole blocks
    float acc[G * kOutputTile];             // a group's sums
    for (int t = tile0; t < tile1; ++t) {
        const int o0 = t * kOutputTile;
        const int n = std::min(kOutputTile, out - o0);
        const float* tile = packed + size_t(o0) * size_t(in);
        if (n < kOutputTile) {  // a partial tile (no config here has one): the plain loop, same order
            for (int r = 0; r < rows; ++r) {
                for (int j = 0; j < n; ++j) {
                    float sum = 0.0f;
                    for (int i = 0; i < in; ++i)
                        sum = madd<F>(sum, x[size_t(r) * size_t(in) + size_t(i)],
                                      tile[size_t(i) * size_t(n) + size_t(j)]);
                    acc[j] = sum;
                }
                emit(e, y + size_t(r) * size_t(out) + size_t(o0), acc, b + o0, n);
            }
            continue;
        }
        for (int g0 = 0; g0 < rows; g0 += G) {
            const int g1 = std::min(rows, g0 + G);
            for (int i0 = 0; i0 < in; i0 += kInputBlock) {
                const int i1 = std::min(in, i0 + kInputBlock);
                for (int r0 = g0; r0 < g1; r0 += R) {
                    const int block = std::min(R, g1 - r0);
                    const float* xb = x + size_t(r0) * size_t(in);
                    float* ab = acc + (r0 - g0) * kOutputTile;
                    for (int j0 = 0; j0 < kOutputTile; j0 += W)
                        linearBlockOf<F, R, W>(block, xb, in, i0, i1, tile + j0, kOutputTile, ab + j0);
                }
            }
            for (int r = g0; r < g1; ++r)
                emit(e, y + size_t(r) * size_t(out) + size_t(o0), acc + (r - g0) * kOutputTile, b + o0, kOutputTile);
        }
    }
}

// ALiBi's slope for head h of `heads`, 2^(-8(h+1)/heads), without libm
// (whose exp2 may differ in the last bit between C libraries): the whole
// power of two is exact (ldexp), and only a fractional rest, which arises
// when heads does not divide 8, goes through deterministicExp.
float alibiSlope(int h, int heads) {
    const int num = 8 * (h + 1);
    const float whole = std::ldexp(1.0f, -(num / heads));
    if (num % heads == 0) return whole;
    constexpr float kLn2 = 0.693147180559945309f;
    return whole * deterministicExp(-(float(num % heads) / float(heads)) * kLn2);
}

// LayerNorm of the rows of x [rows][d] into y. Each row's mean and variance
// are sums over i in order; a block of rows goes side by side so that their
// sums (each a serial chain of additions) overlap in the pipeline.
template <int R>
void layerNormBlock(const float* __restrict x, int d, const float* __restrict w, const float* __restrict b,
                    float* __restrict y) {
    float mean[R], var[R], inv[R];
    for (int r = 0; r < R; ++r) mean[r] = var[r] = 0.0f;
    for (int i = 0; i < d; ++i)
        for (int r = 0; r < R; ++r) mean[r] = mean[r] + x[r * d + i];
    for (int r = 0; r < R; ++r) mean[r] = mean[r] / float(d);
    for (int i = 0; i < d; ++i)
        for (int r = 0; r < R; ++r) {
            const float c = x[r * d + i] - mean[r];
            var[r] = var[r] + c * c;
        }
    for (int r = 0; r < R; ++r) inv[r] = 1.0f / std::sqrt(var[r] / float(d) + kLayerNormEps);
    for (int r = 0; r < R; ++r)
        for (int i = 0; i < d; ++i) y[r * d + i] = (x[r * d + i] - mean[r]) * inv[r] * w[i] + b[i];
}

void layerNorm(const float* x, int rows, int d, const float* w, const float* b, float* y) {
    constexpr int kBlock = 8;  // rows normalised side by side
    int r = 0;
    for (; r + kBlock <= rows; r += kBlock)
        layerNormBlock<kBlock>(x + size_t(r) * size_t(d), d, w, b, y + size_t(r) * size_t(d));
    for (; r < rows; ++r) layerNormBlock<1>(x + size_t(r) * size_t(d), d, w, b, y + size_t(r) * size_t(d));
}

// In place: p[i] = exp(p[i] - max) / sum, the sum over i in order (the
// exponentials themselves are independent, so they vectorise). The maximum
// is taken in 16 lanes, then across them: a maximum is exact, so any order
// gives the same m, but for its sign when it is zero (p[i] - m is then the
// same but for the sign of a zero, and exp(+0) = exp(-0)) or when some p[i]
// is NaN (every result is NaN either way). As one chain of 1,024
// comparisons it took more of ac's encoding time than the scores (perf).
EQLAB_ALWAYS_INLINE void softmaxInline(float* p, int n) {
    constexpr int L = 16;
    float lanes[L];
    for (int l = 0; l < L; ++l) lanes[l] = p[0];
    int i = 0;
    for (; i + L <= n; i += L)
        for (int l = 0; l < L; ++l) lanes[l] = p[i + l] > lanes[l] ? p[i + l] : lanes[l];
    float m = lanes[0];
    for (int l = 1; l < L; ++l) m = lanes[l] > m ? lanes[l] : m;
    for (; i < n; ++i) m = p[i] > m ? p[i] : m;
    for (int i = 0; i < n; ++i) p[i] = deterministicExp(p[i] - m);
    float sum = 0.0f;
    for (int i = 0; i < n; ++i) sum = sum + p[i];
    const float inv = 1.0f / sum;
    for (int i = 0; i < n; ++i) p[i] = p[i] * inv;
}

// scores[t][r][j] = sum_i q_r[i] k_(64 t + j)[i] (scores: [tile][kAttendRows][64])
// for rows r < rows (q_r at q + r qStride) of one head and its cache slots
// (64 t + j) in [a0, a1) and [b0, b1), summed over i = 0, 1, ... in order
// for every row and position. Keys lie in tiles of `width` slots
// (M1Stream::keyTile), each [dh][width] as a product's weight tile, so
// this is linearBlock's product, R x W sums in registers while the head's
// dimensions go by, each key read once for R rows; W slots at a time, from
// the block that holds a range's first slot to the one that holds its last.
// Two widths are compiled: whole tiles (W 64 or 32), and 16 for short
// streams (Equal-Info windows), which spares them reading and scoring 64
// slots for a few. Each score alone, whichever rows and slots go together.
// (Both ranges in one loop: a second inlined block left GCC 12 keeping its
// sums on the stack.)
template <bool F, int R, int W>
EQLAB_ALWAYS_INLINE void dotTiles(const float* q, int qStride, int rows, int dh, const float* keys, int width, int a0,
                                  int a1, int b0, int b1, float* scores) {
    static_assert(kKeyTile == kOutputTile && kKeyTile % W == 0, "a key tile is a product's tile");
    const int blocksA = a1 > a0 ? (a1 + W - 1) / W - a0 / W : 0;
    const int blocksB = b1 > b0 ? (b1 + W - 1) / W - b0 / W : 0;
    for (int k = 0; k < blocksA + blocksB; ++k) {
        const int slot = (k < blocksA ? a0 / W + k : b0 / W + (k - blocksA)) * W;  // the block's first
        const float* tile = keys + size_t(slot / width) * size_t(dh) * size_t(width) + size_t(slot % width);
        float* acc = scores + size_t(slot / kKeyTile) * kAttendRows * kKeyTile + size_t(slot % kKeyTile);
        for (int r0 = 0; r0 < rows; r0 += R)
            linearBlockOf<F, R, W>(std::min(R, rows - r0), q + size_t(r0) * size_t(qStride), qStride, 0, dh, tile,
                                   width, acc + r0 * kOutputTile);
    }
}

// Positions below which a span of slots is scored 16 at a time.
constexpr int kNarrowSpan = kKeyTile;

// out[i] = sum_j p[j] v_j[i] for i < dh, adding j = 0, 1, ... in order, over
// one head's values ([slot][dh]) in two runs of consecutive slots: v_j is
// row j of `first` for j < run1, then row j - run1 of `second`. DH > 0 is
// a head of DH dimensions, whose sums stay in registers through both runs
// (written as one loop per run over one set of sums: as two calls of a
// block that stores and reloads its sums, or with the run chosen inside one
// loop, GCC 12 kept them on the stack); DH = 0 is any width, the sums in
// memory. The same additions in the same order, either way.
template <bool F, int DH>
EQLAB_ALWAYS_INLINE void weightedValues(const float* __restrict p, int n, int run1, const float* __restrict first,
                                        const float* __restrict second, int dh, float* __restrict out) {
    if constexpr (DH > 0) {
        float a[DH];
        for (int i = 0; i < DH; ++i) a[i] = 0.0f;
        for (int j = 0; j < run1; ++j) {
            const float* __restrict v = first + size_t(j) * DH;
            const float pj = p[j];
            for (int i = 0; i < DH; ++i) a[i] = madd<F>(a[i], pj, v[i]);
        }
        for (int j = run1; j < n; ++j) {
            const float* __restrict v = second + size_t(j - run1) * DH;
            const float pj = p[j];
            for (int i = 0; i < DH; ++i) a[i] = madd<F>(a[i], pj, v[i]);
        }
        for (int i = 0; i < DH; ++i) out[i] = a[i];
    } else {
        for (int i = 0; i < dh; ++i) out[i] = 0.0f;
        for (int j = 0; j < n; ++j) {
            const float pj = p[j];
            const float* __restrict v =
                j < run1 ? first + size_t(j) * size_t(dh) : second + size_t(j - run1) * size_t(dh);
            for (int i = 0; i < dh; ++i) out[i] = madd<F>(out[i], pj, v[i]);
        }
    }
}

// weightedValues for any head width, its sums in registers for 64.
template <bool F>
EQLAB_ALWAYS_INLINE void weightedValuesOf(const float* p, int n, int run1, const float* first, const float* second,
                                          int dh, float* out) {
    if (dh == 64)
        weightedValues<F, 64>(p, n, run1, first, second, dh, out);
    else
        weightedValues<F, 0>(p, n, run1, first, second, dh, out);
}

// The kernels of one instruction set and numerics version.
struct Kernels {
    void (*linear)(const float* x, int rows, int in, const float* packed, const float* b, int out, int tile0, int tile1,
                   float* y, Epilogue e);
    void (*scores)(const float* q, int qStride, int rows, int dh, const float* keys, int a0, int a1, int b0, int b1,
                   float* scores);  // slots [a0, a1) and [b0, b1), whole 64-slot tiles at a time
    void (*scoresNarrow)(const float* q, int qStride, int rows, int dh, const float* keys, int width, int a0, int a1,
                         int b0, int b1, float* scores);  // 16 slots at a time, key tiles `width` wide
    // A function of its own: inlined into a kernel with the scores, GCC 12
    // kept its sums on the stack.
    void (*weightedValues)(const float* p, int n, int run1, const float* first, const float* second, int dh,
                           float* out);
    void (*softmax)(float* p, int n);
};

// One set per instruction set, the product with a block that fits its
// registers (R x W / lanes accumulators, plus a broadcast input and a
// product): AVX-512's 32 zmm (16 floats) hold 6 rows x 64 outputs in 24
// for the products (4 x 64 took 3% longer to encode 64 KB with eqinfo-ac,
// 7 x 64 5% longer: it spills) and 4 x 64 in 16 for the scores;
// AVX2's 16 ymm (8 floats) hold 3 rows x 32 outputs in 12 (4 x 64 needs 32
// and spills to the stack), used for calls of more than kFewRows rows; the
// plain build uses 3 x 32 too (24 of NEON's 32 q registers; SSE2 spills
// some; 16 outputs wide, GCC 12 vectorised the loop over inputs with
// shuffles instead, ten times slower). A block decides only which outputs a
// pass computes, never their operations: all give the same bits. The plain
// x86-64 build has no FMA instruction: version 2 calls libm's fmaf there
// (exactly rounded, as C requires; slow, for processors older than 2013).
//
// The attention's scores use the same blocks over key tiles (a key tile is
// laid out as a weight tile), and 16 slots wide for short streams (on the
// plain build that width may vectorise poorly, as above; not measured).
//
// Each set is five thin functions compiled for its instruction set (the
// bodies above are inlined into them) and the table of them.
#if EQLAB_KERNELS_AVX512
#define EQLAB_AVX512 __attribute__((target("avx512f,fma")))
template <bool F>
EQLAB_AVX512 void linearAvx512(const float* x, int rows, int in, const float* packed, const float* b, int out,
                               int tile0, int tile1, float* y, Epilogue e) {
    linearTiles<F, 6, 64>(x, rows, in, packed, b, out, tile0, tile1, y, e);
}
template <bool F>
EQLAB_AVX512 void scoresAvx512(const float* q, int qStride, int rows, int dh, const float* keys, int a0, int a1, int b0,
                               int b1, float* scores) {
    dotTiles<F, 4, 64>(q, qStride, rows, dh, keys, kKeyTile, a0, a1, b0, b1, scores);
}
template <bool F>
EQLAB_AVX512 EQLAB_NO_LOOP_VECTORIZER void scoresNarrowAvx512(const float* q, int qStride, int rows, int dh,
                                                              const float* keys, int width, int a0, int a1, int b0,
                                                              int b1, float* scores) {
    dotTiles<F, 4, 16>(q, qStride, rows, dh, keys, width, a0, a1, b0, b1, scores);
}
template <bool F>
EQLAB_AVX512 void weightedValuesAvx512(const float* p, int n, int run1, const float* first, const float* second, int dh,
                                       float* out) {
    weightedValuesOf<F>(p, n, run1, first, second, dh, out);
}
EQLAB_AVX512 void softmaxAvx512(float* p, int n) {
    softmaxInline(p, n);
}
template <bool F>
constexpr Kernels kernelsAvx512 = {linearAvx512<F>, scoresAvx512<F>, scoresNarrowAvx512<F>, weightedValuesAvx512<F>,
                                   softmaxAvx512};
#undef EQLAB_AVX512
#endif

#if EQLAB_KERNELS_AVX2
#define EQLAB_AVX2 __attribute__((target("avx2,fma")))
constexpr int kFewRows = 4;  // calls of up to this many rows use 4 x 64 blocks
template <bool F>
EQLAB_AVX2 void linearAvx2(const float* x, int rows, int in, const float* packed, const float* b, int out, int tile0,
                           int tile1, float* y, Epilogue e) {
    // Calls of a few rows keep 64 outputs per pass: 1 x 64 is 8 independent
    // chains of additions, enough to hide the adder's latency, where 1 x 32
    // is 4 and waits on it; the 4 x 64 block spills, but one pass over the
    // weights beats a 3 x 32 block and a 1 x 32 one. (Thread CPU time, an
    // AVX-512 machine running the AVX2 code, numerics 1, GFLOP/s: 1 row 10.0
    // with 64 wide against 8.2 with 3 x 32; 4 rows 27 against 21; 64 rows 35
    // against 35-37, 16 rows 32-34 against 31-34.)
    if (rows <= kFewRows)
        linearTiles<F, 4, 64>(x, rows, in, packed, b, out, tile0, tile1, y, e);
    else
        linearTiles<F, 3, 32>(x, rows, in, packed, b, out, tile0, tile1, y, e);
}
template <bool F>
EQLAB_AVX2 void scoresAvx2(const float* q, int qStride, int rows, int dh, const float* keys, int a0, int a1, int b0,
                           int b1, float* scores) {
    dotTiles<F, 3, 32>(q, qStride, rows, dh, keys, kKeyTile, a0, a1, b0, b1, scores);
}
template <bool F>
EQLAB_AVX2 EQLAB_NO_LOOP_VECTORIZER void scoresNarrowAvx2(const float* q, int qStride, int rows, int dh,
                                                          const float* keys, int width, int a0, int a1, int b0, int b1,
                                                          float* scores) {
    dotTiles<F, 3, 16>(q, qStride, rows, dh, keys, width, a0, a1, b0, b1, scores);
}
template <bool F>
EQLAB_AVX2 void weightedValuesAvx2(const float* p, int n, int run1, const float* first, const float* second, int dh,
                                   float* out) {
    weightedValuesOf<F>(p, n, run1, first, second, dh, out);
}
EQLAB_AVX2 void softmaxAvx2(float* p, int n) {
    softmaxInline(p, n);
}
template <bool F>
constexpr Kernels kernelsAvx2 = {linearAvx2<F>, scoresAvx2<F>, scoresNarrowAvx2<F>, weightedValuesAvx2<F>, softmaxAvx2};
#undef EQLAB_AVX2
#endif

#if EQLAB_KERNELS_GENERIC
template <bool F>
void linearGeneric(const float* x, int rows, int in, const float* packed, const float* b, int out, int tile0, int tile1,
                   float* y, Epilogue e) {
    linearTiles<F, 3, 32>(x, rows, in, packed, b, out, tile0, tile1, y, e);
}
template <bool F>
void scoresGeneric(const float* q, int qStride, int rows, int dh, const float* keys, int a0, int a1, int b0, int b1,
                   float* scores) {
    dotTiles<F, 3, 32>(q, qStride, rows, dh, keys, kKeyTile, a0, a1, b0, b1, scores);
}
template <bool F>
EQLAB_NO_LOOP_VECTORIZER void scoresNarrowGeneric(const float* q, int qStride, int rows, int dh, const float* keys,
                                                  int width, int a0, int a1, int b0, int b1, float* scores) {
    dotTiles<F, 3, 16>(q, qStride, rows, dh, keys, width, a0, a1, b0, b1, scores);
}
template <bool F>
constexpr Kernels kernelsGeneric = {linearGeneric<F>, scoresGeneric<F>, scoresNarrowGeneric<F>, weightedValuesOf<F>,
                                    softmaxInline};
#endif

// The kernels for this processor: the build's one choice (EQLAB_RUNTIME_ISA),
// or, with all of them built ("clones"), the best the processor supports.
template <bool F>
Kernels kernelsFor() {
#if EQLAB_KERNELS_AVX512 && EQLAB_KERNELS_AVX2 && EQLAB_KERNELS_GENERIC
    __builtin_cpu_init();
    const bool fma = __builtin_cpu_supports("fma");
    if (fma && __builtin_cpu_supports("avx512f")) return kernelsAvx512<F>;
    if (fma && __builtin_cpu_supports("avx2")) return kernelsAvx2<F>;
    return kernelsGeneric<F>;
#elif EQLAB_KERNELS_AVX512
    return kernelsAvx512<F>;
#elif EQLAB_KERNELS_AVX2
    return kernelsAvx2<F>;
#else
    return kernelsGeneric<F>;
#endif
}

// Chosen on first use (not at static initialisation, which another
// translation unit's statics might precede).
const Kernels& kernels(int numerics) {
    static const Kernels unfused = kernelsFor<false>(), fused = kernelsFor<true>();
    return numerics >= 2 ? fused : unfused;
}

// A build pinned to one instruction set (EQLAB_RUNTIME_ISA) refuses a
// processor without it (and FMA), instead of ending in an illegal instruction.
void requireProcessorHasBuildIsa() {
#if !(EQLAB_KERNELS_AVX512 && EQLAB_KERNELS_AVX2 && EQLAB_KERNELS_GENERIC) && \
    (EQLAB_KERNELS_AVX512 || EQLAB_KERNELS_AVX2)
    __builtin_cpu_init();
    const char* isa = EQLAB_KERNELS_AVX512 ? "avx512f" : "avx2";
    const bool has = (EQLAB_KERNELS_AVX512 ? __builtin_cpu_supports("avx512f") : __builtin_cpu_supports("avx2")) &&
                     __builtin_cpu_supports("fma");
    if (!has)
        throw Error(std::string("this eqlab was built for ") + isa + " with fma only (EQLAB_RUNTIME_ISA=" + isa +
                    "), which this processor lacks: build with EQLAB_RUNTIME_ISA=clones");
#endif
}

}  // namespace

M1Runtime::M1Runtime(const M1Weights& w, int numerics) : config_(w.config), numerics_(numerics) {
    requireProcessorHasBuildIsa();
    if (!computesNumerics(numerics))
        throw Error("the M1 runtime computes numerics versions " + std::to_string(kOldestNumericsVersion) + " to " +
                    std::to_string(kNumericsVersion) + ", not " + std::to_string(numerics));
    config_.validate();
    embed_ = w.at("embed.weight").data;
    for (int l = 0; l < config_.layers; ++l) {
        const std::string p = "blocks." + std::to_string(l) + ".";
        Layer L;
        L.ln1w = w.at(p + "ln1.weight").data;
        L.ln1b = w.at(p + "ln1.bias").data;
        L.qkvW = packedTiles(w.at(p + "qkv.weight"));
        L.qkvB = w.at(p + "qkv.bias").data;
        L.projW = packedTiles(w.at(p + "proj.weight"));
        L.projB = w.at(p + "proj.bias").data;
        L.ln2w = w.at(p + "ln2.weight").data;
        L.ln2b = w.at(p + "ln2.bias").data;
        L.fc1W = packedTiles(w.at(p + "fc1.weight"));
        L.fc1B = w.at(p + "fc1.bias").data;
        L.fc2W = packedTiles(w.at(p + "fc2.weight"));
        L.fc2B = w.at(p + "fc2.bias").data;
        layers_.push_back(std::move(L));
    }
    lnfw_ = w.at("lnf.weight").data;
    lnfb_ = w.at("lnf.bias").data;
    headW_ = packedTiles(w.at("head.weight"));
    headB_ = w.at("head.bias").data;
    for (int h = 0; h < config_.heads; ++h) slopes_.push_back(alibiSlope(h, config_.heads));
}

M1Stream M1Runtime::newStream(int capacity) const {
    M1Stream s;
    const int ring = ringSlots();
    s.capacity = capacity <= 0 || capacity >= ring ? ring : roundCapacity(capacity);
    const size_t n = size_t(config_.layers) * size_t(s.capacity) * size_t(config_.dModel);
    s.keys.assign(n, 0.0f);
    s.values.assign(n, 0.0f);
    return s;
}

namespace {
// Re-lays a stream's cache of `blocks` heads (layers x heads, each head's
// keys and values dh x capacity floats) at a larger capacity. Only called
// before the stream wraps (length <= capacity < the full ring), so position
// p sits in slot p at either capacity: a head's first rows of values hold
// the same floats; its keys too, where both key tiles are kKeyTile wide, and
// otherwise (a short stream's single narrower tile) each key moves to its
// place in the wider tile.
void grow(M1Stream& s, int blocks, int dh, int newCapacity) {
    const size_t oldBlock = size_t(s.capacity) * size_t(dh), newBlock = size_t(newCapacity) * size_t(dh);
    const int oldTile = s.keyTile(), newTile = std::min(newCapacity, kKeyTile);
    std::vector<float> keys(size_t(blocks) * newBlock, 0.0f);
    std::vector<float> values(keys.size(), 0.0f);
    for (size_t h = 0; h < size_t(blocks); ++h) {
        const float* from = &s.keys[h * oldBlock];
        float* to = &keys[h * newBlock];
        if (oldTile == newTile)
            std::memcpy(to, from, sizeof(float) * oldBlock);
        else  // one tile of oldTile slots into the first of newTile
            for (size_t i = 0; i < size_t(dh); ++i)
                std::memcpy(to + i * size_t(newTile), from + i * size_t(oldTile), sizeof(float) * size_t(oldTile));
        std::memcpy(&values[h * newBlock], &s.values[h * oldBlock], sizeof(float) * oldBlock);
    }
    s.keys = std::move(keys);
    s.values = std::move(values);
    s.capacity = newCapacity;
}
}  // namespace

void M1Runtime::attend(M1Stream& s, int l, const float* qkv, int64_t pos, int rows, int hd, float* out,
                       float* scratch) const {
    const int d = config_.dModel, dh = config_.headDim(), C = config_.context, W = kKeyTile, T = s.keyTile();
    const float scale = 1.0f / std::sqrt(float(dh)), slope = slopes_[size_t(hd)];
    const int cap = s.capacity;
    const size_t block = size_t(cap) * size_t(dh);  // one head's keys, or its values
    float* keys = &s.keys[(size_t(l) * size_t(config_.heads) + size_t(hd)) * block];
    float* values = &s.values[(size_t(l) * size_t(config_.heads) + size_t(hd)) * block];
    for (int r = 0; r < rows; ++r) {
        const int slot = int((pos + r) % cap);
        const float* kRow = qkv + size_t(r) * size_t(3 * d) + size_t(d + hd * dh);
        float* key = keys + size_t(slot / T) * size_t(dh) * size_t(T) + size_t(slot % T);
        for (int i = 0; i < dh; ++i) key[size_t(i) * size_t(T)] = kRow[i];
        std::memcpy(values + size_t(slot) * size_t(dh), kRow + d, sizeof(float) * size_t(dh));
    }
    // Chronological index j of a span from position `first` lives in slot
    // (first + j) % cap: at most two contiguous runs.
    auto firstOf = [&](int64_t p) { return std::max<int64_t>(0, p - C + 1); };  // oldest position p attends to
    const Kernels& k = kernels(numerics_);
    // Every row's scores, over all the positions any of them attends to.
    float* bySlot = scratch;
    {
        const int64_t first = firstOf(pos);
        const int n = int(pos + rows - first);
        const int firstSlot = int(first % cap), run1 = std::min(n, cap - firstSlot);
        if (n < kNarrowSpan)
            k.scoresNarrow(qkv + hd * dh, 3 * d, rows, dh, keys, T, firstSlot, firstSlot + run1, 0, n - run1, bySlot);
        else  // n >= 64 slots: the cache's key tiles are kKeyTile wide
            k.scores(qkv + hd * dh, 3 * d, rows, dh, keys, firstSlot, firstSlot + run1, 0, n - run1, bySlot);
    }
    // Each row: its own positions' weights in order (ALiBi, softmax), then its values.
    float* weights = scratch + size_t(kAttendRows) * size_t(roundToKeyTiles(cap));  // past the scores, in 64-slot tiles
    for (int r = 0; r < rows; ++r) {
        const int64_t first = firstOf(pos + r);
        const int n = int(pos + r - first + 1);
        const int firstSlot = int(first % cap), run1 = std::min(n, cap - firstSlot);
        // Its scores, slots [firstSlot, firstSlot + run1) then [0, n - run1), a tile's part at a time.
        auto gather = [&](int slot, int end, float* to) {
            while (slot < end) {
                const int take = std::min(W - slot % W, end - slot);
                std::memcpy(to, bySlot + size_t(slot / W) * kAttendRows * W + size_t(r * W + slot % W),
                            sizeof(float) * size_t(take));
                to += take;
                slot += take;
            }
        };
        gather(firstSlot, firstSlot + run1, weights);
        gather(0, n - run1, weights + run1);
        for (int j = 0; j < n; ++j) weights[j] = weights[j] * scale - slope * float(n - 1 - j);
        k.softmax(weights, n);
        k.weightedValues(weights, n, run1, values + size_t(firstSlot) * size_t(dh), values, dh,
                         out + size_t(r) * size_t(d) + size_t(hd * dh));
    }
}

namespace {
// A calling thread's activations, kept from call to call: allocated in
// each call, their pages were faulted in and zeroed every time (the
// kernel's clear_page took 4% of a 2-thread call in perf). Never shrunk.
struct StepBuffers {
    std::vector<float> x, att, big, normed, scores;
};
StepBuffers& stepBuffers() {
    thread_local StepBuffers buffers;
    return buffers;
}
// At least n floats of v, their contents as an earlier call left them: every
// float a stage of a call reads, an earlier stage of the same call wrote.
float* atLeast(std::vector<float>& v, size_t n) {
    if (v.size() < n) v.resize(n);
    return v.data();
}
}  // namespace

void M1Runtime::step(M1Stream* const* streams, const int* tokens, int rows, float* probs, WorkerTeam* team) const {
    const int d = config_.dModel, m = config_.mlp;
    const int P = team ? team->parts() : 1;
    const Kernels& k = kernels(numerics_);
    for (int r0 = 0; r0 < rows; r0 += kMaxRows) {
        const int B = std::min(kMaxRows, rows - r0);
        M1Stream* const* S = streams + r0;
        // A row's position is its stream's length plus the stream's rows before it.
        std::vector<int64_t> positions(static_cast<size_t>(B));
        for (int r = 0; r < B; ++r) {
            int64_t earlier = 0;
            for (int q = 0; q < r; ++q) earlier += S[q] == S[r];
            positions[size_t(r)] = S[r]->length + earlier;
        }
        // Caches grow here, before the parts start, so that no part allocates.
        const int ring = ringSlots();
        for (int r = 0; r < B; ++r)
            while (S[r]->capacity < ring && positions[size_t(r)] >= S[r]->capacity)
                grow(*S[r], config_.layers * config_.heads, config_.headDim(), std::min(ring, 2 * S[r]->capacity));
        // Activations: x [B][d] (the residual stream), att [B][d],
        // big [B][max(3d, m)], and per part its own normalised rows [B][d]
        // and attention scratch; the calling thread's, kept between calls.
        StepBuffers& buf = stepBuffers();
        float* x = atLeast(buf.x, size_t(B) * size_t(d));
        float* att = atLeast(buf.att, size_t(B) * size_t(d));
        float* big = atLeast(buf.big, size_t(B) * size_t(std::max(3 * d, m)));
        float* normed = atLeast(buf.normed, size_t(P) * size_t(B) * size_t(d));
        const size_t scratchFloats = size_t(this->scratchFloats());
        float* scores = atLeast(buf.scores, size_t(P) * scratchFloats);
        // 1. Embedding.
        for (int r = 0; r < B; ++r)
            std::memcpy(&x[size_t(r) * size_t(d)], &embed_[size_t(tokens[r0 + r]) * size_t(d)],
                        sizeof(float) * size_t(d));

        // Every part runs the whole pass and computes its share of each
        // product's output tiles and of the heads; barriers separate the
        // stages. LayerNorms are cheap, and every part computes them for all
        // rows, which saves a barrier each.
        runParts(team, [&](int part) {
            auto sync = [&] {
                if (team) team->barrier();
            };
            auto share = [&](int out, int& t0, int& t1) {
                const int tiles = (out + kOutputTile - 1) / kOutputTile;
                t0 = tiles * part / P;
                t1 = tiles * (part + 1) / P;
            };
            float* h = &normed[size_t(part) * size_t(B) * size_t(d)];
            // Attention splits by heads: a part keeps its heads' slice of
            // every stream's cache, and steps the rows in order.
            const int head0 = config_.heads * part / P, head1 = config_.heads * (part + 1) / P;
            int t0 = 0, t1 = 0;
            for (int l = 0; l < config_.layers; ++l) {
                const Layer& L = layers_[size_t(l)];
                // 2. Attention: qkv = LN1(x) W_qkv [B][3d]; each stream caches
                //    k and v and attends with ALiBi; x += att W_proj.
                layerNorm(x, B, d, L.ln1w.data(), L.ln1b.data(), h);
                share(3 * d, t0, t1);
                k.linear(h, B, d, L.qkvW.data(), L.qkvB.data(), 3 * d, t0, t1, big, Epilogue::Store);
                sync();
                // Consecutive rows of one stream (a prefill, a speculation)
                // go head by head, kAttendRows at a time: a head's cache
                // (1/heads of the stream's) then stays in L2 for all of them,
                // and each key is read once for up to kAttendRows rows. Each
                // row still sees exactly its own positions: a head's rows go
                // in order, and no head reads another's slice.
                for (int r = 0, g; r < B; r = g) {
                    for (g = r + 1; g < B && S[g] == S[r];) ++g;
                    for (int hd = head0; hd < head1; ++hd)
                        for (int q = r; q < g; q += kAttendRows)
                            attend(*S[q], l, &big[size_t(q) * size_t(3 * d)], positions[size_t(q)],
                                   std::min(kAttendRows, g - q), hd, &att[size_t(q) * size_t(d)],
                                   &scores[size_t(part) * scratchFloats]);
                }
                sync();
                share(d, t0, t1);
                k.linear(att, B, d, L.projW.data(), L.projB.data(), d, t0, t1, x, Epilogue::Add);
                sync();
                // 3. MLP: x += relu(LN2(x) W1) W2.
                layerNorm(x, B, d, L.ln2w.data(), L.ln2b.data(), h);
                share(m, t0, t1);
                k.linear(h, B, d, L.fc1W.data(), L.fc1B.data(), m, t0, t1, big, Epilogue::Relu);
                sync();
                share(d, t0, t1);
                k.linear(big, B, m, L.fc2W.data(), L.fc2B.data(), d, t0, t1, x, Epilogue::Add);
                sync();
            }
            // 4. Final LayerNorm, head [B][256], softmax.
            layerNorm(x, B, d, lnfw_.data(), lnfb_.data(), h);
            share(kVocab, t0, t1);
            k.linear(h, B, d, headW_.data(), headB_.data(), kVocab, t0, t1, probs + size_t(r0) * kVocab,
                     Epilogue::Store);
            sync();
            for (int r = part; r < B; r += P) k.softmax(probs + size_t(r0 + r) * kVocab, kVocab);
        });
        for (int r = 0; r < B; ++r) ++S[r]->length;
    }
}

}  // namespace eqlab::m1
