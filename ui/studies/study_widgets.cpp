#include "studies/study_widgets.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QRegularExpression>

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
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (const CodecParams& p : methods_) {
        auto* box = new QCheckBox(QString::fromStdString(p.label()));
        box->setChecked(true);
        boxes_.push_back(box);
        layout->addWidget(box);
    }
    layout->addStretch();
}

std::vector<CodecParams> MethodChecks::selected() const {
    std::vector<CodecParams> out;
    for (size_t i = 0; i < methods_.size(); ++i)
        if (boxes_[i]->isChecked()) out.push_back(methods_[i]);
    if (out.empty()) throw InvalidArgument("tick at least one method");
    return out;
}

void MethodChecks::setChecked(const QString& label, bool on) {
    for (size_t i = 0; i < methods_.size(); ++i)
        if (QString::fromStdString(methods_[i].label()) == label) boxes_[i]->setChecked(on);
}

}  // namespace eqlab::ui
