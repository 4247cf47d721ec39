// Loaded models kept in memory between analyses: the GUI re-analyses on
// every edit, and loading M1 from its file costs more than coding a short text.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "methods/codec.h"

namespace eqlab {

class ModelCache {
public:
    // loadModelsFor(method, modelPath, note), answered from memory when the
    // same file (path, size and modification time) was loaded before. The
    // models are shared: callers clone or open batches, never step them.
    // Thread-safe.
    ModelSet load(Method method, const std::string& modelPath, std::string* note = nullptr);

    static constexpr size_t kEntries = 4;  // the files kept, most recently used first

private:
    struct Entry {
        std::string key;
        std::string note;
        ModelSet models;
    };
    std::mutex lock_;
    std::vector<Entry> entries_;
};

}  // namespace eqlab
