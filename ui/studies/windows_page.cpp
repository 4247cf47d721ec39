#include "studies/windows_page.h"

#include <qcustomplot.h>

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include "export.h"
#include "theme.h"
#include "zoom.h"

namespace eqlab::ui {

namespace {
constexpr int kMaxLengthFilter = 1 << 20;  // bytes: the length filters' range
constexpr int kTextColumnWidth = 260;      // pixels at 100%: the text column's widest (its tooltip shows it all)
constexpr int kRowPadding = 6;             // pixels a table row is taller than its font

const char* const kHeaders[] = {
    "index",  "byte begin",           "byte end",     "bytes", "text", "bits used", "padding bits",
    "tokens", "token-only decodable", "why it closed"};
const char* const kTips[] = {"The window's position in the stream.",
                             "Its first byte in the text.",
                             "One past its last byte.",
                             "Bytes it covers.",
                             "Its bytes as text (escaped: \\n, \\xHH).",
                             "Bits its bytes needed.",
                             "Zero bits padding it to b.",
                             "Its b / k tokens.",
                             "Whether its tokens alone decode it (no side information).",
                             "The next byte's cost against the bits left."};

QString tokensText(const std::vector<uint32_t>& tokens) {
    QStringList s;
    for (uint32_t t : tokens) s << QString::number(t);
    return s.join(' ');
}

QString decodableText(int8_t d) {
    return d < 0 ? QString("–") : d ? QString("yes") : QString("no");
}

}  // namespace

void WindowTableModel::setTable(std::shared_ptr<const WindowTable> t) {
    beginResetModel();
    table_ = std::move(t);
    endResetModel();
}

int WindowTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !table_ ? 0 : int(table_->rows.size());
}

int WindowTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WindowTableModel::data(const QModelIndex& index, int role) const {
    if (!table_ || !index.isValid() || index.row() >= int(table_->rows.size())) return {};
    const WindowRow& w = table_->rows[size_t(index.row())];
    const bool sortKey = role == Qt::UserRole;
    if (role == Qt::TextAlignmentRole)
        return index.column() == Text || index.column() == Tokens || index.column() == Closed
                   ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter))
                   : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    if (role == Qt::ToolTipRole && (index.column() == Text || index.column() == Closed))
        return QString::fromStdString(index.column() == Text ? w.text : w.closeReason);
    if (role != Qt::DisplayRole && !sortKey) return {};
    switch (index.column()) {
        case Index:
            return qulonglong(w.index);
        case Begin:
            return qulonglong(w.byteBegin);
        case End:
            return qulonglong(w.byteEnd);
        case Bytes:
            return qulonglong(w.byteEnd - w.byteBegin);
        case Text:
            return QString::fromStdString(w.text);
        case BitsUsed:
            return qulonglong(w.bitsUsed);
        case Padding:
            return qulonglong(w.paddingBits);
        case Tokens:
            return sortKey && !w.tokens.empty() ? QVariant(qulonglong(w.tokens[0])) : QVariant(tokensText(w.tokens));
        case Decodable:
            return sortKey ? QVariant(int(w.tokenOnlyDecodable)) : QVariant(decodableText(w.tokenOnlyDecodable));
        case Closed:
            return sortKey ? QVariant(w.nextByteBits) : QVariant(QString::fromStdString(w.closeReason));
        default:
            return {};
    }
}

QVariant WindowTableModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
    if (role == Qt::DisplayRole) return QString(kHeaders[section]);
    if (role == Qt::ToolTipRole) return QString(kTips[section]);
    return {};
}

void WindowFilter::setCriteria(const QString& text, uint64_t minBytes, uint64_t maxBytes, uint64_t minPadding) {
    text_ = text;
    minBytes_ = minBytes;
    maxBytes_ = maxBytes;
    minPadding_ = minPadding;
    invalidateFilter();
}

bool WindowFilter::filterAcceptsRow(int row, const QModelIndex&) const {
    const auto* m = static_cast<const WindowTableModel*>(sourceModel());
    const WindowTable* t = m ? m->windowTable() : nullptr;
    if (!t || row < 0 || row >= int(t->rows.size())) return false;
    const WindowRow& w = t->rows[size_t(row)];
    const uint64_t bytes = w.byteEnd - w.byteBegin;
    if (bytes < minBytes_ || bytes > maxBytes_ || w.paddingBits < minPadding_) return false;
    return text_.isEmpty() || QString::fromStdString(w.text).contains(text_, Qt::CaseInsensitive);
}

WindowsPage::WindowsPage(QWidget* parent)
    : StudyPage("windows", "Every window",
                "The paper (table 8) lists Equal-Info windows with their text and tokens: each window holds as many "
                "bytes as fit in b bits, and closes when the next byte would not fit.",
                parent),
      params_(form(), CodecParams().windowBits, CodecParams().tokenBits,
              WindowParamFields::Termination | WindowParamFields::M1Reset) {
    auto* box = new QWidget;
    auto* boxLayout = new QVBoxLayout(box);
    boxLayout->setContentsMargins(0, 0, 0, 0);
    auto* filters = new QHBoxLayout;
    text_ = new QLineEdit;
    text_->setObjectName("windowText");
    text_->setPlaceholderText("text contains...");
    text_->setToolTip("Show only windows whose (escaped) text contains this, ignoring case.");
    minBytes_ = new QSpinBox;
    minBytes_->setObjectName("minBytes");
    minBytes_->setRange(0, kMaxLengthFilter);
    maxBytes_ = new QSpinBox;
    maxBytes_->setObjectName("maxBytes");
    maxBytes_->setRange(0, kMaxLengthFilter);
    maxBytes_->setSpecialValueText("no limit");  // 0
    maxBytes_->setToolTip("Show only windows of at most this many bytes.");
    minBytes_->setToolTip("Show only windows of at least this many bytes.");
    minPadding_ = new QSpinBox;
    minPadding_->setObjectName("minPadding");
    minPadding_->setRange(0, kMaxWindowBits);
    minPadding_->setToolTip("Show only windows with at least this many padding bits.");
    shown_ = new QLabel;
    filters->addWidget(text_, 2);
    filters->addWidget(new QLabel("bytes from"));
    filters->addWidget(minBytes_);
    filters->addWidget(new QLabel("to"));
    filters->addWidget(maxBytes_);
    filters->addWidget(new QLabel("padding at least"));
    filters->addWidget(minPadding_);
    filters->addWidget(shown_, 1);
    boxLayout->addLayout(filters);
    model_ = new WindowTableModel(this);
    filter_ = new WindowFilter(this);
    filter_->setSourceModel(model_);
    filter_->setSortRole(Qt::UserRole);
    view_ = new QTableView;
    view_->setObjectName("windowsTable");
    view_->setModel(filter_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(WindowTableModel::Index, Qt::AscendingOrder);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setAlternatingRowColors(true);
    view_->setWordWrap(false);
    view_->verticalHeader()->hide();
    Zoom::fitRowsToFont(view_, kRowPadding);
    // Not stretched: a stretched last column gets only the room left, cutting "why it closed" off.
    view_->horizontalHeader()->setStretchLastSection(false);
    view_->setToolTip("Click a header to sort; double-click a window to see it in Explore.");
    boxLayout->addWidget(view_, 1);
    replaceTable(box);
    setChartShare(1, 2);  // the table is what this page is for

    connect(text_, &QLineEdit::textChanged, this, &WindowsPage::applyFilter);
    for (QSpinBox* s : {minBytes_, maxBytes_, minPadding_})
        connect(s, &QSpinBox::valueChanged, this, &WindowsPage::applyFilter);
    connect(view_, &QTableView::doubleClicked, this, [this](const QModelIndex& i) {
        const WindowTable* t = model_->windowTable();
        const QModelIndex source = filter_->mapToSource(i);
        if (!t || !source.isValid() || source.row() >= int(t->rows.size())) return;
        const WindowRow& w = t->rows[size_t(source.row())];
        emit jumpToWindow(resultText_, resultTextName_, w.byteBegin, w.byteEnd);
    });
    redraw();  // empty axes, labelled, until the first run
}

void WindowsPage::startRun(const StudyInput& input) {
    const CodecParams p = params_.params();
    start<WindowTable>(
        input.options,
        [text = input.text, p](const StudyOptions& o) { return runWindowTable(text->data(), text->size(), p, o); },
        [this, input](std::shared_ptr<const WindowTable> t) { return show(std::move(t), input); });
}

QString WindowsPage::show(std::shared_ptr<const WindowTable> table, const StudyInput& input) {
    resultText_ = input.text;
    resultTextName_ = input.textName;
    model_->setTable(table);
    const WindowTable& t = *table;
    view_->resizeColumnsToContents();  // "why it closed" too: the last column, sized to its reasons
    view_->setColumnWidth(WindowTableModel::Text,
                          std::min(view_->columnWidth(WindowTableModel::Text), Zoom::px(kTextColumnWidth)));
    applyFilter();
    uint64_t padded = 0, undecodable = 0;
    for (const WindowRow& w : t.rows) {
        padded += w.paddingBits > 0;
        undecodable += w.tokenOnlyDecodable == 0;
    }
    setFinding(QString("%L1 windows, %2 of them padded, %3 not decodable from their tokens alone.")
                   .arg(t.rows.size())
                   .arg(percent(t.rows.empty() ? 0 : double(padded) / double(t.rows.size()), 0))
                   .arg(percent(t.rows.empty() ? 0 : double(undecodable) / double(t.rows.size()), 0)));
    return QString("Analysed %1 of %2 with %3, %4.")
        .arg(QString::fromStdString(t.scope.describe()), input.textName.toHtmlEscaped(),
             QString::fromStdString(t.modelName).toHtmlEscaped(),
             QString::fromStdString(t.params.label()).toHtmlEscaped());
}

void WindowsPage::applyFilter() {
    const uint64_t maxBytes = maxBytes_->value() == 0 ? UINT64_MAX : uint64_t(maxBytes_->value());
    filter_->setCriteria(text_->text(), uint64_t(minBytes_->value()), maxBytes, uint64_t(minPadding_->value()));
    shown_->setText(QString("%L1 of %L2 windows shown").arg(filter_->rowCount()).arg(model_->rowCount()));
    redraw();
}

void WindowsPage::redraw() {
    // Histogram of the shown windows' lengths in bytes.
    QCustomPlot* p = plot();
    const Theme& th = Theme::current();
    p->clearPlottables();
    std::vector<double> counts;
    const WindowTable* t = model_->windowTable();
    for (int r = 0; t && r < filter_->rowCount(); ++r) {
        const WindowRow& w = t->rows[size_t(filter_->mapToSource(filter_->index(r, 0)).row())];
        const size_t n = size_t(w.byteEnd - w.byteBegin);
        if (counts.size() <= n) counts.resize(n + 1, 0);
        counts[n] += 1;
    }
    QVector<double> keys, values;
    double maxY = 1;
    for (size_t n = 0; n < counts.size(); ++n) {
        keys << double(n);
        values << counts[n];
        maxY = std::max(maxY, counts[n]);
    }
    auto* bars = new QCPBars(p->xAxis, p->yAxis);
    bars->setName("windows shown");
    bars->setData(keys, values, true);
    bars->setBrush(th.series(0));
    bars->setPen(Qt::NoPen);
    bars->setWidth(0.8);
    p->legend->setVisible(false);
    p->xAxis->setLabel("bytes in the window");
    p->yAxis->setLabel("windows shown");
    p->xAxis->setRange(-0.5, std::max<double>(8, double(counts.size())) - 0.5);
    p->yAxis->setRange(0, maxY * 1.1);
    finishPlot(p);
}

std::vector<WindowRow> WindowsPage::shownRows() const {
    std::vector<WindowRow> rows;
    const WindowTable* t = model_->windowTable();
    for (int r = 0; t && r < filter_->rowCount(); ++r)
        rows.push_back(t->rows[size_t(filter_->mapToSource(filter_->index(r, 0)).row())]);
    return rows;
}

QByteArray WindowsPage::shownCsv() const {
    return QByteArray::fromStdString(windowRowsCsv(shownRows()));
}

void WindowsPage::saveTable(const QString& path) const {
    if (!path.endsWith(".json", Qt::CaseInsensitive)) return saveText(path, shownCsv());
    // The fields of eqlab-cli study windows --json; null where a value is unknown.
    saveText(path, QJsonDocument(windowRowsJson(shownRows())).toJson(QJsonDocument::Indented));
}

}  // namespace eqlab::ui
