// Fuzz target "dataset": M2's dataset reader (m2/m2_dataset) on a dataset
// folder made from the input: dataset.json, train.bin and valid.bin, the
// input's three parts (fuzz_support.h kPartSeparator). A dataset it accepts
// must hold what its header promises.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/errors.h"
#include "fuzz/fuzz_support.h"
#include "m2/m2_dataset.h"

namespace {

void checkSplit(const eqlab::m2::Split& s, const eqlab::m2::Dataset& d) {
    if (s.tokens.size() != s.examples * size_t(d.seqTokens) || s.lengths.size() != s.examples ||
        s.coveredBytes.size() != s.examples)
        __builtin_trap();
    for (size_t i = 0; i < s.examples; ++i)
        for (uint32_t t = 0; t < s.lengths[i]; ++t)
            if (s.row(i, d.seqTokens)[t] >= d.vocab) __builtin_trap();
    (void)s.totalTokens();
    (void)s.totalBytes();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::vector<std::string> parts = eqlab::fuzz::splitParts(data, size, /*count=*/3);
    try {
        eqlab::fuzz::writeScratch("dataset.json", parts[0]);
        eqlab::fuzz::writeScratch("train.bin", parts[1]);
        eqlab::fuzz::writeScratch("valid.bin", parts[2]);
        const eqlab::m2::Dataset d = eqlab::m2::loadDataset(eqlab::fuzz::scratchDir());
        checkSplit(d.train, d);
        checkSplit(d.valid, d);
        (void)d.params.label();
    } catch (const eqlab::Error&) {
        // Refused.
    }
    return 0;
}
