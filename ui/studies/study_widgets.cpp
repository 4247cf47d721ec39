#include "studies/study_widgets.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

#include "base/errors.h"
#include "studies/study.h"

namespace eqlab::ui {

std::vector<int> parseIntList(const QString& text, const QString& what, int lo, int hi) {
    std::vector<int> out;
    for (const QString& item : text.split(QRegularExpression("[,\\s]+"), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int v = item.toInt(&ok);
        if (!ok || v < lo || v > hi)
            throw InvalidArgument(
                QString("%1: '%2' is not a whole number in %3..%4").arg(what, item).arg(lo).arg(hi).toStdString());
        out.push_back(v);
    }
    if (out.empty()) throw InvalidArgument(QString("%1: give at least one value").arg(what).toStdString());
    return out;
}

MethodChecks::MethodChecks(QWidget* parent) : QWidget(parent), methods_(defaultStudyMethods()) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* checks = new QHBoxLayout;
    for (const CodecParams& p : methods_) {
        auto* box = new QCheckBox(QString::fromStdString(p.label()));
        box->setChecked(true);
        boxes_.push_back(box);
        checks->addWidget(box);
    }
    checks->addStretch();
    layout->addLayout(checks);
    more_ = new QLineEdit;
    more_->setObjectName("moreMethods");
    more_->setPlaceholderText("more methods, e.g. eqinfo-ac[b=32], eqinfo-ac[b=16,shortest], ac[v=65536]");
    more_->setToolTip(
        "Method labels, comma-separated, as eqlab-cli --methods takes them: NAME or NAME[b=.., k=.. or v=.., "
        "shortest, reset=..]. Compared after the ticked ones.");
    layout->addWidget(more_);
}

std::vector<CodecParams> MethodChecks::selected() const {
    std::vector<CodecParams> out;
    for (size_t i = 0; i < methods_.size(); ++i)
        if (boxes_[i]->isChecked()) out.push_back(methods_[i]);
    const QString more = more_->text().trimmed();
    if (!more.isEmpty()) {
        std::vector<CodecParams> extra;
        try {
            extra = parseMethodList(more.toStdString());
        } catch (const InvalidArgument& e) {
            throw InvalidArgument(std::string("more methods: ") + e.what());
        }
        for (const CodecParams& p : extra) {
            const bool known =
                std::any_of(out.begin(), out.end(), [&](const CodecParams& q) { return q.label() == p.label(); });
            if (!known) out.push_back(p);
        }
    }
    if (out.empty()) throw InvalidArgument("tick at least one method, or name one under them");
    return out;
}

void MethodChecks::setMoreMethods(const QString& labels) {
    more_->setText(labels);
}

void MethodChecks::setChecked(const QString& label, bool on) {
    for (size_t i = 0; i < methods_.size(); ++i)
        if (QString::fromStdString(methods_[i].label()) == label) boxes_[i]->setChecked(on);
}

WindowParamFields::WindowParamFields(QFormLayout* form, int windowBits, int tokenBits, int extras) {
    windowBits_ = new QSpinBox;
    windowBits_->setObjectName("studyWindowBits");  // not "windowBits": Explore's spin box has that name
    windowBits_->setRange(kMinWindowBits, kMaxWindowBits);
    windowBits_->setValue(windowBits);
    windowBits_->setToolTip("b: bits per Equal-Info window (a multiple of k; the paper's figures are at b = 16).");
    tokenBits_ = new QSpinBox;
    tokenBits_->setObjectName("studyTokenBits");
    tokenBits_->setRange(kMinTokenBits, kMaxTokenBits);
    tokenBits_->setValue(tokenBits);
    tokenBits_->setToolTip("k: bits per token, v = 2^k (the paper's figures are at k = 8, v = 256).");
    form->addRow("b (window bits)", windowBits_);
    form->addRow("k (token bits)", tokenBits_);
    const CodecParams defaults;
    if (extras & Termination) {
        termination_ = new QComboBox;
        termination_->setObjectName("termination");
        termination_->addItem("distinct", int(CodecParams::Termination::Distinct));
        termination_->addItem("shortest (the paper's)", int(CodecParams::Termination::Shortest));
        termination_->setCurrentIndex(termination_->findData(int(defaults.termination)));
        termination_->setToolTip(
            "How a window's bits end. Distinct: no shorter prefix of the window would have used them, so the "
            "tokens alone always decode. Shortest: the paper's rule, the shortest bits that decode; the tokens "
            "alone cannot always tell how many bytes a window holds.");
        form->addRow("termination", termination_);
    }
    if (extras & M1Reset) {
        m1Reset_ = new QComboBox;
        m1Reset_->setObjectName("m1Reset");
        for (uint32_t every : {1u, 2u, 4u}) m1Reset_->addItem(QString::number(every), every);
        m1Reset_->addItem("never", 0u);
        m1Reset_->setItemText(0, "1 (every window, the paper's)");
        m1Reset_->setCurrentIndex(m1Reset_->findData(defaults.m1Reset));
        m1Reset_->setToolTip(
            "M1's context resets at every n-th window ('never': once per stream); the coder resets every window "
            "either way. Other than 1 needs distinct termination.");
        form->addRow("reset M1 every", m1Reset_);
    }
}

CodecParams WindowParamFields::params() const {
    CodecParams p;
    p.method = Method::EqualInfoAc;
    p.windowBits = windowBits_->value();
    p.tokenBits = tokenBits_->value();
    if (termination_) p.termination = CodecParams::Termination(termination_->currentData().toInt());
    if (m1Reset_) p.m1Reset = m1Reset_->currentData().toUInt();
    p.validate();
    return p;
}

}  // namespace eqlab::ui
