// The learnability lab: train M2 on any method's tokens and watch the loss
// curves live. Several runs overlaid, one colour per run, each named by its
// method, corpus and start time (m2/run_label.h); raw values faint
// under an exponential moving average (bias-corrected; smoothing slider);
// log axes; x as steps, tokens, bytes or wall time; dashed uniform and dotted
// unigram baselines per run (named in the legend); each run's best point
// marked; a hover read-out; accuracy by token position
// inside an Equal-Info window. Runs live on disk (run.json + log.csv) and
// reopen later. Training runs on a worker thread: stop keeps a checkpoint,
// resume continues it.
#pragma once

#include <QStringList>
#include <QWidget>
#include <vector>

#include "background_job.h"
#include "m2/m2_trainer.h"
#include "m2/run_label.h"

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSlider;

namespace eqlab::ui {

struct M2Run {
    QString name;             // unique among the runs listed (m2::uniqueRunLabels of `parts`)
    QString method, dir;      // the dataset's method label; the run folder
    m2::RunLabelParts parts;  // what the name is made of: the run's name, corpus and start
    m2::Baselines base;
    int tokensPerWindow = 0;
    std::vector<m2::EvalPoint> points;

    // The point of lowest validation bits/token, or null before the first validation.
    const m2::EvalPoint* best() const;
    // Learned at its end, only at its best step, or not (m2::learnedState over the points so far).
    m2::Learned learned() const;
};

// Exponential moving average with start-of-series bias correction (as
// TensorBoard): s_t = a s_{t-1} + (1 - a) x_t, shown as s_t / (1 - a^t).
std::vector<double> smoothSeries(const std::vector<double>& x, double a);

class M2View : public QWidget {
    Q_OBJECT
public:
    explicit M2View(QWidget* parent = nullptr);

    void setCorpus(const QString& path);
    void setBudget(double minutes);
    void setSize(int dModel, int layers);
    void setRunsDir(const QString& dir);
    // Trains the methods given (one run each, in turn) on the corpus.
    void train(const QStringList& methods);
    // Continues the run saved in `runDir` from its checkpoint for another budget.
    void resume(const QString& runDir);
    // Asks the work to stop: a dataset build is abandoned, training stops at a
    // checkpoint; the view then reports as usual (finished()).
    void stop();
    // Stops, drops what the work has not reported yet and returns once its
    // thread has ended (closing the window).
    void cancelAndWait() { job_.cancelAndWait(); }
    bool busy() const { return job_.busy(); }
    int loadRuns(const QString& dir);  // reopens saved runs; returns how many
    // The runs the last loadRuns could not open, "FOLDER/run.json: why" each (also shown in the status line).
    const QStringList& unreadableRuns() const { return unreadableRuns_; }
    const std::vector<M2Run>& runs() const { return runs_; }
    // The run selected in the list (its folder), or empty.
    QString currentRunDir() const;
    // Selects the run saved in `dir`, opening it first if it is not listed; false if it is no run.
    bool selectRun(const QString& dir);
    QCustomPlot* lossPlot() { return loss_; }
    QCustomPlot* positionPlot() { return position_; }
    void restyle();
    void redraw();

signals:
    void finished(bool ok);

private:
    // One run to train: a new run of `method`, or (resumeDir set) a saved run continued.
    struct Job {
        QString method;
        QString resumeDir;
    };
    void start(const std::vector<Job>& jobs);

    int runIndex(const QString& dir);
    void updateItem(int i);  // text, colour swatch and tooltip of run i's list entry
    void relabel();          // unique names for every run (after one is added or its parts change)
    void addPoint(const QString& dir, const m2::EvalPoint& p);
    QString unreadableText() const;  // unreadableRuns_ for the status line (rich text)

    QLineEdit* corpus_;
    QComboBox* method_;
    QDoubleSpinBox* minutes_;
    QComboBox* size_;
    QPushButton* trainButton_;
    QPushButton* reproduceButton_;
    QPushButton* stopButton_;
    QPushButton* resumeButton_;
    QProgressBar* progress_;
    QLabel* status_;
    QListWidget* list_;
    QComboBox* metric_;
    QComboBox* xAxis_;
    QCheckBox* logX_;
    QCheckBox* logY_;
    QCheckBox* baselines_;
    QSlider* smoothing_;
    QLabel* readout_;
    QCustomPlot* loss_;
    QCustomPlot* position_;
    QString runsDir_;
    std::vector<M2Run> runs_;
    QStringList unreadableRuns_;
    int dModel_ = 128, layers_ = 2;
    BackgroundJob job_;  // destroyed first: stops and joins the work before the widgets go
};

}  // namespace eqlab::ui
