// Train or fine-tune M1 from the GUI: the core trainer on a worker thread,
// a live curve of training loss and validation bits/byte, stop at any time
// (a checkpoint is written), and load the result as the current model.
#pragma once

#include <QWidget>
#include <atomic>
#include <memory>

class QCheckBox;
class QCustomPlot;
class QCPGraph;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace eqlab::ui {

class M1View : public QWidget {
    Q_OBJECT
public:
    explicit M1View(QWidget* parent = nullptr);
    ~M1View() override;

    // Shows the model the Explore view uses (weights file path).
    void setCurrentModel(const QString& path);
    QString currentModel() const { return currentModel_; }
    void setCorpus(const QString& corpus, const QString& valid);
    void setBudget(double minutes, int steps);
    void start();
    void stop();
    bool busy() const { return running_ > 0; }
    QCustomPlot* plot() { return plot_; }
    int points() const;
    void restyle();

signals:
    void useModel(QString path);
    void finished(bool ok);

private:
    void showCard();

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
    QString currentModel_;
    int currentContext_ = 0;  // the current model's context (bytes), read by showCard; 0: unreadable
    std::shared_ptr<std::atomic<bool>> stop_;
    std::atomic<int> running_{0};
};

}  // namespace eqlab::ui
