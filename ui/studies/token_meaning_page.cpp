#include "studies/token_meaning_page.h"

#include <qcustomplot.h>

#include <QFormLayout>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>

#include "export.h"
#include "theme.h"

namespace eqlab::ui {

namespace {
constexpr int kTopShown = 6;  // commonest values listed per position in the table

QString quoted(const std::string& escaped) {
    return "'" + QString::fromStdString(escaped) + "'";
}
}  // namespace

TokenMeaningPage::TokenMeaningPage(QWidget* parent)
    : StudyPage("token-meaning", "What tokens mean",
                "Under Equal-Info Windows the coder and M1 reset at every window, so a window's first token depends "
                "on its first bytes alone: the same value stands for the same text prefix wherever it occurs, "
                "something M2 can learn.",
                parent),
      params_(form(), CodecParams().windowBits, CodecParams().tokenBits, WindowParamFields::Termination) {
    dictionarySize_ = new QSpinBox;
    dictionarySize_->setRange(1, int(kMaxDictionarySize));
    dictionarySize_->setValue(32);
    dictionarySize_->setToolTip("How many of the commonest first-token values the dictionary lists.");
    form()->addRow("dictionary entries", dictionarySize_);

    dictionary_ = newTable("dictionaryTable");
    dictionary_->setToolTip("The commonest first tokens and the text they stand for.");
    addBesideTable(dictionary_);
    setChartShare(1, 1);
    auto* exportDictionary = new QPushButton("Export dictionary...");
    exportDictionary->setToolTip("Save the dictionary as CSV or JSON.");
    addExportButton(exportDictionary);
    connect(exportDictionary, &QPushButton::clicked, this, [this] {
        exportWithDialog(this, "Export dictionary", "eqlab-token-dictionary.csv", "CSV (*.csv);;JSON (*.json)",
                         [this](const QString& p) { ui::saveTable(dictionary_, p); });
    });
    redraw();  // empty axes, labelled, until the first run
}

void TokenMeaningPage::startRun(const StudyInput& input) {
    const CodecParams p = params_.params();
    const size_t entries = size_t(dictionarySize_->value());
    start<TokenMeaning>(
        input.options,
        [text = input.text, p, entries](const StudyOptions& o) {
            return runTokenMeaning(text->data(), text->size(), p, o, entries);
        },
        [this, name = input.textName](std::shared_ptr<const TokenMeaning> r) { return show(std::move(r), name); });
}

QString TokenMeaningPage::show(std::shared_ptr<const TokenMeaning> result, const QString& textName) {
    result_ = std::move(result);
    const TokenMeaning& r = *result_;
    std::vector<QStringList> rows;
    for (const TokenPositionStats& s : r.positions) {
        QStringList recurrence;
        for (size_t i = 0; i < s.recurrence.size(); ++i) {
            if (!s.recurrence[i]) continue;
            const uint64_t lo = uint64_t(1) << i, hi = (uint64_t(1) << (i + 1)) - 1;
            recurrence << QString("%1: %L2")
                              .arg(lo == hi ? QString("%L1x").arg(lo) : QString("%L1-%L2x").arg(lo).arg(hi))
                              .arg(s.recurrence[i]);
        }
        QStringList top;
        for (size_t i = 0; i < s.top.size() && int(i) < kTopShown; ++i)
            top << QString("%1 (%L2)").arg(s.top[i].first).arg(s.top[i].second);
        rows.push_back({QString::number(s.position + 1), QString("%L1").arg(s.windows), QString("%L1").arg(s.distinct),
                        fixed(s.entropyBits, 2), percent(s.top10Share), recurrence.join(", "), top.join(", ")});
    }
    fillTable(table(),
              {"position", "windows", "distinct", "entropy (bits)", "top 10 share", "values recurring", "commonest"},
              rows,
              {"Token position inside a window (1: the first).", "Windows with a token here.",
               "Distinct token values at this position.", "Entropy of the values here.",
               "Share of windows whose token here is one of the 10 commonest.",
               "How many values occur once, 2-3 times, 4-7 times, ...", "The commonest values (windows)."});
    std::vector<QStringList> dict;
    for (const TokenDictionaryEntry& e : r.dictionary) {
        QStringList prefixes, examples;
        for (const auto& [text, count] : e.prefixes) prefixes << QString("%1 x%L2").arg(quoted(text)).arg(count);
        for (const std::string& x : e.examples) examples << quoted(x);
        dict.push_back({QString::number(e.value), QString("%L1").arg(e.count), quoted(e.commonPrefix),
                        prefixes.join(", "), examples.join("  ")});
    }
    fillTable(dictionary_, {"first token", "windows", "common prefix", "its bits cover", "examples"}, dict,
              {"A first-token value.", "Windows starting with it.", "The bytes all of those windows start with.",
               "The bytes coded while its k bits were emitted, with counts.", "Some of those windows' texts."});
    if (r.positions.size() >= 2)
        setFinding(QString("%L1 windows: %L2 distinct first tokens, %L3 distinct last tokens.")
                       .arg(r.windows)
                       .arg(r.positions.front().distinct)
                       .arg(r.positions.back().distinct));
    else
        setFinding(QString("%L1 windows.").arg(r.windows));
    return QString("Analysed %1 of %2 with %3, %4.")
        .arg(QString::fromStdString(r.scope.describe()), textName.toHtmlEscaped(),
             QString::fromStdString(r.modelName).toHtmlEscaped(),
             QString::fromStdString(r.params.label()).toHtmlEscaped());
}

void TokenMeaningPage::redraw() {
    QCustomPlot* p = plot();
    const Theme& th = Theme::current();
    p->clearPlottables();
    auto* ticker = new QCPAxisTickerText;
    QVector<double> keys, distinct;
    double maxY = 1;
    if (result_)
        for (const TokenPositionStats& s : result_->positions) {
            keys << double(s.position + 1);
            distinct << double(s.distinct);
            ticker->addTick(double(s.position + 1), QString("token %1").arg(s.position + 1));
            maxY = std::max(maxY, double(s.distinct));
        }
    p->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(ticker));
    p->xAxis->setSubTicks(false);
    auto* bars = new QCPBars(p->xAxis, p->yAxis);
    bars->setName("distinct values");
    bars->setData(keys, distinct, true);
    bars->setBrush(th.series(0));
    bars->setPen(Qt::NoPen);
    bars->setWidth(0.6);
    p->legend->setVisible(false);
    p->xAxis->setLabel("token position inside a window");
    p->yAxis->setLabel("distinct token values");
    p->xAxis->setRange(0.3, std::max<double>(2, double(keys.size())) + 0.7);
    p->yAxis->setRange(0, maxY * 1.15);
    finishPlot(p);
}

}  // namespace eqlab::ui
