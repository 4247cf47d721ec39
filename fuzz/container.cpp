// Fuzz target "container": readContainer on any bytes, then the models the
// container names and decode() under every method (the tiny M1 for ac and
// eqinfo-ac). Each input is tried as it is and with its two checksums
// repaired, so that mutations reach the fields behind them.
#include "methods/container.h"

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/errors.h"
#include "fuzz/fuzz_support.h"
#include "methods/codec.h"

namespace {

void readAndDecode(const uint8_t* data, size_t size) {
    try {
        const eqlab::Container c = eqlab::readContainer(data, size);
        if (c.encoded.inputBytes > eqlab::fuzz::maxDecodedBytes(c.modelKind == eqlab::ContainerModel::M1)) return;
        const eqlab::ModelSet models = c.models(eqlab::fuzz::tinyM1);
        const std::vector<uint8_t> out = eqlab::decode(c.encoded, models);
        // decode() checks the length and CRC-32 itself; a result that
        // passed them and still differs in length is a finding.
        if (out.size() != c.encoded.inputBytes) __builtin_trap();
    } catch (const eqlab::Error&) {
        // Refused: what a damaged container must get.
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    eqlab::fuzz::asIsAndRepaired(data, size, eqlab::fuzz::withContainerChecksums, readAndDecode);
    return 0;
}
