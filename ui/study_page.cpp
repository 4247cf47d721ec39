#include "study_page.h"

#include <qcustomplot.h>

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "base/errors.h"
#include "export.h"
#include "theme.h"
#include "zoom.h"

namespace eqlab::ui {

namespace {
constexpr qint64 kEtaAfterMs = 1000;   // no time-left estimate before a run has gone this long...
constexpr int kEtaAfterProgress = 10;  // ...and done this much of kProgressMax (1%)
constexpr int kMaxColumnWidth = 420;   // pixels at 100%: a table column sized to its contents is cut off here
constexpr int kRowPadding = 6;         // pixels a table row is taller than its font

QString duration(double seconds) {
    if (seconds < 10) return QString::number(seconds, 'f', 1) + " s";
    if (seconds < 90) return QString::number(std::lround(seconds)) + " s";
    if (seconds < 5400) return QString::number(std::lround(seconds / 60)) + " min";
    return QString::number(seconds / 3600, 'f', 1) + " h";
}
}  // namespace

QString fixed(double v, int decimals) {
    return QString::number(v, 'f', decimals);
}

QString paperCell(double v, int decimals) {
    return v > 0 ? QString::number(v, 'f', decimals) : QString("–");
}

QString percent(double share, int decimals) {
    return QString::number(100.0 * share, 'f', decimals) + "%";
}

StudyPage::StudyPage(QString name, QString title, QString note, QWidget* parent)
    : QWidget(parent), name_(std::move(name)), title_(std::move(title)), note_(std::move(note)) {
    setObjectName("study-" + name_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 0, 0, 0);

    auto* top = new QHBoxLayout;
    auto* params = new QGroupBox(title_);
    form_ = new QFormLayout(params);
    form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    top->addWidget(params, 3);
    auto* runColumn = new QVBoxLayout;
    auto* buttons = new QHBoxLayout;
    runButton_ = new QPushButton("Run");
    runButton_->setObjectName("run");
    runButton_->setToolTip("Run this study on the text and model chosen above (Ctrl+R).");
    cancelButton_ = new QPushButton("Cancel");
    cancelButton_->setObjectName("cancel");
    cancelButton_->setToolTip("Stop the run; nothing of it is shown (Esc).");
    cancelButton_->setEnabled(false);
    buttons->addWidget(runButton_);
    buttons->addWidget(cancelButton_);
    buttons->addStretch();
    progress_ = new QProgressBar;
    progress_->setRange(0, kProgressMax);
    progress_->setValue(0);
    progress_->setFormat("not run yet");
    progress_->setToolTip("How much of the run is done, and the time left at the pace so far.");
    status_ = new QLabel("Press Run (Ctrl+R).");
    status_->setObjectName("status");
    status_->setWordWrap(true);
    status_->setTextFormat(Qt::RichText);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    runColumn->addLayout(buttons);
    runColumn->addWidget(progress_);
    runColumn->addWidget(status_, 1);
    top->addLayout(runColumn, 2);
    layout->addLayout(top);

    body_ = new QSplitter(Qt::Vertical);
    auto* chartBox = new QWidget;
    chartColumn_ = new QVBoxLayout(chartBox);
    chartColumn_->setContentsMargins(0, 0, 0, 0);
    plot_ = new QCustomPlot;
    plot_->setObjectName("chart");
    // Not scaled by the zoom: at 200% a page's strip, note and table need the room.
    plot_->setMinimumHeight(200);
    chartColumn_->addWidget(plot_, 1);
    noteLabel_ = new QLabel;
    noteLabel_->setObjectName("note");
    noteLabel_->setWordWrap(true);
    noteLabel_->setTextFormat(Qt::RichText);
    setFinding({});
    chartColumn_->addWidget(noteLabel_);
    body_->addWidget(chartBox);
    auto* tableBox = new QWidget;
    tableRow_ = new QHBoxLayout(tableBox);
    tableRow_->setContentsMargins(0, 0, 0, 0);
    table_ = newTable("table");
    tableRow_->addWidget(table_, 1);
    body_->addWidget(tableBox);
    body_->setStretchFactor(0, 3);
    body_->setStretchFactor(1, 2);
    layout->addWidget(body_, 1);

    exportRow_ = new QHBoxLayout;
    auto* exportChart = new QPushButton("Export chart...");
    exportChart->setToolTip("Save the chart as PNG or PDF.");
    auto* exportTable = new QPushButton("Export table...");
    exportTable->setToolTip("Save the table as CSV or JSON.");
    exportRow_->addWidget(exportChart);
    exportRow_->addWidget(exportTable);
    exportRow_->addStretch();
    layout->addLayout(exportRow_);

    connect(runButton_, &QPushButton::clicked, this, &StudyPage::run);
    connect(cancelButton_, &QPushButton::clicked, this, &StudyPage::cancel);
    connect(exportChart, &QPushButton::clicked, this, [this] {
        exportWithDialog(this, "Export chart", "eqlab-" + name_ + ".png", "PNG (*.png);;PDF (*.pdf)",
                         [this](const QString& p) { saveChart(p); });
    });
    connect(exportTable, &QPushButton::clicked, this, [this] {
        exportWithDialog(this, "Export table", "eqlab-" + name_ + ".csv", "CSV (*.csv);;JSON (*.json)",
                         [this](const QString& p) { saveTable(p); });
    });
    connect(&job_, &BackgroundJob::progress, this, &StudyPage::showProgress);
    connect(&job_, &BackgroundJob::failed, this, &StudyPage::runFailed);
    Theme::current().stylePlot(plot_);
}

void StudyPage::run() {
    job_.cancel();  // superseded: beginRun() resets the controls, and finished() comes once, for this run
    try {
        if (!inputSource_) throw InvalidArgument("no input: the page is not part of the Studies view");
        startRun(inputSource_());
    } catch (const std::exception& e) {
        runFailed(QString::fromUtf8(e.what()));
    }
}

void StudyPage::cancel() {
    if (!job_.busy()) return;
    job_.cancel();
    runButton_->setEnabled(true);
    cancelButton_->setEnabled(false);
    progress_->setValue(0);
    progress_->setFormat("cancelled");
    setStatus("Cancelled." + QString(hasResult_ ? " The chart and table show the previous run." : ""));
    emit finished(false);
}

void StudyPage::cancelAndWait() {
    cancel();
    job_.cancelAndWait();
}

void StudyPage::beginRun() {
    runButton_->setEnabled(false);
    cancelButton_->setEnabled(true);
    progress_->setValue(0);
    progress_->setFormat("%p% · estimating the time left");
    setStatus("<i>Running...</i>");
    clock_.start();
}

void StudyPage::endRun(const QString& summary) {
    hasResult_ = true;
    runButton_->setEnabled(true);
    cancelButton_->setEnabled(false);
    progress_->setValue(kProgressMax);
    const QString took = duration(double(clock_.elapsed()) / 1000.0);
    progress_->setFormat("done in " + took);
    setStatus(summary + (summary.isEmpty() ? "" : " ") + "(" + took + ")");
    redraw();
    emit finished(true);
}

void StudyPage::runFailed(const QString& message) {
    runButton_->setEnabled(true);
    cancelButton_->setEnabled(false);
    progress_->setValue(0);
    progress_->setFormat("failed");
    setStatus("<b>Failed:</b> " + message.toHtmlEscaped());
    emit finished(false);
}

void StudyPage::showProgress(int value) {
    progress_->setValue(value);
    const qint64 ms = clock_.elapsed();
    if (ms < kEtaAfterMs || value < kEtaAfterProgress) return;
    // The pace so far, carried forward: studies report in bytes coded, which cost about evenly.
    const double left = double(ms) / 1000.0 * double(kProgressMax - value) / double(value);
    progress_->setFormat("%p% · about " + duration(left) + " left");
}

void StudyPage::saveChart(const QString& path) const {
    savePlot(plot_, path);
}

void StudyPage::saveTable(const QString& path) const {
    if (!table_) throw IoError("this page has no table to export");
    ui::saveTable(table_, path);
}

void StudyPage::restyle() {
    Theme::current().stylePlot(plot_);
    setFinding(noteLabel_->property("finding").toString());
    if (hasResult_) redraw();
}

void StudyPage::addAboveChart(QWidget* w, int stretch) {
    chartColumn_->insertWidget(chartColumn_->indexOf(plot_), w, stretch);
}

void StudyPage::setChartShare(int chart, int table) {
    body_->setStretchFactor(0, chart);
    body_->setStretchFactor(1, table);
}

void StudyPage::addBesideTable(QWidget* w) {
    tableRow_->addWidget(w, 1);
}

void StudyPage::replaceTable(QWidget* w) {
    tableRow_->replaceWidget(table_, w);
    delete table_;
    table_ = nullptr;
}

void StudyPage::addExportButton(QPushButton* b) {
    exportRow_->insertWidget(exportRow_->count() - 1, b);
}

void StudyPage::setStatus(const QString& html) {
    status_->setText(html);
}

void StudyPage::setFinding(const QString& html) {
    noteLabel_->setProperty("finding", html);
    const QString faint = Theme::current().faint.name();
    QString text = "<span style='color:" + faint + "'>" + note_.toHtmlEscaped() + "</span>";
    if (!html.isEmpty()) text += "<br><b>Here:</b> " + html;
    noteLabel_->setText(text);
}

void StudyPage::finishPlot(QCustomPlot* plot) {
    if (plot->legend->itemCount() == 0) plot->legend->setVisible(false);
    Theme::current().stylePlot(plot);
}

QTableWidget* StudyPage::newTable(const QString& objectName) {
    auto* t = new QTableWidget;
    t->setObjectName(objectName);
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    t->horizontalHeader()->setStretchLastSection(true);
    t->verticalHeader()->hide();
    Zoom::fitRowsToFont(t, kRowPadding);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setAlternatingRowColors(true);
    t->setWordWrap(false);
    return t;
}

void StudyPage::fillTable(QTableWidget* table, const QStringList& header, const std::vector<QStringList>& rows,
                          const QStringList& tips) {
    table->clear();
    table->setColumnCount(int(header.size()));
    table->setRowCount(int(rows.size()));
    table->setHorizontalHeaderLabels(header);
    for (int c = 0; c < int(tips.size()) && c < int(header.size()); ++c)
        table->horizontalHeaderItem(c)->setToolTip(tips[c]);
    for (int r = 0; r < int(rows.size()); ++r)
        for (int c = 0; c < int(rows[size_t(r)].size()) && c < int(header.size()); ++c) {
            const QString& s = rows[size_t(r)][c];
            auto* item = new QTableWidgetItem(s);
            bool isNumber = false;
            QString(s).remove(',').remove('%').toDouble(&isNumber);
            if (isNumber || s == "–") item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table->setItem(r, c, item);
        }
    table->resizeColumnsToContents();
    for (int c = 0; c < table->columnCount(); ++c)
        table->setColumnWidth(c, std::min(table->columnWidth(c), Zoom::px(kMaxColumnWidth)));
}

}  // namespace eqlab::ui
