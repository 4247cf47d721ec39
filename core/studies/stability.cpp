#include "studies/stability.h"

#include <algorithm>

#include "base/errors.h"
#include "base/text.h"

namespace eqlab {

namespace {

const uint8_t* bytesOf(const std::string& s) {
    return reinterpret_cast<const uint8_t*>(s.data());
}

std::string trimmed(const std::string& s) {
    const char* space = " \t\r\n\f\v";
    const size_t begin = s.find_first_not_of(space);
    if (begin == std::string::npos) return {};
    return s.substr(begin, s.find_last_not_of(space) - begin + 1);
}

// The sentence or a word, checked against what runStability promises.
void checkText(const std::string& text, const std::string& what) {
    if (text.empty()) throw InvalidArgument(what + " is empty");
    if (text.size() > kMaxStabilityTextBytes)
        throw InvalidArgument(what + " is " + std::to_string(text.size()) + " bytes long; at most " +
                              std::to_string(kMaxStabilityTextBytes) + " are allowed");
    if (!isValidUtf8(bytesOf(text), text.size())) throw InvalidArgument(what + " is not valid UTF-8");
}

std::vector<uint32_t> tokensOf(const std::string& text, const CodecParams& params, const ModelSet& models,
                               int threads) {
    EncodeOptions eo;
    eo.trace = false;
    eo.stats = false;
    eo.threads = threads;
    return encode(bytesOf(text), text.size(), params, models, eo).tokens;
}

}  // namespace

const std::string& defaultStabilitySentence() {
    static const std::string sentence =
        "The old lighthouse keeper walked slowly along the rocky shore, counting the ships that passed before the "
        "evening storm arrived.";
    return sentence;
}

const std::vector<std::string>& defaultStabilityWords() {
    // Common English words of every length, a few names and numbers among them:
    // what a reader would plausibly put in front of a sentence.
    static const std::vector<std::string> words = {
        "a",
        "I",
        "the",
        "and",
        "but",
        "so",
        "yes",
        "no",
        "oh",
        "well",
        "then",
        "now",
        "here",
        "there",
        "today",
        "still",
        "again",
        "also",
        "even",
        "just",
        "only",
        "soon",
        "later",
        "often",
        "never",
        "always",
        "sometimes",
        "perhaps",
        "maybe",
        "indeed",
        "however",
        "therefore",
        "meanwhile",
        "yesterday",
        "tomorrow",
        "tonight",
        "suddenly",
        "finally",
        "naturally",
        "apparently",
        "fortunately",
        "unfortunately",
        "surprisingly",
        "unbelievably",
        "honestly",
        "clearly",
        "quietly",
        "quickly",
        "slowly",
        "once",
        "twice",
        "first",
        "second",
        "next",
        "last",
        "before",
        "after",
        "since",
        "because",
        "although",
        "while",
        "when",
        "where",
        "why",
        "how",
        "what",
        "who",
        "which",
        "if",
        "unless",
        "Paris",
        "London",
        "Tuesday",
        "December",
        "Mary",
        "John",
        "America",
        "Shakespeare",
        "one",
        "three",
        "seven",
        "twenty",
        "hundred",
        "1999",
        "42",
        "good",
        "bad",
        "big",
        "small",
        "happy",
        "strange",
        "beautiful",
        "important",
        "interesting",
        "extraordinary",
        "hello",
        "goodbye",
        "please",
        "thanks",
        "look",
        "listen",
        "remember",
        "imagine",
        "consider",
        "everyone",
        "nobody",
        "somewhere",
    };
    return words;
}

std::vector<std::string> parseWordList(const std::string& text) {
    std::vector<std::string> words;
    size_t line = 0;
    for (size_t begin = 0; begin < text.size();) {
        size_t end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        ++line;
        const std::string raw = text.substr(begin, end - begin);
        begin = end + 1;
        const std::string where = "line " + std::to_string(line) + " of the word list";
        if (!isValidUtf8(bytesOf(raw), raw.size())) throw InvalidArgument(where + " is not valid UTF-8");
        std::string word = trimmed(raw);
        if (word.empty()) continue;
        if (word.size() > kMaxStabilityTextBytes)
            throw InvalidArgument(where + " is longer than " + std::to_string(kMaxStabilityTextBytes) + " bytes");
        if (words.size() == kMaxStabilityWords)
            throw InvalidArgument("the word list has more than " + std::to_string(kMaxStabilityWords) + " words");
        words.push_back(std::move(word));
    }
    if (words.empty()) throw InvalidArgument("the word list has no words (only blank lines)");
    return words;
}

uint64_t levenshtein(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
    // The classic dynamic programme over prefixes, two rows of the shorter
    // sequence's length + 1: row[j] = distance(a[0, i), b[0, j)).
    const std::vector<uint32_t>& outer = a.size() >= b.size() ? a : b;
    const std::vector<uint32_t>& inner = a.size() >= b.size() ? b : a;
    std::vector<uint64_t> prev(inner.size() + 1), row(inner.size() + 1);
    for (size_t j = 0; j <= inner.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= outer.size(); ++i) {
        row[0] = i;
        for (size_t j = 1; j <= inner.size(); ++j) {
            const uint64_t substitute = prev[j - 1] + (outer[i - 1] == inner[j - 1] ? 0 : 1);
            row[j] = std::min({prev[j] + 1, row[j - 1] + 1, substitute});
        }
        std::swap(prev, row);
    }
    return prev[inner.size()];
}

Stability runStability(const StabilityOptions& stability, const StudyOptions& options) {
    checkText(stability.sentence, "the sentence");
    if (stability.words.empty()) throw InvalidArgument("the word list is empty");
    if (stability.words.size() > kMaxStabilityWords)
        throw InvalidArgument("the word list has more than " + std::to_string(kMaxStabilityWords) + " words");
    for (size_t i = 0; i < stability.words.size(); ++i)
        checkText(stability.words[i], "word " + std::to_string(i + 1) + " of the list");
    if (stability.methods.empty()) throw InvalidArgument("no methods to compare");
    for (const CodecParams& p : stability.methods) p.validate();

    // Progress in bytes encoded: each method encodes the sentence, then every
    // word + " " + sentence.
    uint64_t perMethod = stability.sentence.size();
    for (const std::string& w : stability.words) perMethod += w.size() + 1 + stability.sentence.size();
    const uint64_t total = perMethod * stability.methods.size();
    uint64_t done = 0;
    auto advance = [&](uint64_t bytes) {
        done += bytes;
        if (options.progress && !options.progress(done, total)) throw Cancelled();
    };

    Stability out;
    out.sentence = stability.sentence;
    const int threads = options.clampedThreads();
    for (const CodecParams& params : stability.methods) {
        const ModelSet models = studyModels(params.method, options);
        StabilityMethod m;
        m.method = params.label();
        const std::vector<uint32_t> base = tokensOf(stability.sentence, params, models, threads);
        m.sentenceTokens = base.size();
        advance(stability.sentence.size());
        double sumDistance = 0, sumNormalised = 0;
        for (const std::string& word : stability.words) {
            const std::string text = word + " " + stability.sentence;
            const std::vector<uint32_t> tokens = tokensOf(text, params, models, threads);
            StabilityPair pair;
            pair.word = word;
            pair.tokens = tokens.size();
            pair.distance = levenshtein(base, tokens);
            const size_t longest = std::max(base.size(), tokens.size());
            pair.normalised = longest ? double(pair.distance) / double(longest) : 0.0;
            if (m.histogram.size() <= pair.distance) m.histogram.resize(size_t(pair.distance) + 1, 0);
            ++m.histogram[size_t(pair.distance)];
            sumDistance += double(pair.distance);
            sumNormalised += pair.normalised;
            m.pairs.push_back(std::move(pair));
            advance(text.size());
        }
        m.meanDistance = sumDistance / double(stability.words.size());
        m.meanNormalised = sumNormalised / double(stability.words.size());
        out.methods.push_back(std::move(m));
    }
    return out;
}

}  // namespace eqlab
