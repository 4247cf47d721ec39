// `eqlab-cli reproduce --preset NAME`: named plans for the paper's findings,
// each a list of methods, a corpus size and a training budget per method
// sized for a machine and an afternoon. Options given beside a preset win.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace eqlab::m2 {

struct ReproducePreset {
    std::string name;
    std::string about;                 // one line for --help and errors
    std::vector<std::string> methods;  // method labels (CodecParams::fromLabel)
    uint64_t maxBytes = 0;             // corpus bytes used (0: all)
    double budgetMinutes = 0;          // M2 training per method
};

const std::vector<ReproducePreset>& reproducePresets();
// Throws InvalidArgument naming the presets there are.
const ReproducePreset& reproducePreset(const std::string& name);

}  // namespace eqlab::m2
