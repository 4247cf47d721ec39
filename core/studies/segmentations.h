// Study "segmentations": one text cut four ways, for aligned rows over it:
// Equal-Info windows of b bits, entropy patches in the style of the Byte
// Latent Transformer (a patch starts where M1's next-byte entropy exceeds a
// threshold, or, monotonic, where it rises by more than a threshold over the
// previous byte's), SentencePiece pieces, and fixed chunks of n bytes.
// Entropy patches are a segmentation, not a coding method: they read M1's
// full next-byte distribution (ByteModel::probabilities), not surprisal.
#pragma once

#include <string>
#include <vector>

#include "models/byte_model.h"
#include "studies/study.h"

namespace eqlab {

constexpr double kMaxEntropyThreshold = 8.0;  // bits: a byte distribution's entropy is at most 8

// entropy[i]: the entropy in bits of the model's next-byte distribution
// before byte i, given bytes [0, i) (one context over the whole text; M1's
// context slides past its length). Progress in bytes.
std::vector<float> nextByteEntropy(const uint8_t* data, size_t size, ByteModel& model, const ProgressFn& progress);

// Where patches start (always at 0): byte i > 0 starts one when entropy[i] >
// threshold (global) or entropy[i] - entropy[i - 1] > threshold (monotonic).
// Throws InvalidArgument for a threshold outside [0, 8] (global) or [-8, 8]
// (monotonic), or an empty entropy vector.
std::vector<uint64_t> entropyPatchStarts(const std::vector<float>& entropy, double threshold, bool monotonic);
// 0, n, 2n, ... below size. Throws InvalidArgument for n == 0 or size == 0.
std::vector<uint64_t> fixedChunkStarts(uint64_t size, uint64_t n);

// Segments of this many bytes or more share the length histogram's last entry.
constexpr uint64_t kMaxSegmentLengthBucket = 256;

// Which way a row cuts the text.
enum class SegmentationKind : uint8_t { EqualInfo, Entropy, EntropyRise, SentencePiece, Fixed };

struct SegmentationRow {
    SegmentationKind kind = SegmentationKind::Fixed;
    std::string name;  // "eqinfo-ac[b=16,v=256]", "entropy > 2.0", "entropy rise > 0.5", "sentencepiece", "fixed 4"
    std::vector<uint64_t> starts;  // ascending, starts[0] == 0; segment j is [starts[j], starts[j+1] or size)
    double meanBytes = 0;
    uint64_t shortestBytes = 0, longestBytes = 0;
    // lengthHistogram[n]: segments of n bytes (n >= 1; [0] unused), the last
    // entry (at most kMaxSegmentLengthBucket) counting every longer one too.
    std::vector<uint64_t> lengthHistogram;
};
// A row from its starts over `size` bytes. Throws InvalidArgument unless
// size > 0, starts[0] == 0 and starts ascend strictly below size.
SegmentationRow segmentationRow(SegmentationKind kind, std::string name, std::vector<uint64_t> starts, uint64_t size);

// The rows runSegmentations() composes, for redrawing one at another
// parameter without re-running the rest:
// The entropy patches of `entropy` (one per byte), named "entropy > T" or
// "entropy rise > T". Cheap (one pass): for a threshold slider.
SegmentationRow entropyRow(const std::vector<float>& entropy, double threshold, bool monotonic);
// Equal-Info windows of b bits (k = 8) over the text, from encode()'s trace
// under models.byteModel; named by the method's label. Progress in bytes.
SegmentationRow equalInfoRow(const uint8_t* data, size_t size, int windowBits, const ModelSet& models, int threads,
                             const ProgressFn& progress);

struct SegmentationsOptions {
    int windowBits = 16;              // Equal-Info b (k = 8): a multiple of 8 in [kMinWindowBits, kMaxWindowBits]
    double entropyThreshold = 2.0;    // bits, [0, kMaxEntropyThreshold]
    double monotonicThreshold = 1.0;  // bits of rise, [-kMaxEntropyThreshold, kMaxEntropyThreshold]
    uint64_t fixedBytes = 4;          // >= 1
};

struct Segmentations {
    StudyScope scope;
    std::string modelName;
    std::vector<float> entropy;         // per analysed byte, for redrawing the entropy rows at any threshold
    std::vector<SegmentationRow> rows;  // eqinfo, entropy global, entropy monotonic, sentencepiece, fixed
};

// Cuts the analysed bytes (studyScope, at most kMaxPerByteResultBytes) five ways. The entropy is M1's (the
// model eqinfo-ac uses under `options`). Throws InvalidArgument for options
// out of range (before any coding) or an empty text, Cancelled.
Segmentations runSegmentations(const uint8_t* data, size_t size, const SegmentationsOptions& seg,
                               const StudyOptions& options);

}  // namespace eqlab
