// eqlab-cli step: the coder step-through (analysis/step_through.h), one
// JSON object per step.
#pragma once

#include <QStringList>

namespace eqlab::cli {

int cmdStep(const QStringList& args);

}  // namespace eqlab::cli
