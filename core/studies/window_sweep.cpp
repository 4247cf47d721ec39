#include "studies/window_sweep.h"

#include <algorithm>
#include <cmath>

#include "analysis/analyze.h"
#include "analysis/paper_figures.h"
#include "base/errors.h"

namespace eqlab {

namespace {

// The list sorted, without repeats; InvalidArgument for an empty list or a
// value outside [lo, hi].
std::vector<int> checkedList(std::vector<int> v, int lo, int hi, const char* what) {
    if (v.empty()) throw InvalidArgument(std::string("no ") + what + " to sweep");
    for (int x : v)
        if (x < lo || x > hi)
            throw InvalidArgument(std::string(what) + " " + std::to_string(x) + " is out of range [" +
                                  std::to_string(lo) + ", " + std::to_string(hi) + "]");
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

// The row for token size k of an encoding at window size b, from its windows.
// Every window occupies exactly b bits, so k only decides how those bits are
// counted in tokens: windows x b / k of them.
WindowSweepRow rowOf(const Encoded& e, int k) {
    const std::vector<Segment>& windows = e.trace.segments;
    WindowSweepRow r;
    r.b = e.params.windowBits;
    r.k = k;
    r.vocab = uint64_t(1) << k;
    r.windows = windows.size();
    const uint64_t bytes = e.inputBytes;
    const uint64_t tokens = r.windows * uint64_t(r.b) / uint64_t(k);
    r.bytesPerToken = tokens ? double(bytes) / double(tokens) : 0.0;
    r.bitsPerByte = bytes ? double(tokens) * k / double(bytes) : 0.0;
    uint64_t padding = 0, occupied = 0;
    double sum = 0, sumSquares = 0;
    r.minWindowBytes = windows.empty() ? 0 : UINT64_MAX;
    for (const Segment& w : windows) {
        const uint64_t n = w.byteEnd - w.byteBegin;
        sum += double(n);
        sumSquares += double(n) * double(n);
        r.minWindowBytes = std::min(r.minWindowBytes, n);
        r.maxWindowBytes = std::max(r.maxWindowBytes, n);
        padding += w.paddingBits();
        occupied += w.bitsTotal;
    }
    if (!windows.empty()) {
        r.meanWindowBytes = sum / double(windows.size());
        // Population spread: the windows are all of them, not a sample.
        r.sdWindowBytes =
            std::sqrt(std::max(0.0, sumSquares / double(windows.size()) - r.meanWindowBytes * r.meanWindowBytes));
    }
    r.paddingFraction = occupied ? double(padding) / double(occupied) : 0.0;
    r.tokenOnlyDecodable = e.tokenOnlyDecodable.value_or(0.0);
    if (const PaperFigure* f = paperFigure(Method::EqualInfoAc, r.b))
        r.paperBytesPerToken = k == 8 ? f->bytesPerToken256 : k == 16 ? f->bytesPerToken65k : 0.0;
    return r;
}

}  // namespace

WindowSweep runWindowSweep(const uint8_t* data, size_t size, const WindowSweepOptions& sweep,
                           const StudyOptions& options) {
    WindowSweep out;
    out.scope = studyScope(size, options);
    const std::vector<int> bs = checkedList(sweep.windowBits, kMinWindowBits, kMaxWindowBits, "window size b");
    const std::vector<int> ks = checkedList(sweep.tokenBits, kMinTokenBits, kMaxTokenBits, "token size k");

    // The valid k of each b; the rest is skipped, with why.
    std::vector<std::vector<int>> validK(bs.size());
    for (int k : ks)
        for (size_t i = 0; i < bs.size(); ++i) {
            if (bs[i] % k == 0)
                validK[i].push_back(k);
            else
                out.skipped.push_back("b=" + std::to_string(bs[i]) + ", k=" + std::to_string(k) +
                                      ": b must be a multiple of k");
        }
    std::vector<size_t> toEncode;  // indices into bs with at least one valid k
    for (size_t i = 0; i < bs.size(); ++i)
        if (!validK[i].empty()) toEncode.push_back(i);
    if (toEncode.empty()) throw InvalidArgument("no valid (b, k): b must be a multiple of k");

    const ModelSet models = studyModels(Method::EqualInfoAc, options);
    out.modelName = modelNameOf(models);
    const uint64_t n = out.scope.analysedBytes;

    // One encoding per b serves every k: the windows, their precision and
    // their termination depend on b alone (k only cuts the same bits into
    // tokens), so encoding again per k would repeat identical work.
    std::vector<std::vector<WindowSweepRow>> rowsByK(ks.size());
    const StudyProgress progress(options.progress, std::vector<uint64_t>(toEncode.size(), n));
    for (size_t part = 0; part < toEncode.size(); ++part) {
        const size_t i = toEncode[part];
        CodecParams p;
        p.method = Method::EqualInfoAc;
        p.windowBits = bs[i];
        p.tokenBits = validK[i].front();
        p.termination = sweep.termination;
        EncodeOptions eo;
        eo.trace = true;  // the windows, as trace.segments
        eo.stats = true;  // token-only decodability
        eo.threads = options.clampedThreads();
        eo.progress = progress.part(part);
        const Encoded e = encode(data, n, p, models, eo);
        for (int k : validK[i]) {
            const size_t ki = size_t(std::find(ks.begin(), ks.end(), k) - ks.begin());
            rowsByK[ki].push_back(rowOf(e, k));
        }
        progress.finish(part);
    }
    for (std::vector<WindowSweepRow>& rows : rowsByK) out.rows.insert(out.rows.end(), rows.begin(), rows.end());
    return out;
}

}  // namespace eqlab
