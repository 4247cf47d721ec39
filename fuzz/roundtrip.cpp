// Fuzz target "roundtrip": encode-then-decode of arbitrary bytes under every
// method, asserting an exact round trip, and the encoding through a
// container, asserting that it comes back exactly.
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
constexpr size_t kMaxTextBytes = 4096;  // bytes coded per input
constexpr size_t kMaxM1TextBytes = 96;  // under the tiny M1 (ac, eqinfo-ac): ~2 ms a byte, sanitized
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
    const bool m1 = params.method == eqlab::Method::Ac || params.method == eqlab::Method::EqualInfoAc;
    const size_t n = std::min(size - kHeaderBytes, m1 ? kMaxM1TextBytes : kMaxTextBytes);
    const std::vector<uint8_t> original(text, text + n);
    const eqlab::ModelSet models = eqlab::fuzz::modelsFor(params.method);

    const eqlab::Encoded e = eqlab::encode(text, n, params, models, options);
    if (eqlab::decode(e, models, {}, threads) != original) __builtin_trap();

    // Through a container: what decode() reads must come back exactly (then
    // it decodes as above: decode is a function of these and the models),
    // and the models the container names must be found.
    const std::vector<uint8_t> bytes = eqlab::writeContainer(e, models);
    const eqlab::Container c = eqlab::readContainer(bytes.data(), bytes.size());
    const eqlab::Encoded& r = c.encoded;
    if (r.params.label() != params.label() ||
        (eqlab::usesRangeCoder(params.method) && r.params.effectivePrecision() != params.effectivePrecision()) ||
        r.params.chunkBytes != params.chunkBytes || r.params.m1Reset != params.m1Reset ||
        r.inputBytes != e.inputBytes || r.inputCrc != e.inputCrc || r.vocab != e.vocab || r.tokens != e.tokens ||
        r.side != e.side)
        __builtin_trap();
    (void)c.models(eqlab::fuzz::tinyM1);
    return 0;
}
