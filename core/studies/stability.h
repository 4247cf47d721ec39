// Study "stability": how much a tokenization changes when one word is
// prepended to a sentence (the paper's figure 8: SentencePiece stable, AC
// not, Equal-Info in between). Cost: two short encodes per word and method.
#pragma once

#include <string>
#include <vector>

#include "studies/study.h"

namespace eqlab {

// The shipped defaults: one sentence and a list of words to prepend.
const std::string& defaultStabilitySentence();
const std::vector<std::string>& defaultStabilityWords();

// One word per line of `text`: surrounding whitespace trimmed, blank lines
// skipped. Throws InvalidArgument naming the first line that is not valid
// UTF-8, or when no word remains.
std::vector<std::string> parseWordList(const std::string& text);

// The edit distance (insertions, deletions, substitutions) between two token sequences.
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

// Throws InvalidArgument (an empty sentence or word list, a word or sentence
// that is not valid UTF-8), model errors, or Cancelled.
Stability runStability(const StabilityOptions& stability, const StudyOptions& options);

}  // namespace eqlab
