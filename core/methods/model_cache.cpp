#include "methods/model_cache.h"

#include <QDateTime>
#include <QFileInfo>
#include <algorithm>

#include "methods/default_models.h"

namespace eqlab {

ModelSet ModelCache::load(Method method, const std::string& modelPath, std::string* note) {
    std::string resolvedNote;
    const std::string path = modelFileFor(method, modelPath, &resolvedNote);
    if (path.empty()) return {};
    const QFileInfo file(QString::fromStdString(path));
    const std::string key = std::string(method == Method::SentencePiece ? "sp:" : "byte:") + path + ":" +
                            std::to_string(file.size()) + ":" + std::to_string(file.lastModified().toMSecsSinceEpoch());
    std::lock_guard<std::mutex> guard(lock_);
    const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
    Entry entry;
    if (it != entries_.end()) {
        entry = std::move(*it);
        entries_.erase(it);
    } else {
        entry = {key, resolvedNote, loadModelsFor(method, modelPath)};
    }
    entries_.insert(entries_.begin(), entry);
    if (entries_.size() > kEntries) entries_.pop_back();
    if (note) *note = entry.note;
    return entry.models;
}

}  // namespace eqlab
