// The paper's reference figures (Lester et al. 2024, "Training LLMs over
// Neurally Compressed Text", C4 with a 3M-parameter M1; DESIGN.md's table),
// in one place for every view, command and study that shows them beside
// eqlab's own measurements. Standard C++ only.
#pragma once

#include <optional>
#include <vector>

#include "methods/method.h"

namespace eqlab {

// M1's compression in the paper: bits/byte on C4 (also plain AC's uniform bits/byte).
constexpr double kPaperM1BitsPerByte = 1.457;

// One row of the paper's comparison. A figure of 0 means the paper gives none.
struct PaperFigure {
    Method method;
    int windowBits = 0;             // eqinfo-ac: b in bits; 0 for the other methods
    double bytesPerToken256 = 0;    // compression ratio at v = 256 (sentencepiece: its 32k vocabulary)
    double bytesPerToken65k = 0;    // at v = 65,536
    double uniformBitsPerByte = 0;  // a uniform model over the v = 256 tokens: 8 / bytesPerToken256
    double m2BitsPerByte256 = 0;    // M2 (25M parameters) held-out bits/byte at v = 256 (approximate for static-ac)
    double m2BitsPerByte65k = 0;    // at v = 65,536
    bool learnable = true;          // false: M2 stays at the uniform loss (ac, static-ac)
};

// The table, in DESIGN.md's order: bytes, sentencepiece, ac, static-ac,
// gzip, then eqinfo-ac at b = 16, 32, 64, 128.
const std::vector<PaperFigure>& paperFigures();

// The row for a method (and, for eqinfo-ac, its window size b), or nullptr
// when the paper has none (e.g. eqinfo-ac at b = 24).
const PaperFigure* paperFigure(Method method, int windowBits);

// The paper's other findings that the studies (core/studies/) show beside
// eqlab's measurements.

// Bytes/token of eqinfo-ac[b=16, v=256] when M1's context resets every
// `every`-th window (0: never; section 5.1): 2.66 (every window), 3.40
// (every other), 5.33 (never); 0 where the paper gives none (e.g. every 4th).
double paperResetBytesPerToken(uint32_t every);
// Whether M2 learned a reset variant in the paper (only "every window"
// did), or nothing for a variant it did not train on (e.g. every 4th).
std::optional<bool> paperResetLearnable(uint32_t every);

// What the paper reports, in a sentence each, for the studies without a number to put beside ours.
extern const char* const kPaperPositionAccuracyNote;  // M2 accuracy by token position in a window
extern const char* const kPaperStabilityNote;         // figure 8
extern const char* const kPaperUniformityNote;        // figure 11
extern const char* const kPaperWindowSweepNote;       // table 2 / figure 3
extern const char* const kPaperResetNote;             // section 5.1

}  // namespace eqlab
