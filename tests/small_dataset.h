// The dataset tests' small build: the bundled sample text's first 8 KiB in
// 32 examples of 256 bytes, 64 tokens each, the last 4 held out.
#pragma once

#include <string>

#include "base/file_io.h"
#include "m2/m2_dataset.h"
#include "methods/default_models.h"

namespace eqlab::test {

inline m2::DatasetOptions smallDatasetOptions(const CodecParams& params) {
    m2::DatasetOptions o;
    o.params = params;
    o.exampleBytes = 256;
    o.seqTokens = 64;
    o.maxBytes = 8192;
    o.validFraction = 0.125;
    o.threads = 2;
    return o;
}

// The bundled sample text.
inline const std::string& sampleCorpus() {
    static const std::string path = resourcePath(kSampleTextFile);
    return path;
}

}  // namespace eqlab::test
