#include "m2/reproduce_preset.h"

#include "base/errors.h"
#include "m2/m2_dataset.h"

namespace eqlab::m2 {

namespace {

// The paper's other findings on SOTU: Equal-Info window size (b = 16 to 128
// at v = 256), M1 resets (every window, every 2nd, never), and v = 65,536.
const std::vector<std::string>& findingMethods() {
    static const std::vector<std::string> m = {"eqinfo-ac[b=16,v=256]",         "eqinfo-ac[b=32,v=256]",
                                               "eqinfo-ac[b=64,v=256]",         "eqinfo-ac[b=128,v=256]",
                                               "eqinfo-ac[b=16,v=256,reset=2]", "eqinfo-ac[b=16,v=256,reset=never]",
                                               "eqinfo-ac[b=16,v=65536]"};
    return m;
}

}  // namespace

const std::vector<ReproducePreset>& reproducePresets() {
    static const std::vector<ReproducePreset> presets = {
        {"quick", "the headline comparison: seven methods, the first 1 MiB, 2 minutes each (about 20 minutes)",
         reproduceMethods(), 1 << 20, 2},
        {"laptop-1h",
         "window size, M1 resets and v = 65,536: seven eqinfo-ac variants, the first 2 MiB, 5 minutes each "
         "(about an hour on 2 cores)",
         findingMethods(), 2 << 20, 5},
        {"overnight", "the same seven variants on the whole corpus (SOTU: 10 MB), 45 minutes each", findingMethods(), 0,
         45},
    };
    return presets;
}

const ReproducePreset& reproducePreset(const std::string& name) {
    std::string names;
    for (const ReproducePreset& p : reproducePresets()) {
        if (p.name == name) return p;
        names += (names.empty() ? "" : ", ") + p.name;
    }
    throw InvalidArgument("no preset \"" + name + "\" (there are: " + names + ")");
}

}  // namespace eqlab::m2
