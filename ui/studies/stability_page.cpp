#include "studies/stability_page.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>

#include "analysis/paper_figures.h"
#include "base/file_io.h"
#include "export.h"
#include "studies/study_widgets.h"
#include "theme.h"

namespace eqlab::ui {

namespace {
constexpr uint64_t kMaxWordFileBytes = 16 << 20;  // a word list larger than this is refused
constexpr int kNormalisedBins = 20;               // the normalised distance's histogram: bins of 0.05
}  // namespace

StabilityPage::StabilityPage(QWidget* parent) : StudyPage("stability", "Token stability", kPaperStabilityNote, parent) {
    sentence_ = new QLineEdit(QString::fromStdString(defaultStabilitySentence()));
    sentence_->setObjectName("sentence");
    sentence_->setToolTip("The sentence every word is prepended to (with a space).");
    sentence_->setCursorPosition(0);
    axis_ = new QComboBox;
    axis_->setObjectName("distanceAxis");
    axis_->addItem("normalised edit distance (0-1)");
    axis_->addItem("edit distance in tokens");
    axis_->setToolTip(
        "Normalised: the distance over the longer tokenization's length, comparable across methods whose "
        "tokens differ in size. In tokens: the study's histogram as it is.");
    auto* wordsRow = new QHBoxLayout;
    wordsLabel_ = new QLabel;
    auto* words = new QPushButton("Words...");
    words->setToolTip("A text file with one word per line (blank lines are skipped).");
    auto* defaults = new QPushButton("Default list");
    wordsRow->addWidget(wordsLabel_, 1);
    wordsRow->addWidget(words);
    wordsRow->addWidget(defaults);
    methods_ = new MethodChecks;
    methods_->setToolTip("The methods whose tokenizations are compared.");
    form()->addRow("sentence", sentence_);
    form()->addRow("words", wordsRow);
    form()->addRow("methods", methods_);
    form()->addRow("chart", axis_);

    pairs_ = newTable("pairsTable");
    pairs_->setToolTip("Every word: the edit distance of each method's tokens from the sentence's.");
    addBesideTable(pairs_);
    auto* exportPairs = new QPushButton("Export words...");
    exportPairs->setToolTip("Save the per-word table as CSV or JSON.");
    addExportButton(exportPairs);

    connect(words, &QPushButton::clicked, this, [this] {
        QSettings s;
        const QString p = QFileDialog::getOpenFileName(this, "Word list", s.value("open/dir").toString());
        if (p.isEmpty()) return;
        s.setValue("open/dir", QFileInfo(p).absolutePath());
        loadWords(p);
    });
    connect(defaults, &QPushButton::clicked, this, &StabilityPage::useDefaultWords);
    connect(axis_, &QComboBox::currentIndexChanged, this, &StabilityPage::redraw);
    connect(exportPairs, &QPushButton::clicked, this, [this] {
        exportWithDialog(this, "Export words", "eqlab-stability-words.csv", "CSV (*.csv);;JSON (*.json)",
                         [this](const QString& p) { ui::saveTable(pairs_, p); });
    });
    useDefaultWords();
    redraw();  // empty axes, labelled, until the first run
}

void StabilityPage::setSentence(const QString& s) {
    sentence_->setText(s);
    sentence_->setCursorPosition(0);
}

bool StabilityPage::loadWords(const QString& path) {
    try {
        const std::vector<uint8_t> bytes = readFile(path.toStdString(), kMaxWordFileBytes);
        words_ = parseWordList(std::string(bytes.begin(), bytes.end()));
        wordsLabel_->setText(QString("%L1 words from %2").arg(words_.size()).arg(QFileInfo(path).fileName()));
        return true;
    } catch (const std::exception& e) {
        setStatus(QString("<b>Cannot use %1:</b> %2")
                      .arg(QFileInfo(path).fileName().toHtmlEscaped(), QString::fromUtf8(e.what()).toHtmlEscaped()));
        return false;
    }
}

void StabilityPage::useDefaultWords() {
    words_ = defaultStabilityWords();
    wordsLabel_->setText(QString("%L1 words (the default list)").arg(words_.size()));
}

void StabilityPage::startRun(const StudyInput& input) {
    StabilityOptions stability;
    stability.sentence = sentence_->text().toStdString();
    stability.words = words_;
    stability.methods = methods_->selected();
    start<Stability>(
        input.options, [stability](const StudyOptions& o) { return runStability(stability, o); },
        [this](std::shared_ptr<const Stability> r) { return show(std::move(r)); });
}

QString StabilityPage::show(std::shared_ptr<const Stability> result) {
    result_ = std::move(result);
    const Stability& r = *result_;
    std::vector<QStringList> rows;
    for (const StabilityMethod& m : r.methods)
        rows.push_back({QString::fromStdString(m.method), QString("%L1").arg(m.sentenceTokens),
                        fixed(m.meanDistance, 2), fixed(m.meanNormalised, 3)});
    fillTable(table(), {"method", "sentence tokens", "mean distance", "mean normalised"}, rows,
              {"The method.", "Tokens of the sentence alone.",
               "Mean edit distance between the sentence's tokens and the tokens with a word prepended.",
               "The same, divided by the longer tokenization's length: 0 stable, 1 nothing kept."});
    QStringList header{"word"};
    for (const StabilityMethod& m : r.methods) header << QString::fromStdString(m.method);
    std::vector<QStringList> pairs;
    const size_t words = r.methods.empty() ? 0 : r.methods[0].pairs.size();
    for (size_t w = 0; w < words; ++w) {
        QStringList row{QString::fromStdString(r.methods[0].pairs[w].word)};
        for (const StabilityMethod& m : r.methods)
            row << (w < m.pairs.size() ? QString::number(m.pairs[w].distance) : QString());
        pairs.push_back(row);
    }
    fillTable(pairs_, header, pairs);
    const StabilityMethod* most = nullptr;
    const StabilityMethod* least = nullptr;
    for (const StabilityMethod& m : r.methods) {
        if (!most || m.meanNormalised > most->meanNormalised) most = &m;
        if (!least || m.meanNormalised < least->meanNormalised) least = &m;
    }
    if (most && least && most != least)
        setFinding(QString("most stable %1 (%2 of its tokens change), least %3 (%4).")
                       .arg(QString::fromStdString(least->method).toHtmlEscaped(), percent(least->meanNormalised, 0),
                            QString::fromStdString(most->method).toHtmlEscaped(), percent(most->meanNormalised, 0)));
    else
        setFinding({});
    return QString(
               "%L1 words prepended to a %L2-byte sentence, %3 methods (this study reads the sentence, not the text).")
        .arg(words)
        .arg(r.sentence.size())
        .arg(r.methods.size());
}

void StabilityPage::redraw() {
    QCustomPlot* p = plot();
    p->clearPlottables();
    p->legend->setVisible(true);
    p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignHCenter);
    const bool normalised = axis_->currentIndex() == 0;
    double maxX = normalised ? 1.0 : 4.0, maxY = 0.1;
    if (result_)
        for (size_t i = 0; i < result_->methods.size(); ++i) {
            const StabilityMethod& m = result_->methods[i];
            // Share of words at each distance: the study's histogram, or the pairs' normalised distances in bins.
            std::vector<double> shares;
            double step = 1;
            if (normalised) {
                step = 1.0 / kNormalisedBins;
                shares.assign(kNormalisedBins + 1, 0.0);
                for (const StabilityPair& pair : m.pairs)
                    shares[size_t(std::lround(std::clamp(pair.normalised, 0.0, 1.0) * kNormalisedBins))] += 1;
            } else {
                shares.assign(m.histogram.begin(), m.histogram.end());
                maxX = std::max(maxX, double(shares.size()));
            }
            double words = 0;
            for (double c : shares) words += c;
            QVector<double> xs, ys;
            for (size_t d = 0; d < shares.size(); ++d) {
                xs << double(d) * step;
                ys << (words > 0 ? shares[d] / words : 0.0);
                maxY = std::max(maxY, ys.back());
            }
            QCPGraph* g = p->addGraph();
            g->setName(QString::fromStdString(m.method));
            g->setPen(QPen(Theme::series(int(i)), 2));
            g->setData(xs, ys, true);
        }
    p->xAxis->setLabel(normalised ? "normalised edit distance after prepending a word (0: unchanged, 1: all changed)"
                                  : "edit distance (tokens) after prepending a word");
    p->yAxis->setLabel("share of words");
    p->xAxis->setRange(normalised ? -0.02 : -0.5, normalised ? 1.02 : maxX);
    p->yAxis->setRange(0, std::min(1.05, maxY * 1.15));
    finishPlot(p);
}

}  // namespace eqlab::ui
