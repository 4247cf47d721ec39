// What several study pages share in their parameter forms: a list of
// integers typed as "16, 24, 32", a row of checkboxes picking methods, and
// the Equal-Info parameters (b, k, the termination, M1's reset).
#pragma once

#include <QString>
#include <QWidget>
#include <vector>

#include "methods/method.h"

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLineEdit;
class QSpinBox;

namespace eqlab::ui {

// "16, 24 32" -> {16, 24, 32}: integers separated by commas or spaces, each
// in [lo, hi]. Throws InvalidArgument naming `what` and the bad item, or
// when the list is empty.
std::vector<int> parseIntList(const QString& text, const QString& what, int lo, int hi);

// One checkbox per method (defaultStudyMethods(): bytes ... eqinfo-ac), all
// ticked, and under them a line of more method labels ("eqinfo-ac[b=32],
// ac[v=65536]", parseMethodList).
class MethodChecks : public QWidget {
    Q_OBJECT
public:
    explicit MethodChecks(QWidget* parent = nullptr);
    // The ticked methods in their order, then the line's (a label already
    // ticked is not repeated). Throws InvalidArgument when there is none, or
    // naming what in the line cannot be read.
    std::vector<CodecParams> selected() const;
    void setChecked(const QString& label, bool on);
    void setMoreMethods(const QString& labels);

private:
    std::vector<CodecParams> methods_;
    std::vector<QCheckBox*> boxes_;
    QLineEdit* more_;
};

// The Equal-Info parameters of a page's form: rows "b (window bits)" and "k
// (token bits)" and, where the study takes them, "termination" (distinct,
// shortest) and "reset M1 every" (1, 2, 4 windows, never). The widgets belong
// to the form; this only reads them.
class WindowParamFields {
public:
    enum Extra { Termination = 1, M1Reset = 2 };
    // Adds the rows to `form`: b and k at these values, then the `extras` (an OR of Extra), at their defaults.
    WindowParamFields(QFormLayout* form, int windowBits, int tokenBits, int extras = 0);
    QSpinBox* windowBits() const { return windowBits_; }
    QSpinBox* tokenBits() const { return tokenBits_; }
    QComboBox* termination() const { return termination_; }  // null unless asked for
    QComboBox* m1Reset() const { return m1Reset_; }          // null unless asked for
    // eqinfo-ac at these values, validated: throws InvalidArgument (b no
    // multiple of k; shortest termination with an M1 reset other than every window).
    CodecParams params() const;

private:
    QSpinBox* windowBits_;
    QSpinBox* tokenBits_;
    QComboBox* termination_ = nullptr;
    QComboBox* m1Reset_ = nullptr;
};

}  // namespace eqlab::ui
