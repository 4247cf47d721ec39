#include "methods/work_costs.h"

#include <algorithm>

#include "methods/codec.h"

namespace eqlab {

namespace {

// Measured with `eqlab-cli bench-phases --kib 32 --threads 2` on the 2-core
// development machine (the bundled models; the sample repeated to 32 KiB).
// The methods without M1 with other builds running, so their absolute
// figures are slow, their ratios are what a bar needs; M1's loading and
// passes again, on a quiet machine, after eqinfo-ac's encoder got lanes
// from guessed starts (coding had fallen from 4x its check to 1.2x).
// Seconds per input byte on kMeasuredThreads threads.
constexpr int kMeasuredThreads = 2;
constexpr double kLoadFixedSeconds = 0.008;         // opening any model (SentencePiece: its plugin): 8-10 ms
constexpr double kLoadSecondsPerFileByte = 7.5e-9;  // M1: 0.07-0.09 s for its 10 MB

struct PassCosts {
    double code, second, decode;  // pass 1; pass 2 (eqinfo-ac's check or resolution); decoding
};
// Under M1: ac's chunks batch 32 lanes and decode without look-ahead; eqinfo-ac's
// 256 streams batch better, its check decodes all windows together.
constexpr PassCosts kM1Ac{7.42e-5, 0, 1.94e-4};
// (eqinfo-ac's window check, which bench-phases does not run: decoding times the old ratio of the two)
constexpr PassCosts kM1EqualInfo{2.69e-5, 2.08e-5, 2.25e-5};          // distinct termination
constexpr PassCosts kM1EqualInfoShortest{2.80e-5, 3.25e-5, 3.96e-4};  // pass 2 resolves windows
// With M1's context kept across a stream's windows (reset=never or every
// N-th), windows cost as ac's chunks do: no lanes from guessed starts, a
// longer context to attend to, and decoding (the window check) one row a
// stream a call; with the short-context costs the check had a fifth of the
// bar and sat at 80-95% for most of a 10 MB run (reset=never).
constexpr PassCosts kM1EqualInfoLongContext{kM1Ac.code, kM1Ac.decode, kM1Ac.decode};
// Without M1 (a unigram's range coder, gzip, bytes, SentencePiece): microseconds.
constexpr PassCosts kUnigram{1.06e-6, 1.06e-6, 3.2e-7};
constexpr PassCosts kGzip{2.4e-7, 0, 4.5e-9};
constexpr PassCosts kBytes{3.6e-8, 0, 2.1e-9};
constexpr PassCosts kSentencePiece{8.9e-7, 0, 7.1e-8};

PassCosts passCosts(const CodecParams& p, bool m1) {
    const bool shortest = p.termination == CodecParams::Termination::Shortest;
    switch (p.method) {
        case Method::Bytes:
            return kBytes;
        case Method::Gzip:
            return kGzip;
        case Method::SentencePiece:
            return kSentencePiece;
        case Method::EqualInfoAc:
            if (!m1) return kUnigram;
            if (shortest) return kM1EqualInfoShortest;
            return p.m1Reset != 1 ? kM1EqualInfoLongContext : kM1EqualInfo;
        case Method::Ac:
        case Method::StaticAc:
            return m1 ? kM1Ac : kUnigram;
    }
    return kUnigram;
}

}  // namespace

double modelLoadSeconds(uint64_t fileBytes) {
    return kLoadFixedSeconds + double(fileBytes) * kLoadSecondsPerFileByte;
}

CodingCost codingCost(const CodecParams& params, const EncodeOptions& options, bool m1, int threads) {
    const PassCosts pc = passCosts(params, m1);
    // M1's passes spread over the threads (lanes of chunks, streams or windows); loading does not.
    const double scale = m1 ? double(kMeasuredThreads) / double(std::max(1, threads)) : 1.0;
    CodingCost c;
    const std::vector<std::string> passes = encodePasses(params, options);
    for (size_t k = 0; k < passes.size(); ++k) c.passes.push_back((k == 0 ? pc.code : pc.second) * scale);
    c.decode = pc.decode * scale;
    return c;
}

std::string loadPhaseName(Method method, bool m1) {
    switch (method) {
        case Method::Bytes:
        case Method::Gzip:
            return {};
        case Method::Ac:
        case Method::EqualInfoAc:
            return m1 ? "loading M1" : "loading the model";
        default:
            return "loading the model";
    }
}

}  // namespace eqlab
