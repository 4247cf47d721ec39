// eqlab-numerics-probe MODEL TEXT: the fingerprint of M1's numerics on this
// processor. Standard C++ only (eqlab_base, eqlab_m1_runtime, eqlab_cdf), so
// that it builds for any processor; the cross-processor test
// (tests/numerics_cross_processor.sh) runs it built for each instruction set
// the runtime is compiled for, and for aarch64 under qemu, and compares the
// lines it prints with tests/data/numerics-pins.txt.
//
// It feeds the text's first n = max(kMinBytes, context + kPastContext) bytes
// (the text must hold them) to M1's runtime (public API only) through two streams:
//   A, a full-context stream, over all n: a prefill of BOS and the first
//     kPrefill bytes in one call (more rows than the runtime's internal
//     batch), then one byte per call, past the context so that its cache slides;
//   B, a stream whose cache starts small and grows, over kBytesB bytes from
//     n / 2, kRowsB bytes per call beside A's row (a prefill in a shared call).
// n is kept near the context because the aarch64 run is emulated (qemu).
// Every other call is split across a team of two threads. Each output row's
// 256 probabilities are hashed as IEEE bit patterns, and the CDF the coder
// would code with (coding/cdf.h quantizeProbabilities at kDefaultPrecision)
// as its 257 cumulative counts, all little-endian, in call and row order.
//
// Output, one line per numerics version the runtime computes (oldest first):
// TENSOR-SHA256 NUMERICS-VERSION OUTPUTS-SHA256 CDFS-SHA256 ROWS
// (TENSOR-SHA256 is the SHA-256 of the model's tensor bytes, M1Weights::tensorBytes).
// Exit status 0, or 1 with a message on stderr.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "base/worker_team.h"
#include "coding/cdf.h"
#include "m1/m1_format.h"
#include "m1/m1_runtime.h"

namespace {

using eqlab::Sha256;
namespace m1 = eqlab::m1;

constexpr int kMinBytes = 600;    // text bytes at least (the tiny model's context is 64)
constexpr int kPastContext = 64;  // bytes beyond the context: A's cache slides this often
constexpr int kPrefill = 300;     // A's first call: BOS and these bytes (the runtime batches 256 rows)
constexpr int kBytesB = 100;      // bytes B reads
constexpr int kRowsB = 3;         // B's rows in each shared call
constexpr int kBStartCapacity =
    16;                        // B's initial cache (the coder's batch streams start so: 16 -> 32 -> 64 re-lays keys)
constexpr int kTeamParts = 2;  // threads of the team that every other call uses

void putU32(Sha256& h, uint32_t v) {
    const uint8_t b[4] = {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
    h.update(b, 4);
}

std::vector<uint8_t> readAll(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("cannot read " + path);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// The probe under one numerics version: prints its line.
void probe(const m1::M1Weights& weights, const std::vector<uint8_t>& text, int n, int numerics) {
    const m1::M1Runtime runtime(weights, numerics);
    eqlab::WorkerTeam team(kTeamParts);

    m1::M1Stream a = runtime.newStream();
    m1::M1Stream b = runtime.newStream(kBStartCapacity);
    // What each stream reads, BOS first.
    std::vector<int> inputA{m1::kBos}, inputB{m1::kBos};
    for (int i = 0; i < n; ++i) inputA.push_back(text[size_t(i)]);
    for (int i = n / 2; i < n / 2 + kBytesB; ++i) inputB.push_back(text[size_t(i)]);

    Sha256 outputs, cdfs;
    int64_t rowsSeen = 0;
    std::vector<m1::M1Stream*> streams;
    std::vector<int> tokens;
    std::vector<float> probs;
    size_t nextA = 0, nextB = 0;
    for (int call = 0; nextA < inputA.size(); ++call) {
        streams.clear();
        tokens.clear();
        const size_t takeA = call == 0 ? size_t(kPrefill) + 1 : 1;
        for (size_t i = 0; i < takeA && nextA < inputA.size(); ++i) {
            streams.push_back(&a);
            tokens.push_back(inputA[nextA++]);
        }
        for (int i = 0; i < kRowsB && call > 0 && nextB < inputB.size(); ++i) {
            streams.push_back(&b);
            tokens.push_back(inputB[nextB++]);
        }
        const int rows = int(streams.size());
        probs.assign(size_t(rows) * m1::kVocab, 0.0f);
        runtime.step(streams.data(), tokens.data(), rows, probs.data(), call % 2 == 0 ? &team : nullptr);
        for (int r = 0; r < rows; ++r) {
            const float* p = &probs[size_t(r) * m1::kVocab];
            for (int v = 0; v < m1::kVocab; ++v) {
                uint32_t bits;
                std::memcpy(&bits, &p[v], 4);
                putU32(outputs, bits);
            }
            eqlab::Cdf cdf;
            eqlab::quantizeProbabilities(p, eqlab::kDefaultPrecision, cdf);
            for (uint32_t c : cdf.cum) putU32(cdfs, c);
        }
        rowsSeen += rows;
    }

    const std::vector<uint8_t> tensors = weights.tensorBytes();
    std::printf("%s %d %s %s %lld\n", Sha256().update(tensors.data(), tensors.size()).hex().c_str(), numerics,
                outputs.hex().c_str(), cdfs.hex().c_str(), static_cast<long long>(rowsSeen));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: eqlab-numerics-probe MODEL.eqm1 TEXT\n");
        return 1;
    }
    try {
        const m1::M1Weights weights = m1::M1Weights::load(argv[1]);
        const std::vector<uint8_t> text = readAll(argv[2]);
        const int n = std::max(kMinBytes, weights.config.context + kPastContext);
        if (text.size() < size_t(n))
            throw std::runtime_error(std::string(argv[2]) + ": this model needs a text of " + std::to_string(n) +
                                     " bytes or more");
        for (int v = m1::kOldestNumericsVersion; v <= m1::kNumericsVersion; ++v) probe(weights, text, n, v);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "eqlab-numerics-probe: %s\n", e.what());
        return 1;
    }
}
