// Writing what the views show: charts as PNG or PDF, traces and tables as
// CSV or JSON. Each is rendered in memory, then written through OutputFile
// (base/output_file.h): atomically for a regular file, so a failed or
// cancelled export never leaves a half-written file behind; in place for a
// device or FIFO.
#pragma once

#include <QRectF>
#include <QString>
#include <QStringList>
#include <functional>
#include <vector>

#include "base/progress.h"

class QCustomPlot;
class QPainter;
class QTableWidget;
class QWidget;

namespace eqlab::ui {

class TraceModel;

// By the file's suffix: .png or .pdf. Throws eqlab::IoError.
void savePlot(QCustomPlot* plot, const QString& path);
void saveWidgetPng(QWidget* widget, const QString& path);
void saveText(const QString& path, const QByteArray& data);
// A PDF of `pages` (>= 1) landscape A4 pages (a handout): draw(painter, i, area) paints page i
// into `area`, the page inside its margins, in device pixels at kPdfDpi (so a
// widget's point-sized fonts keep their on-screen proportions). progress(i, pages)
// is called before each page and may cancel: Cancelled is thrown and no file is
// left. Throws IoError when the file cannot be written.
constexpr int kPdfDpi = 96;
void savePdfPages(const QString& path, int pages, const std::function<void(QPainter&, int, QRectF)>& draw,
                  const ProgressFn& progress = {});

// CSV with a header row; fields are quoted when they need it.
QByteArray toCsv(const QStringList& header, const std::vector<QStringList>& rows);
QByteArray windowsCsv(const TraceModel& m);    // one row per window/segment
QByteArray tokensCsv(const TraceModel& m);     // one row per token
QByteArray bytesCsv(const TraceModel& m);      // one row per byte
QByteArray analysisJson(const TraceModel& m);  // eqlab-cli analyze --json --trace's shape
QByteArray tableCsv(const QTableWidget* table);
QByteArray tableJson(const QTableWidget* table);  // an array of objects keyed by the column headers
// By the file's suffix: .json or .csv.
void saveTable(const QTableWidget* table, const QString& path);
QString tableTsv(const QTableWidget* table);  // for the clipboard

// Asks for a file name (remembering the folder) and writes with `write`;
// reports errors in a message box. Returns the path written or empty.
QString exportWithDialog(QWidget* parent, const QString& title, const QString& defaultName, const QString& filter,
                         const std::function<void(const QString&)>& write);

}  // namespace eqlab::ui
