// Fuzz target "m1_weights": M1's weight-file loader (m1/m1_format), as it
// is and with the trailing checksum repaired; weights it accepts then run
// through M1's runtime for a few bytes, whose CDFs must be valid.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/errors.h"
#include "fuzz/fuzz_support.h"
#include "m1/m1_format.h"
#include "models/m1_byte_model.h"

namespace {

constexpr int kBytesRun = 4;  // bytes M1 reads from accepted weights
constexpr int kPrecision = 16;

void load(const uint8_t* data, size_t size) {
    try {
        auto weights = std::make_shared<const eqlab::m1::M1Weights>(eqlab::m1::M1Weights::deserialize(data, size));
        eqlab::M1Model model(weights);
        for (int i = 0; i < kBytesRun; ++i) {
            model.cdf(kPrecision).validate();  // std::logic_error where it breaks the coder's rules
            model.advance(uint8_t('a' + i));
        }
    } catch (const eqlab::Error&) {
        // Refused.
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    eqlab::fuzz::asIsAndRepaired(data, size, eqlab::fuzz::withTrailingChecksum, load);
    return 0;
}
