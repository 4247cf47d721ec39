// Train or fine-tune M1 from the GUI: the core trainer on a worker thread,
// a live curve of training loss and validation bits/byte, stop at any time
// (a checkpoint is written), and load the result as the current model.
#pragma once

#include <QWidget>

#include "background_job.h"

class QCheckBox;
class QCustomPlot;
class QCPAbstractPlottable;
class QCPGraph;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace eqlab::ui {

class PointTooltip;

class M1View : public QWidget {
    Q_OBJECT
public:
    explicit M1View(QWidget* parent = nullptr);

    // Shows the model the Explore view uses (weights file path).
    void setCurrentModel(const QString& path);
    void setCorpus(const QString& corpus, const QString& valid);
    void setBudget(double minutes, int steps);
    // The weights file training writes (checkpoints go beside it).
    void setOutput(const QString& path);
    // Starts training on a background job; does nothing while one runs.
    void start();
    // Asks training to stop: it writes a checkpoint, then reports as usual (finished()).
    void stop();
    // Stops training, drops what it has not reported yet and returns once its
    // thread has ended (closing the window).
    void cancelAndWait() { job_.cancelAndWait(); }
    bool busy() const { return job_.busy(); }
    QCustomPlot* plot() { return plot_; }
    // The chart's tooltip at `pos` (plot coordinates): the hovered point's step and both curves' figures there.
    QString chartTooltipAt(QPoint pos) const;
    int points() const;
    void restyle();

signals:
    void useModel(QString path);
    void finished(bool ok);

private:
    void showCard();
    QString pointTip(QCPAbstractPlottable* plottable, int index) const;

    QLabel* card_;
    QLineEdit* corpus_;
    QLineEdit* valid_;
    QLineEdit* out_;
    QCheckBox* fineTune_;
    QDoubleSpinBox* minutes_;
    QSpinBox* steps_;
    QSpinBox* batch_;
    QSpinBox* seq_;
    QDoubleSpinBox* lr_;
    QDoubleSpinBox* augment_;
    QPushButton* startButton_;
    QPushButton* stopButton_;
    QPushButton* useButton_;
    QProgressBar* progress_;
    QLabel* status_;
    QCustomPlot* plot_;
    QCPGraph* trainGraph_ = nullptr;
    QCPGraph* validGraph_ = nullptr;
    PointTooltip* chartTip_;
    QString currentModel_;
    int currentContext_ = 0;  // the current model's context (bytes), read by showCard; 0: unreadable
    BackgroundJob job_;       // destroyed first: stops and joins training before the widgets go
};

}  // namespace eqlab::ui
