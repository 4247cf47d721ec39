#include "methods/model_cache.h"

#include <QDateTime>
#include <QFileInfo>
#include <algorithm>

#include "methods/default_models.h"

namespace eqlab {

std::string ModelCache::keyOf(Method method, const std::string& path) {
    const QFileInfo file(QString::fromStdString(path));
    return std::string(method == Method::SentencePiece ? "sp:" : "byte:") + path + ":" + std::to_string(file.size()) +
           ":" + std::to_string(file.lastModified().toMSecsSinceEpoch());
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
    std::lock_guard<std::mutex> guard(lock_);
    const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
    Entry entry;
    if (it != entries_.end()) {
        entry = std::move(*it);
        entries_.erase(it);
    } else {
        entry.key = key;
        entry.models = loadModelsFor(method, modelPath, &entry.note);
    }
    entries_.insert(entries_.begin(), entry);
    if (entries_.size() > kEntries) entries_.pop_back();
    if (note) *note = entry.note;
    return entry.models;
}

}  // namespace eqlab
