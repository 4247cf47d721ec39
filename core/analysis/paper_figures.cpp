#include "analysis/paper_figures.h"

namespace eqlab {

const std::vector<PaperFigure>& paperFigures() {
    // Transcribed from the paper's tables (and DESIGN.md): method, b,
    // bytes/token v=256 and v=65k, uniform bits/byte, M2 bits/byte v=256 and v=65k, learnable.
    static const std::vector<PaperFigure> table = {
        {Method::Bytes, 0, 1.0, 0, 8.000, 1.29, 0, true},
        {Method::SentencePiece, 0, 4.28, 0, 3.497, 1.12, 0, true},
        {Method::Ac, 0, 5.49, 10.98, kPaperM1BitsPerByte, 1.46, 1.46, false},
        {Method::StaticAc, 0, 1.73, 3.46, 4.624, 4.6, 0, false},
        {Method::Gzip, 0, 2.23, 4.47, 3.587, 2.34, 2.92, true},
        {Method::EqualInfoAc, 16, 2.66, 5.31, 3.008, 1.47, 1.25, true},
        {Method::EqualInfoAc, 32, 3.49, 6.97, 2.292, 2.05, 1.95, true},
        {Method::EqualInfoAc, 64, 4.16, 8.33, 1.923, 1.85, 1.82, true},
        {Method::EqualInfoAc, 128, 4.61, 9.22, 1.735, 1.71, 1.70, true},
    };
    return table;
}

const PaperFigure* paperFigure(Method method, int windowBits) {
    for (const PaperFigure& f : paperFigures())
        if (f.method == method && (method != Method::EqualInfoAc || f.windowBits == windowBits)) return &f;
    return nullptr;
}

double paperResetBytesPerToken(uint32_t every) {
    switch (every) {
        case 1:
            return 2.66;
        case 2:
            return 3.40;
        case 0:
            return 5.33;
        default:
            return 0;
    }
}

std::optional<bool> paperResetLearnable(uint32_t every) {
    if (every == 1) return true;
    if (every == 2 || every == 0) return false;
    return std::nullopt;
}

const char* const kPaperPositionAccuracyNote =
    "The paper: M2 learns the first token positions of a window first (positions 1-3), the later ones, "
    "which depend on more of the window's bytes, later and less well.";
const char* const kPaperStabilityNote =
    "The paper (figure 8): SentencePiece tokenizations barely change when a word is prepended, AC's "
    "change almost completely, Equal-Info Windows lie in between.";
const char* const kPaperUniformityNote =
    "The paper (figure 11): each method's bit n-grams and tokens against uniform, beside random bytes of "
    "the same length (the estimate's own bias): what structure a stream keeps, M2 can learn.";
const char* const kPaperWindowSweepNote =
    "The paper (table 2): bytes/token grows with b (2.66, 3.49, 4.16, 4.61 at b = 16, 32, 64, 128, v = 256) "
    "and doubles at v = 65,536; M2 learns short windows best.";

const char* const kPaperResetNote =
    "The paper (EqualInfoAC[b=16, v=256]): resetting M1 every window, every other window or never gives "
    "2.66, 3.40 and 5.33 bytes/token; only resetting every window is learnable by M2.";

}  // namespace eqlab
