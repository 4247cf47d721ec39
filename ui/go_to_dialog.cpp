#include "go_to_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <algorithm>
#include <climits>

#include "trace_model.h"

namespace eqlab::ui {

GoToDialog::GoToDialog(TraceModel* model, QWidget* parent) : QDialog(parent), model_(model) {
    setWindowTitle("Go to");
    auto* form = new QFormLayout(this);
    target_ = new QComboBox;
    target_->setObjectName("goToTarget");
    const Trace* t = model_->trace();
    const QString kind = t && !t->segmentKind.empty() ? QString::fromStdString(t->segmentKind) : QString("window");
    target_->addItem(kind, int(Target::Window));
    target_->addItem("byte", int(Target::Byte));
    target_->setToolTip("Go to a " + kind + " by its number, or to the " + kind + " holding a byte offset.");
    number_ = new QSpinBox;
    number_->setObjectName("goToNumber");
    number_->setGroupSeparatorShown(true);
    range_ = new QLabel;
    form->addRow("go to", target_);
    form->addRow("number", number_);
    form->addRow("", range_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(this, &QDialog::accepted, this, &GoToDialog::apply);
    connect(target_, &QComboBox::currentIndexChanged, this, &GoToDialog::updateRange);
    // Opens on the window selected, if any (within the range, not the spin box's default 0 to 99).
    updateRange();
    if (model_->currentSegment() >= 0) number_->setValue(int(std::min<int64_t>(model_->currentSegment(), INT_MAX)));
    number_->setFocus();
    number_->selectAll();
}

void GoToDialog::updateRange() {
    const Trace* t = model_->trace();
    const bool window = Target(target_->currentData().toInt()) == Target::Window;
    const uint64_t count = !t ? 0 : window ? t->segments.size() : model_->bytes().size();
    number_->setRange(0, int(std::clamp<uint64_t>(count, 1, uint64_t(INT_MAX)) - 1));
    range_->setText(count == 0 ? QString("(none)") : QString("0 to %L1").arg(count - 1));
    number_->setEnabled(count > 0);
}

void GoToDialog::setTarget(Target t, uint64_t number) {
    target_->setCurrentIndex(target_->findData(int(t)));
    number_->setValue(int(std::min<uint64_t>(number, uint64_t(INT_MAX))));
}

void GoToDialog::apply() {
    const uint64_t n = uint64_t(number_->value());
    if (Target(target_->currentData().toInt()) == Target::Window)
        model_->selectSegment(int64_t(n));
    else
        model_->selectByte(n);
}

}  // namespace eqlab::ui
