#include "studies/window_sweep_page.h"

#include <qcustomplot.h>

#include <QFormLayout>
#include <QLineEdit>
#include <map>

#include "analysis/paper_figures.h"
#include "studies/study_widgets.h"
#include "theme.h"

namespace eqlab::ui {

namespace {
QString joined(const std::vector<int>& v) {
    QStringList s;
    for (int x : v) s << QString::number(x);
    return s.join(", ");
}
}  // namespace

WindowSweepPage::WindowSweepPage(QWidget* parent)
    : StudyPage("window-sweep", "Window sweep", kPaperWindowSweepNote, parent) {
    const WindowSweepOptions defaults;
    windowBits_ = new QLineEdit(joined(defaults.windowBits));
    windowBits_->setObjectName("windowBits");
    windowBits_->setToolTip(QString("b: the window sizes in bits, %1..%2, separated by commas (each a multiple of k).")
                                .arg(kMinWindowBits)
                                .arg(kMaxWindowBits));
    tokenBits_ = new QLineEdit(joined(defaults.tokenBits));
    tokenBits_->setObjectName("tokenBits");
    tokenBits_->setToolTip("k: bits per token (8: v = 256, 16: v = 65,536), separated by commas.");
    form()->addRow("b (window bits)", windowBits_);
    form()->addRow("k (token bits)", tokenBits_);
    redraw();  // empty axes, labelled, until the first run
}

void WindowSweepPage::setWindowBits(const QString& list) {
    windowBits_->setText(list);
}

void WindowSweepPage::setTokenBits(const QString& list) {
    tokenBits_->setText(list);
}

void WindowSweepPage::startRun(const StudyInput& input) {
    WindowSweepOptions sweep;
    sweep.windowBits = parseIntList(windowBits_->text(), "b", kMinWindowBits, kMaxWindowBits);
    sweep.tokenBits = parseIntList(tokenBits_->text(), "k", kMinTokenBits, kMaxTokenBits);
    start<WindowSweep>(
        input.options,
        [text = input.text, sweep](const StudyOptions& o) {
            return runWindowSweep(text->data(), text->size(), sweep, o);
        },
        [this, name = input.textName](std::shared_ptr<const WindowSweep> r) { return show(std::move(r), name); });
}

QString WindowSweepPage::show(std::shared_ptr<const WindowSweep> result, const QString& textName) {
    result_ = std::move(result);
    const WindowSweep& r = *result_;
    std::vector<QStringList> rows;
    for (const WindowSweepRow& w : r.rows)
        rows.push_back({QString::number(w.b), QString("%L1").arg(w.vocab), QString("%L1").arg(w.windows),
                        fixed(w.bytesPerToken), paperCell(w.paperBytesPerToken), fixed(w.bitsPerByte),
                        fixed(w.meanWindowBytes, 2), fixed(w.sdWindowBytes, 2), QString::number(w.minWindowBytes),
                        QString::number(w.maxWindowBytes), percent(w.paddingFraction), percent(w.tokenOnlyDecodable)});
    fillTable(
        table(),
        {"b", "v", "windows", "bytes/token", "paper", "bits/byte", "bytes/window", "sd", "min", "max", "padding",
         "token-only decodable"},
        rows,
        {"Window size in bits.", "Vocabulary: 2^k tokens.", "Equal-Info windows in the analysed text.",
         "Input bytes per token: the compression ratio.", "The paper's bytes/token (C4, 3M-parameter M1).",
         "Output bits (padding included) per input byte.", "Mean bytes per window.",
         "Standard deviation of bytes per window.", "Fewest bytes in a window.", "Most bytes in a window.",
         "Padding bits as a share of all bits.", "Share of windows the tokens alone decode (no side information)."});
    // eqlab's own finding: how far compression grows over the sweep, per vocabulary.
    std::map<int, std::pair<const WindowSweepRow*, const WindowSweepRow*>> span;
    for (const WindowSweepRow& w : r.rows) {
        auto& [lo, hi] = span[w.k];
        if (!lo || w.b < lo->b) lo = &w;
        if (!hi || w.b > hi->b) hi = &w;
    }
    QStringList finding;
    for (const auto& [k, lohi] : span)
        if (lohi.first != lohi.second)
            finding << QString("v = %L1: %2 bytes/token at b = %3, %4 at b = %5")
                           .arg(lohi.first->vocab)
                           .arg(lohi.first->bytesPerToken, 0, 'f', 2)
                           .arg(lohi.first->b)
                           .arg(lohi.second->bytesPerToken, 0, 'f', 2)
                           .arg(lohi.second->b);
    setFinding(finding.join("; ").toHtmlEscaped());
    QString summary = QString("Analysed %1 of %2 with %3: %4 encodings.")
                          .arg(QString::fromStdString(r.scope.describe()), textName.toHtmlEscaped(),
                               QString::fromStdString(r.modelName).toHtmlEscaped())
                          .arg(r.rows.size());
    if (!r.skipped.empty()) {
        QStringList skipped;
        for (const std::string& s : r.skipped) skipped << QString::fromStdString(s).toHtmlEscaped();
        summary += " Left out: " + skipped.join("; ") + ".";
    }
    return summary;
}

void WindowSweepPage::redraw() {
    QCustomPlot* p = plot();
    p->clearPlottables();
    p->legend->setVisible(true);
    p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    double maxB = 16, maxY = 1;
    if (result_) {
        std::map<int, std::vector<const WindowSweepRow*>> byK;
        for (const WindowSweepRow& w : result_->rows) byK[w.k].push_back(&w);
        int series = 0;
        for (const auto& [k, rows] : byK) {
            const QColor colour = Theme::series(series++);
            QVector<double> xs, ys, px, py;
            for (const WindowSweepRow* w : rows) {
                xs << w->b;
                ys << w->bytesPerToken;
                if (w->paperBytesPerToken > 0) {
                    px << w->b;
                    py << w->paperBytesPerToken;
                }
                maxB = std::max(maxB, double(w->b));
                maxY = std::max({maxY, w->bytesPerToken, w->paperBytesPerToken});
            }
            QCPGraph* g = p->addGraph();
            g->setName(QString("eqlab, v = %L1").arg(uint64_t(1) << k));
            g->setPen(QPen(colour, 2));
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
            g->setData(xs, ys, true);
            if (!px.isEmpty()) {
                QCPGraph* paper = p->addGraph();
                paper->setName(QString("paper, v = %L1").arg(uint64_t(1) << k));
                paper->setLineStyle(QCPGraph::lsNone);
                paper->setPen(QPen(colour, 2));
                paper->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, 11));
                paper->setData(px, py, true);
            }
        }
    }
    p->xAxis->setLabel("b (bits per window)");
    p->yAxis->setLabel("bytes per token");
    p->xAxis->setRange(0, maxB * 1.05);
    p->yAxis->setRange(0, maxY * 1.15);
    finishPlot(p);
}

}  // namespace eqlab::ui
