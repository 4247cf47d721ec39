// What every study shares (core/studies/: the paper's analyses, rerun on the
// user's own text and model). A study is one function: bytes and options in,
// a result struct out; no Qt widgets. `eqlab-cli study NAME` and a page of
// the GUI's Studies tab are its two front ends.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/progress.h"
#include "methods/codec.h"

namespace eqlab {

// Studies that cost per byte (coding under M1) analyse at most this many
// bytes of their input by default, and say so in their result.
constexpr uint64_t kDefaultStudyBytes = 64 * 1024;
constexpr int kMaxStudyThreads = 64;

struct StudyOptions {
    std::string m1Path;                      // M1 weights for ac and eqinfo-ac; "" = the bundled default
    std::string spPath;                      // a SentencePiece model for sentencepiece; "" = the bundled default
    int threads = 1;                         // clamped to [1, kMaxStudyThreads]
    uint64_t maxBytes = kDefaultStudyBytes;  // analyse at most the first maxBytes bytes (0: all)
    ProgressFn progress;                     // (done, total) in the study's units; false cancels (Cancelled)

    int clampedThreads() const { return threads < 1 ? 1 : threads > kMaxStudyThreads ? kMaxStudyThreads : threads; }
};

// What part of its input a result covers: "analysed the first N of M bytes".
struct StudyScope {
    uint64_t inputBytes = 0;
    uint64_t analysedBytes = 0;
    bool truncated() const { return analysedBytes < inputBytes; }
    std::string describe() const;  // "12,284 bytes" or "the first 65,536 of 20,000,000 bytes"
};

// Studies whose result grows with every byte (a row per window, a start per
// segment) analyse at most this many bytes, whatever maxBytes says.
constexpr uint64_t kMaxPerByteResultBytes = uint64_t(4) << 20;

// The scope a study of a `size`-byte input analyses under `options`, and at
// most `limit` bytes (0: no limit of the study's own). Throws
// InvalidArgument for an empty input ("the text is empty").
StudyScope studyScope(uint64_t size, const StudyOptions& options, uint64_t limit = 0);

// The models `method` needs under the study's options (M1 for ac and
// eqinfo-ac from m1Path, SentencePiece from spPath, the bundled unigram for
// static-ac). `note`, if given, receives loadModelsFor()'s note.
ModelSet studyModels(Method method, const StudyOptions& options, std::string* note = nullptr);

// One study's progress over several parts of known sizes: part(i) reports
// part i's own (done, total) as overall progress; cancelling stops them all.
class StudyProgress {
public:
    StudyProgress(const ProgressFn& fn, std::vector<uint64_t> weights);
    // A callback for part i (0-based); its (done, total) is scaled into part i's weight.
    ProgressFn part(size_t i) const;
    // Part i is done: reports its whole weight; throws Cancelled when asked to stop.
    void finish(size_t i) const;

private:
    ProgressFn fn_;
    std::vector<uint64_t> weights_, offsets_;
    uint64_t total_ = 0;
};

// The methods a study compares by default, one of each in DESIGN.md's order:
// bytes, sentencepiece, gzip, static-ac, ac, eqinfo-ac[b=16] (all v = 256).
std::vector<CodecParams> defaultStudyMethods();

}  // namespace eqlab
