// Navigate > Go to window or byte (Ctrl+G): a small dialog that asks for a
// window number or a byte offset and selects it in Explore's TraceModel.
#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QSpinBox;

namespace eqlab::ui {

class TraceModel;

class GoToDialog : public QDialog {
    Q_OBJECT
public:
    enum class Target { Window = 0, Byte = 1 };
    explicit GoToDialog(TraceModel* model, QWidget* parent = nullptr);

    void setTarget(Target t, uint64_t number);
    // Selects what the fields say: window N (its segment), or byte N (the
    // window holding it, or its character where there are no windows).
    void apply();

    QComboBox* targetBox() const { return target_; }
    QSpinBox* numberBox() const { return number_; }

private:
    void updateRange();

    TraceModel* model_;
    QComboBox* target_;
    QSpinBox* number_;
    QLabel* range_;
};

}  // namespace eqlab::ui
