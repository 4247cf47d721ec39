#include "models/model_batch.h"

namespace eqlab {

CloneBatch::CloneBatch(const ByteModel& model, size_t streams) {
    models_.reserve(streams);
    for (size_t s = 0; s < streams; ++s) models_.push_back(model.clone());
}

std::unique_ptr<ModelBatch> ByteModel::openBatch(size_t streams, WorkerTeam*) const {
    return std::make_unique<CloneBatch>(*this, streams);
}

}  // namespace eqlab
