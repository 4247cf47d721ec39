#include "studies/position_accuracy_page.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QPushButton>

#include "analysis/paper_figures.h"
#include "base/errors.h"
#include "theme.h"

namespace eqlab::ui {

PositionAccuracyPage::PositionAccuracyPage(QWidget* parent)
    : StudyPage("position-accuracy", "Accuracy by position", kPaperPositionAccuracyNote, parent) {
    auto* row = new QHBoxLayout;
    run_ = new QComboBox;
    run_->setObjectName("runDir");
    run_->setEditable(true);
    run_->setInsertPolicy(QComboBox::NoInsert);
    run_->setToolTip("An M2 run of an eqinfo-ac method: one trained in the Learnability tab, or any run folder.");
    run_->lineEdit()->setPlaceholderText("train an eqinfo-ac run in the Learnability tab, or choose a folder");
    auto* browse = new QPushButton("Folder...");
    browse->setToolTip("Choose a run folder (it holds run.json and log.csv).");
    auto* learnability = new QPushButton("Open in Learnability");
    learnability->setObjectName("openInLearnability");
    learnability->setToolTip("Show this run in the Learnability tab (Ctrl+4).");
    row->addWidget(run_, 1);
    row->addWidget(browse);
    row->addWidget(learnability);
    form()->addRow("run", row);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, "M2 run folder", runDir());
        if (!dir.isEmpty()) setRunDir(dir);
    });
    connect(learnability, &QPushButton::clicked, this, [this] { emit openInLearnability(runDir()); });
    redraw();  // empty axes, labelled, until the first run
}

void PositionAccuracyPage::setRuns(const QVector<QPair<QString, QString>>& runs, const QString& current) {
    const QString typed = runDir();
    run_->clear();
    for (const auto& [name, dir] : runs) run_->addItem(name, dir);
    // The run selected there; else what was chosen here before; else the first listed.
    if (const int i = run_->findData(current); i >= 0)
        run_->setCurrentIndex(i);
    else if (!typed.isEmpty())
        setRunDir(typed);
}

void PositionAccuracyPage::setRunDir(const QString& dir) {
    if (const int i = run_->findData(dir); i >= 0) {
        run_->setCurrentIndex(i);
        return;
    }
    run_->addItem(QFileInfo(dir).fileName(), dir);
    run_->setCurrentIndex(run_->count() - 1);
}

QString PositionAccuracyPage::runDir() const {
    // A listed run's folder, or what was typed.
    const int i = run_->currentIndex();
    if (i >= 0 && run_->itemText(i) == run_->currentText()) return run_->itemData(i).toString();
    return run_->currentText().trimmed();
}

void PositionAccuracyPage::startRun(const StudyInput& input) {
    const QString dir = runDir();
    if (dir.isEmpty())
        throw InvalidArgument("no run chosen: train an eqinfo-ac run in the Learnability tab, or choose a run folder");
    start<PositionAccuracy>(
        input.options, [dir = dir.toStdString()](const StudyOptions&) { return readPositionAccuracy(dir); },
        [this](std::shared_ptr<const PositionAccuracy> r) { return show(std::move(r)); });
}

QString PositionAccuracyPage::show(std::shared_ptr<const PositionAccuracy> result) {
    result_ = std::move(result);
    const PositionAccuracy& r = *result_;
    size_t positions = 0;
    for (const PositionAccuracyPoint& p : r.points) positions = std::max(positions, p.accuracyByPosition.size());
    QStringList header{"step"};
    for (size_t i = 0; i < positions; ++i) header << QString("token %1").arg(i + 1);
    std::vector<QStringList> rows;
    for (const PositionAccuracyPoint& p : r.points) {
        QStringList row{QString::number(p.step)};
        for (double a : p.accuracyByPosition) row << fixed(a, 4);
        rows.push_back(row);
    }
    fillTable(table(), header, rows);
    QStringList order;
    for (int pos : r.learnedOrder) order << QString::number(pos + 1);
    setFinding(order.isEmpty() ? QString("too few evaluations to order the positions.")
                               : QString("M2 learned the positions in the order %1 (by the step each first reached "
                                         "half its final accuracy).")
                                     .arg(order.join(", ")));
    return QString("Run %1 (%2): %L3 evaluations.")
        .arg(QFileInfo(QString::fromStdString(r.runDir)).fileName().toHtmlEscaped(),
             QString::fromStdString(r.method).toHtmlEscaped())
        .arg(r.points.size());
}

void PositionAccuracyPage::redraw() {
    QCustomPlot* p = plot();
    p->clearPlottables();
    p->legend->setVisible(true);
    p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    double maxX = 1, maxY = 0.05;
    size_t positions = 0;
    if (result_)
        for (const PositionAccuracyPoint& pt : result_->points)
            positions = std::max(positions, pt.accuracyByPosition.size());
    for (size_t pos = 0; pos < positions; ++pos) {
        QVector<double> xs, ys;
        for (const PositionAccuracyPoint& pt : result_->points)
            if (pos < pt.accuracyByPosition.size()) {
                xs << double(pt.step);
                ys << pt.accuracyByPosition[pos];
                maxX = std::max(maxX, double(pt.step));
                maxY = std::max(maxY, pt.accuracyByPosition[pos]);
            }
        QCPGraph* g = p->addGraph();
        g->setName(QString("token %1 of each window").arg(pos + 1));
        g->setPen(QPen(Theme::series(int(pos) + 2), 2));
        g->setData(xs, ys, true);
    }
    p->xAxis->setLabel("training step");
    p->yAxis->setLabel("M2's next-token accuracy");
    p->xAxis->setRange(0, maxX * 1.02);
    p->yAxis->setRange(0, std::min(1.0, maxY * 1.2));
    finishPlot(p);
}

}  // namespace eqlab::ui
