// Fuzz target "run_record": an M2 run's run.json (m2/run_record), read from
// a run folder, and the label the Learnability view makes of what it read
// (m2/run_label, which also reads the time in the folder's name). The input's
// two parts (fuzz_support.h kPartSeparator): the folder's name, run.json.
#include "m2/run_record.h"

#include <QDir>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/errors.h"
#include "fuzz/fuzz_support.h"
#include "m2/run_label.h"

namespace {

constexpr size_t kMaxFolderName = 128;  // bytes of the folder's name kept

// A name a folder can have: no '/', no NUL, not "." or "..", not empty.
std::string folderName(std::string s) {
    s.resize(std::min(s.size(), kMaxFolderName));
    for (char& c : s)
        if (c == '/' || c == '\0') c = '_';
    return s.empty() || s == "." || s == ".." ? "run" : s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::vector<std::string> parts = eqlab::fuzz::splitParts(data, size, /*count=*/2);
    const std::string name = folderName(parts[0]);
    const std::string runDir = eqlab::fuzz::scratchDir() + "/" + name;
    try {
        eqlab::fuzz::writeScratch(name + "/" + eqlab::m2::kRunFile, parts[1]);
        const eqlab::m2::RunRecord r = eqlab::m2::readRunRecord(runDir);
        const eqlab::m2::RunLabelParts label = eqlab::m2::labelPartsOf(r, runDir);
        (void)eqlab::m2::uniqueRunLabels({label, label});
        (void)eqlab::m2::learnedState(r.best, r.last, r.base);
    } catch (const eqlab::Error&) {
        // Refused.
    }
    QDir(QString::fromStdString(runDir)).removeRecursively();
    return 0;
}
