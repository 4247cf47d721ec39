// The paper's reference figures (Lester et al. 2024, "Training LLMs over
// Neurally Compressed Text", C4 with a 3M-parameter M1; DESIGN.md's table),
// in one place for every view, command and study that shows them beside
// eqlab's own measurements. Standard C++ only.
#pragma once

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

}  // namespace eqlab
