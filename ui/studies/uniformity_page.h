// The "uniformity" study's page: KL divergence from uniform of each method's
// bit n-grams against n (log scale), with the 5th-95th percentile band over
// partitions of the stream, its k-bit tokens as a point at n = k, and the
// same measured on random bytes (dashed).
#pragma once

#include <memory>

#include "studies/uniformity.h"
#include "study_page.h"

class QCheckBox;
class QSpinBox;

namespace eqlab::ui {

class MethodChecks;

class UniformityPage : public StudyPage {
    Q_OBJECT
public:
    explicit UniformityPage(QWidget* parent = nullptr);
    const Uniformity* result() const { return result_.get(); }

protected:
    void startRun(const StudyInput& input) override;
    void redraw() override;

private:
    QString show(std::shared_ptr<const Uniformity> result, const QString& textName);

    QSpinBox* maxN_;
    QSpinBox* partitions_;
    QSpinBox* seed_;
    MethodChecks* methods_;
    QCheckBox* bands_;
    std::shared_ptr<const Uniformity> result_;
};

}  // namespace eqlab::ui
