// Study "stability": how much a tokenization changes when one word is
// prepended to a sentence (the paper's figure 8: SentencePiece stable, AC
// not, Equal-Info in between). Cost: two short encodes per word and method.
#pragma once

#include <string>
#include <vector>

#include "studies/study.h"

namespace eqlab {

// Limits on what the user may pass (each encode costs per byte under M1).
constexpr size_t kMaxStabilityWords = 10000;     // words in a list
constexpr size_t kMaxStabilityTextBytes = 4096;  // bytes in the sentence, and in any one word

// The shipped defaults: one sentence and a list of words to prepend.
const std::string& defaultStabilitySentence();
const std::vector<std::string>& defaultStabilityWords();

// One word per line of `text` (LF or CRLF): surrounding whitespace trimmed,
// blank lines skipped. Throws InvalidArgument naming the first line (1-based)
// that is not valid UTF-8 or longer than kMaxStabilityTextBytes, when no word
// remains, or when more than kMaxStabilityWords do.
std::vector<std::string> parseWordList(const std::string& text);

// The edit distance (insertions, deletions, substitutions, each costing 1)
// between two token sequences; symmetric, 0 only for equal sequences, and
// max(sizes) at most. O(|a| |b|) time, O(min(|a|, |b|)) memory.
uint64_t levenshtein(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);

struct StabilityOptions {
    std::string sentence = defaultStabilitySentence();
    std::vector<std::string> words = defaultStabilityWords();
    std::vector<CodecParams> methods = defaultStudyMethods();
};

struct StabilityPair {
    std::string word;
    uint64_t tokens = 0;    // tokens of word + " " + sentence
    uint64_t distance = 0;  // levenshtein(tokens(sentence), tokens(word + " " + sentence))
    double normalised = 0;  // distance / max(both lengths)
};

struct StabilityMethod {
    std::string method;  // CodecParams::label()
    uint64_t sentenceTokens = 0;
    double meanDistance = 0, meanNormalised = 0;
    std::vector<uint64_t> histogram;   // histogram[d]: words whose tokenization is d edits away
    std::vector<StabilityPair> pairs;  // one per word, in the list's order
};

struct Stability {
    std::string sentence;
    std::vector<StabilityMethod> methods;
};

// Each method's models load once (studyModels); every encode runs without
// trace or stats. Progress is in bytes encoded over all methods. Throws
// InvalidArgument (an empty sentence, word or word list, one that is not
// valid UTF-8 or beyond the limits above, no methods), model errors, or
// Cancelled. StudyOptions::maxBytes does not apply: the texts are short.
Stability runStability(const StabilityOptions& stability, const StudyOptions& options);

}  // namespace eqlab
