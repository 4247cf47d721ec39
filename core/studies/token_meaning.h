// Study "token-meaning": under eqinfo-ac the coder and M1 both reset at every
// window, so a window's first token is a function of its first bytes alone.
// For each token position inside a window: how many distinct values occur
// and how often each recurs; for the commonest first tokens, the text
// prefixes they stand for (a dictionary of compressed tokens).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "studies/study.h"

namespace eqlab {

// The dictionary holds at most this many first tokens.
constexpr size_t kMaxDictionarySize = 4096;

struct TokenPositionStats {
    int position = 0;      // 0-based token position inside a window
    uint64_t windows = 0;  // windows with a token at this position (all of them)
    uint64_t distinct = 0;
    double entropyBits = 0;  // of the values at this position
    double top10Share = 0;   // share of windows whose token here is one of the 10 commonest
    // recurrence[i]: values occurring in [2^i, 2^(i+1)) windows (once, 2-3, 4-7, ...).
    std::vector<uint64_t> recurrence;
    std::vector<std::pair<uint32_t, uint64_t>> top;  // the commonest values and their counts, most first (<= 20)
};

struct TokenDictionaryEntry {
    uint32_t value = 0;  // a first-token value
    uint64_t count = 0;  // windows that start with it
    // The bytes every one of those windows starts with (escapeText()), and
    // what their first token covers, most common first (equal counts by
    // text): the escaped bytes coded while its k bits were emitted (Trace's
    // emission alignment), from the window's first byte to the one whose
    // emitted bits reach bit k (Trace::bitEnd >= the window's first bit + k),
    // all of the window when it used fewer bits. Where that is less than the
    // whole window, the first token is a function of exactly those bytes
    // (with M1 reset at every window, the default): every window that starts
    // with them starts with this token.
    std::string commonPrefix;
    std::vector<std::pair<std::string, uint64_t>> prefixes;  // at most 8
    std::vector<std::string> examples;                       // up to 5 window texts (escaped)
};

struct TokenMeaning {
    StudyScope scope;
    CodecParams params;
    std::string modelName;
    uint64_t windows = 0;
    std::vector<TokenPositionStats> positions;     // b / k of them
    std::vector<TokenDictionaryEntry> dictionary;  // the commonest first tokens, most first
};

// From an eqinfo-ac encoding with a trace (EncodeOptions::trace) of `data`
// (its input, e.inputBytes bytes). dictionarySize: entries kept. Throws
// InvalidArgument for another method or a missing trace. scope and
// modelName are left for the caller to fill.
TokenMeaning tokenMeaningOf(const Encoded& e, const uint8_t* data, size_t dictionarySize = 32);

// Encodes the analysed bytes (at most kMaxPerByteResultBytes) with `params`
// (eqinfo-ac, M1 reset every window) and studies its tokens. Throws
// InvalidArgument (another method, an M1 context that outlives a window, bad
// parameters, a dictionary over kMaxDictionarySize, an empty text), model
// errors, or Cancelled.
TokenMeaning runTokenMeaning(const uint8_t* data, size_t size, const CodecParams& params, const StudyOptions& options,
                             size_t dictionarySize = 32);

}  // namespace eqlab
