#include "studies/reset_page.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSpinBox>

#include "analysis/paper_figures.h"
#include "bar_chart.h"
#include "base/errors.h"
#include "theme.h"

namespace eqlab::ui {

namespace {

QString everyName(uint32_t every) {
    if (every == 0) return "never";
    if (every == 1) return "every window";
    if (every == 2) return "every other";
    return QString("every %1 windows").arg(every);
}

// "1, 2, 4, never" -> {1, 2, 4, 0}.
std::vector<uint32_t> parseEvery(const QString& text) {
    std::vector<uint32_t> out;
    for (const QString& item : text.split(QRegularExpression("[,\\s]+"), Qt::SkipEmptyParts)) {
        if (item.compare("never", Qt::CaseInsensitive) == 0) {
            out.push_back(0);
            continue;
        }
        bool ok = false;
        const uint v = item.toUInt(&ok);
        if (!ok || v < 1 || v > kMaxM1Reset)
            throw InvalidArgument(QString("reset every: '%1' is neither 'never' nor a whole number in 1..%2")
                                      .arg(item)
                                      .arg(kMaxM1Reset)
                                      .toStdString());
        out.push_back(v);
    }
    if (out.empty()) throw InvalidArgument("reset every: give at least one variant (1, 2, 4, never)");
    return out;
}

}  // namespace

ResetPage::ResetPage(QWidget* parent)
    : StudyPage("reset", "M1 context reset", kPaperResetNote, parent),
      params_(form(), ResetStudyOptions().windowBits, ResetStudyOptions().tokenBits) {
    const ResetStudyOptions defaults;
    every_ = new QLineEdit("1, 2, 4, never");
    every_->setObjectName("resetEvery");
    every_->setToolTip(
        "The variants: M1's context resets every n-th window ('never': once per stream). The coder resets "
        "every window either way.");
    roundTrip_ = new QCheckBox("decode each and compare");
    roundTrip_->setChecked(defaults.checkRoundTrip);
    roundTrip_->setToolTip("Decode every variant and check it gives back the text exactly (twice the time).");
    form()->addRow("reset M1 every", every_);
    form()->addRow("round trip", roundTrip_);
    redraw();  // empty axes, labelled, until the first run
}

void ResetPage::startRun(const StudyInput& input) {
    ResetStudyOptions reset;
    reset.windowBits = params_.windowBits()->value();
    reset.tokenBits = params_.tokenBits()->value();
    reset.every = parseEvery(every_->text());
    reset.checkRoundTrip = roundTrip_->isChecked();
    start<ResetStudy>(
        input.options,
        [text = input.text, reset](const StudyOptions& o) {
            return runResetStudy(text->data(), text->size(), reset, o);
        },
        [this, name = input.textName](std::shared_ptr<const ResetStudy> r) { return show(std::move(r), name); });
}

QString ResetPage::show(std::shared_ptr<const ResetStudy> result, const QString& textName) {
    result_ = std::move(result);
    const ResetStudy& r = *result_;
    std::vector<QStringList> rows;
    bool allOk = true;
    for (const ResetRow& row : r.rows) {
        const QString trip = !row.roundTripChecked ? "not checked" : row.roundTripOk ? "exact" : "FAILED";
        allOk = allOk && (!row.roundTripChecked || row.roundTripOk);
        rows.push_back({everyName(row.every), QString::fromStdString(row.label), QString("%L1").arg(row.windows),
                        fixed(row.bytesPerToken), paperCell(row.paperBytesPerToken), fixed(row.bitsPerByte),
                        fixed(row.meanWindowBytes, 2),
                        !row.paperLearnable   ? "-"
                        : *row.paperLearnable ? "yes"
                                              : "no",
                        trip});
    }
    fillTable(table(),
              {"M1 reset", "method", "windows", "bytes/token", "paper", "bits/byte", "bytes/window", "paper: learnable",
               "round trip"},
              rows,
              {"How often M1's context resets.", "The method label (eqlab-cli and reproduce --methods accept it).",
               "Equal-Info windows.", "Input bytes per token.", "The paper's bytes/token (b = 16, v = 256).",
               "Output bits per input byte.", "Mean bytes per window.", "Whether M2 learned this variant in the paper.",
               "Decoded and compared with the text."});
    const ResetRow* every = nullptr;
    const ResetRow* never = nullptr;
    for (const ResetRow& row : r.rows) {
        if (row.every == 1) every = &row;
        if (row.every == 0) never = &row;
    }
    if (every && never)
        setFinding(QString("%1 bytes/token resetting every window, %2 never resetting (x%3).")
                       .arg(every->bytesPerToken, 0, 'f', 2)
                       .arg(never->bytesPerToken, 0, 'f', 2)
                       .arg(every->bytesPerToken > 0 ? never->bytesPerToken / every->bytesPerToken : 0, 0, 'f', 2));
    else
        setFinding({});
    return QString("Analysed %1 of %2 with %3.%4")
        .arg(QString::fromStdString(r.scope.describe()), textName.toHtmlEscaped(),
             QString::fromStdString(r.modelName).toHtmlEscaped(),
             allOk ? QString() : QString(" <b>A variant did not round-trip.</b>"));
}

void ResetPage::redraw() {
    QCustomPlot* p = plot();
    p->clearPlottables();
    auto* ticker = new QCPAxisTickerText;
    QVector<double> keys, ours, paper;
    double maxY = 1;
    if (result_)
        for (size_t i = 0; i < result_->rows.size(); ++i) {
            const ResetRow& row = result_->rows[i];
            keys << double(i);
            ticker->addTick(double(i), everyName(row.every));
            ours << row.bytesPerToken;
            paper << row.paperBytesPerToken;
            maxY = std::max({maxY, row.bytesPerToken, row.paperBytesPerToken});
        }
    p->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(ticker));
    p->xAxis->setSubTicks(false);
    p->xAxis->setRange(-0.7, std::max<double>(4, double(keys.size())) - 0.3);
    p->xAxis->setLabel("M1's context resets");
    p->yAxis->setLabel("bytes per token");
    addOursAndPaperBars(p, keys, ours, paper);
    p->yAxis->setRange(0, maxY * 1.15);
    p->legend->setVisible(true);
    p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    finishPlot(p);
}

}  // namespace eqlab::ui
