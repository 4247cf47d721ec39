// The "windows" study's page: the table of every Equal-Info window (the
// paper's table 8), sortable by any column and filtered by its text, its
// length and its padding; a histogram of the shown windows' lengths; a
// double-click shows the window in Explore. Export writes the shown rows.
#pragma once

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <memory>

#include "studies/study_widgets.h"
#include "studies/window_table.h"
#include "study_page.h"

class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;

namespace eqlab::ui {

// Every window of a WindowTable, one row each; Qt::UserRole holds a column's sort key.
class WindowTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Index, Begin, End, Bytes, Text, BitsUsed, Padding, Tokens, Decodable, Closed, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;
    void setTable(std::shared_ptr<const WindowTable> t);
    const WindowTable* windowTable() const { return table_.get(); }
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    std::shared_ptr<const WindowTable> table_;
};

// The windows whose text contains a string (case-insensitive), of a length in [minBytes, maxBytes] and
// with at least minPadding padding bits.
class WindowFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setCriteria(const QString& text, uint64_t minBytes, uint64_t maxBytes, uint64_t minPadding);

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

private:
    QString text_;
    uint64_t minBytes_ = 0, maxBytes_ = UINT64_MAX, minPadding_ = 0;
};

class WindowsPage : public StudyPage {
    Q_OBJECT
public:
    explicit WindowsPage(QWidget* parent = nullptr);
    const WindowTable* result() const { return model_->windowTable(); }
    // The text the shown table was computed from, and its name (null and empty before the first run).
    const std::shared_ptr<const std::vector<uint8_t>>& resultText() const { return resultText_; }
    const QString& resultTextName() const { return resultTextName_; }
    QTableView* view() const { return view_; }
    WindowFilter* filter() const { return filter_; }
    // The shown rows (filtered, in the shown order) as CSV or JSON, by the
    // file's suffix: the CSV of windowRowsCsv, the JSON of eqlab-cli study
    // windows --json (null where a value is unknown).
    void saveTable(const QString& path) const override;
    std::vector<WindowRow> shownRows() const;
    QByteArray shownCsv() const;

signals:
    // A row was double-clicked: show bytes [byteBegin, byteEnd) of `text` (the
    // text the table was computed from, called `textName`) in Explore.
    void jumpToWindow(std::shared_ptr<const std::vector<uint8_t>> text, const QString& textName, uint64_t byteBegin,
                      uint64_t byteEnd);

protected:
    void startRun(const StudyInput& input) override;
    void redraw() override;

private:
    QString show(std::shared_ptr<const WindowTable> table, const StudyInput& input);
    void applyFilter();

    WindowParamFields params_;  // b, k, the termination and M1's reset
    QLineEdit* text_;
    QSpinBox* minBytes_;
    QSpinBox* maxBytes_;
    QSpinBox* minPadding_;
    QLabel* shown_;
    QTableView* view_;
    WindowTableModel* model_;
    WindowFilter* filter_;
    std::shared_ptr<const std::vector<uint8_t>> resultText_;  // what the shown table was computed from
    QString resultTextName_;
};

}  // namespace eqlab::ui
