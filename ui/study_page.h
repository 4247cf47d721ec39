// One page of the Studies tab: a study's parameter form, Run and Cancel, a
// progress bar with the time left, a status line (errors are shown there,
// never in a dialog), the study's chart with the paper's note under it, its
// table, and Export chart... / Export table.... A subclass fills the form,
// says what a run computes (a core study function, on the page's background
// job) and how its result is shown. The page owns the job: cancel() drops the
// run's deliveries and returns at once (the thread ends at its next progress
// check); cancelAndWait() and destroying the page join the run's thread, so
// no run outlives the widgets it reports to.
#pragma once

#include <QElapsedTimer>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <functional>
#include <memory>
#include <vector>

#include "background_job.h"
#include "studies/study.h"

class QCustomPlot;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTableWidget;
class QVBoxLayout;

namespace eqlab::ui {

// What every study reads, chosen above the pages (StudiesView).
struct StudyInput {
    std::shared_ptr<const std::vector<uint8_t>> text;  // never null; may be empty (the study says so)
    QString textName;                                  // "the Explore text", "the bundled sample", a file name
    StudyOptions options;                              // m1Path, threads, maxBytes; the page sets progress
};

class StudyPage : public QWidget {
    Q_OBJECT
public:
    static constexpr int kProgressMax = 1000;  // the progress bar's range: a run reports 0..kProgressMax

    // name: the study's CLI name ("window-sweep"); title: its entry in the list;
    // note: what the paper found, shown under the chart.
    StudyPage(QString name, QString title, QString note, QWidget* parent = nullptr);

    const QString& name() const { return name_; }
    const QString& title() const { return title_; }
    // Where a run reads the shared inputs (the text, M1, threads, how much to analyse).
    void setInputSource(std::function<StudyInput()> source) { inputSource_ = std::move(source); }

    // Starts the study on the background job; a run in flight is cancelled
    // first. Bad parameters (or an empty text) are reported in the status
    // line, and finished(false) follows at once.
    void run();
    // Drops the run in flight, if any: nothing it computed is shown; finished(false).
    void cancel();
    // cancel(), then returns once the job's thread has ended (closing the window).
    void cancelAndWait();
    bool busy() const { return job_.busy(); }
    bool hasResult() const { return hasResult_; }

    QCustomPlot* plot() const { return plot_; }
    // The page's table; null on a page that shows its own kind of table (windows).
    QTableWidget* table() const { return table_; }
    QLabel* statusLabel() const { return status_; }
    QProgressBar* progressBar() const { return progress_; }

    // What Export chart... and Export table... write, by the file's suffix
    // (.png/.pdf; .csv/.json). Throw eqlab::IoError.
    virtual void saveChart(const QString& path) const;
    virtual void saveTable(const QString& path) const;
    // After a theme change: the chart is drawn again in the new colours.
    void restyle();

signals:
    // A run ended: ok, or it failed or was cancelled (the status line says which).
    void finished(bool ok);

protected:
    // The subclass's part of run(): reads its parameters (throwing
    // InvalidArgument for bad ones, reported in the status line) and calls
    // start() once.
    virtual void startRun(const StudyInput& input) = 0;
    // Draws the chart from the last result again (theme change, a live control).
    virtual void redraw() {}

    // Runs `compute` on the job, with options.progress driving the progress
    // bar and cancelling on Cancel; then, on the GUI thread, `show` with its
    // result (the page may keep it), whose return value (what was analysed,
    // in a sentence) goes to the status line with the time taken. `compute`
    // must not touch the page.
    template <class Result>
    void start(StudyOptions options, std::function<Result(const StudyOptions&)> compute,
               std::function<QString(std::shared_ptr<const Result>)> show) {
        beginRun();
        job_.start([this, options, compute = std::move(compute), show = std::move(show)](JobControl& control) mutable {
            options.progress = control.progressFn(0, kProgressMax);
            auto result = std::make_shared<const Result>(compute(options));
            control.onEnd([this, result, show] { endRun(show(result)); });
        });
    }

    QFormLayout* form() const { return form_; }
    // Widgets above the chart (a strip, a row of controls), and beside the table (a second table).
    void addAboveChart(QWidget* w, int stretch = 0);
    void addBesideTable(QWidget* w);
    // How the height is shared between the chart (with what is above it) and the table (3 : 2 unless set).
    void setChartShare(int chart, int table);
    // Puts `w` where the table is; table() becomes null.
    void replaceTable(QWidget* w);
    // A button in the export row, after Export chart... and Export table....
    void addExportButton(QPushButton* b);
    void setStatus(const QString& html);
    // The paper's note under the chart, and a line of eqlab's own finding after it.
    void setFinding(const QString& html);

    // Fills `table`: a header, rows of cells; numbers are right-aligned.
    static void fillTable(QTableWidget* table, const QStringList& header, const std::vector<QStringList>& rows,
                          const QStringList& tips = {});
    static QTableWidget* newTable(const QString& objectName);
    // The last step of a redraw: the theme's colours; no legend box when nothing is in it.
    static void finishPlot(QCustomPlot* plot);

private:
    void beginRun();
    void endRun(const QString& summary);
    void runFailed(const QString& message);
    void showProgress(int value);

    QString name_, title_, note_;
    std::function<StudyInput()> inputSource_;
    QFormLayout* form_;
    QPushButton* runButton_;
    QPushButton* cancelButton_;
    QProgressBar* progress_;
    QLabel* status_;
    QSplitter* body_;
    QVBoxLayout* chartColumn_;
    QHBoxLayout* tableRow_;
    QCustomPlot* plot_;
    QLabel* noteLabel_;
    QTableWidget* table_;
    QHBoxLayout* exportRow_;
    QElapsedTimer clock_;  // since the run started, for the time left
    bool hasResult_ = false;
    BackgroundJob job_;  // last: destroyed first, it joins the run before the widgets go
};

// Table cells: a number with `decimals` places; the paper's figure ("–" for none); a share as a percentage.
QString fixed(double v, int decimals = 3);
QString paperCell(double v, int decimals = 2);
QString percent(double share, int decimals = 1);

}  // namespace eqlab::ui
