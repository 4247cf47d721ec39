#include "methods/model_cache.h"

#include <QDateTime>
#include <QFileInfo>
#include <algorithm>

#include "methods/default_models.h"

namespace eqlab {

// One entry per method and file: the note (a unigram standing in for a
// missing M1) belongs to the method, not the file.
std::string ModelCache::keyOf(Method method, const std::string& path) {
    const QFileInfo file(QString::fromStdString(path));
    return methodName(method) + ":" + path + ":" + std::to_string(file.size()) + ":" +
           std::to_string(file.lastModified().toMSecsSinceEpoch());
}

bool ModelCache::holds(Method method, const std::string& modelPath) {
    const std::string path = modelFileFor(method, modelPath);
    if (path.empty()) return false;
    const std::string key = keyOf(method, path);
    std::lock_guard<std::mutex> guard(lock_);
    return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
}

ModelSet ModelCache::load(Method method, const std::string& modelPath, std::string* note) {
    const std::string path = modelFileFor(method, modelPath);
    if (path.empty()) return {};
    const std::string key = keyOf(method, path);
    const auto find = [&] {
        return std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
    };
    Entry entry;
    {
        std::lock_guard<std::mutex> guard(lock_);
        if (const auto it = find(); it != entries_.end()) entry = *it;
    }
    if (entry.key.empty()) {  // loaded without the lock: holds() and other files need not wait for it
        entry.key = key;
        entry.models = loadModelsFor(method, modelPath, &entry.note);
    }
    std::lock_guard<std::mutex> guard(lock_);
    if (const auto it = find(); it != entries_.end()) entries_.erase(it);
    entries_.insert(entries_.begin(), entry);
    if (entries_.size() > kEntries) entries_.pop_back();
    if (note) *note = entry.note;
    return entry.models;
}

}  // namespace eqlab
