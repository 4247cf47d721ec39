// Fuzz target "unigram": the static unigram model's loader, as it is and
// with the trailing checksum repaired. A model it accepts must give valid
// CDFs and code a short text under static-ac with an exact round trip.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/errors.h"
#include "fuzz/fuzz_support.h"
#include "methods/codec.h"
#include "models/unigram_model.h"

namespace {

constexpr int kPrecisions[] = {8, 12, 16};  // P for the CDF checks (static-ac's range)
constexpr char kText[] = "The unigram codes this line\x00\xff\x80 and its odd bytes.";

void load(const uint8_t* data, size_t size) {
    try {
        auto model = std::make_shared<eqlab::UnigramModel>(eqlab::UnigramModel::deserialize(data, size));
        for (int p : kPrecisions) model->cdf(p).validate();  // std::logic_error where it breaks the coder's rules
        eqlab::CodecParams params;
        params.method = eqlab::Method::StaticAc;
        const eqlab::ModelSet models{model, nullptr};
        const auto* text = reinterpret_cast<const uint8_t*>(kText);
        const size_t n = sizeof kText - 1;
        const eqlab::Encoded e = eqlab::encode(text, n, params, models);
        if (eqlab::decode(e, models) != std::vector<uint8_t>(text, text + n)) __builtin_trap();
    } catch (const eqlab::Error&) {
        // Refused.
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    eqlab::fuzz::asIsAndRepaired(data, size, eqlab::fuzz::withTrailingChecksum, load);
    return 0;
}
