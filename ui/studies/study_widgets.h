// What several study pages share in their parameter forms: a list of
// integers typed as "16, 24, 32", and a row of checkboxes picking methods.
#pragma once

#include <QString>
#include <QWidget>
#include <vector>

#include "methods/method.h"

class QCheckBox;

namespace eqlab::ui {

// "16, 24 32" -> {16, 24, 32}: integers separated by commas or spaces, each
// in [lo, hi]. Throws InvalidArgument naming `what` and the bad item, or
// when the list is empty.
std::vector<int> parseIntList(const QString& text, const QString& what, int lo, int hi);

// One checkbox per method (defaultStudyMethods(): bytes ... eqinfo-ac), all ticked.
class MethodChecks : public QWidget {
    Q_OBJECT
public:
    explicit MethodChecks(QWidget* parent = nullptr);
    // The ticked methods, in their order. Throws InvalidArgument when none is.
    std::vector<CodecParams> selected() const;
    void setChecked(const QString& label, bool on);

private:
    std::vector<CodecParams> methods_;
    std::vector<QCheckBox*> boxes_;
};

}  // namespace eqlab::ui
