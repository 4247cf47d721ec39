// Fuzz target "roundtrip": encode-then-decode of arbitrary bytes under every
// method, straight and through a container, asserting exact round trips.
// The input's first kHeaderBytes bytes choose the method and its parameters
// (k, b, termination, M1 reset, chunk length, P, gzip level, threads, trace);
// the rest is the text. ac and eqinfo-ac code with the tests' tiny M1.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/errors.h"
#include "fuzz/fuzz_support.h"
#include "methods/codec.h"
#include "methods/container.h"

namespace {

constexpr size_t kHeaderBytes = 5;
constexpr size_t kMaxTextBytes = 4096;  // bytes coded per input, for speed under the tiny M1
constexpr int kMaxWindowMultiple = 64;  // b is at most 64 tokens
constexpr uint32_t kChunkChoices[] = {eqlab::kDefaultChunkBytes, 1, 7, 64};
constexpr uint32_t kResetChoices[] = {1, 0, 2, 3};   // every window, never, every 2nd, every 3rd
constexpr int kPrecisionChoices[] = {0, 8, 12, 16};  // 0: the method's default

eqlab::CodecParams paramsFrom(const uint8_t* h, int* threads, eqlab::EncodeOptions* options) {
    eqlab::CodecParams p;
    p.method = eqlab::allMethods()[h[0] % eqlab::allMethods().size()];
    p.tokenBits = eqlab::kMinTokenBits + h[1] % eqlab::kMaxTokenBits;
    const int minMultiple = (eqlab::kMinWindowBits + p.tokenBits - 1) / p.tokenBits;
    p.windowBits = p.tokenBits * (minMultiple + h[2] % kMaxWindowMultiple);
    const uint8_t f = h[3];
    p.termination = (f & 1) ? eqlab::CodecParams::Termination::Distinct : eqlab::CodecParams::Termination::Shortest;
    if (p.method == eqlab::Method::EqualInfoAc && p.termination == eqlab::CodecParams::Termination::Distinct)
        p.m1Reset = kResetChoices[(f >> 1) & 3];
    p.chunkBytes = kChunkChoices[(f >> 3) & 3];
    p.precision = kPrecisionChoices[(f >> 5) & 3];
    if (p.method == eqlab::Method::EqualInfoAc) p.precision = std::min(p.precision, std::max(8, p.windowBits - 2));
    *threads = (f & 0x80) ? 2 : 1;
    p.gzipLevel = -1 + h[4] % 11;
    options->trace = (h[4] >> 4) & 1;
    options->stats = (h[4] >> 5) & 1;
    options->threads = *threads;
    return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < kHeaderBytes) return 0;
    int threads = 1;
    eqlab::EncodeOptions options;
    const eqlab::CodecParams params = paramsFrom(data, &threads, &options);
    const uint8_t* text = data + kHeaderBytes;
    const size_t n = std::min(size - kHeaderBytes, kMaxTextBytes);
    const std::vector<uint8_t> original(text, text + n);
    const eqlab::ModelSet models = eqlab::fuzz::modelsFor(params.method);

    const eqlab::Encoded e = eqlab::encode(text, n, params, models, options);
    if (eqlab::decode(e, models, {}, threads) != original) __builtin_trap();

    const std::vector<uint8_t> bytes = eqlab::writeContainer(e, models);
    const eqlab::Container c = eqlab::readContainer(bytes.data(), bytes.size());
    if (c.encoded.params.label() != params.label()) __builtin_trap();
    if (eqlab::decode(c.encoded, c.models(eqlab::fuzz::tinyM1), {}, threads) != original) __builtin_trap();
    return 0;
}
