#include "export.h"

#include <qcustomplot.h>

#include <QBuffer>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QPainter>
#include <QPdfWriter>
#include <QSettings>
#include <QTableWidget>
#include <functional>

#include "analysis/json_report.h"
#include "base/errors.h"
#include "base/output_file.h"
#include "base/text.h"
#include "trace_model.h"

namespace eqlab::ui {

namespace {

QString csvField(const QString& s) {
    return QString::fromStdString(eqlab::csvField(s.toStdString()));
}

// Renders into memory first, then writes through OutputFile: a failed or
// cancelled render leaves no file, and a device or FIFO is written in place.
void write(const QString& path, const QByteArray& data) {
    writeFile(path.toStdString(), reinterpret_cast<const uint8_t*>(data.constData()), size_t(data.size()));
}

}  // namespace

void saveText(const QString& path, const QByteArray& data) {
    write(path, data);
}

void savePdfPages(const QString& path, int pages, const std::function<void(QPainter&, int, QRectF)>& draw,
                  const ProgressFn& progress) {
    QByteArray data;
    QBuffer f(&data);
    f.open(QIODevice::WriteOnly);
    QPdfWriter pdf(&f);
    pdf.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Landscape, QMarginsF(10, 10, 10, 10),
                                  QPageLayout::Millimeter));
    pdf.setResolution(kPdfDpi);
    pdf.setCreator("eqlab");
    QPainter painter(&pdf);
    if (!painter.isActive()) {
        throw IoError("cannot write " + path.toStdString() + ": the PDF writer did not start");
    }
    const QRectF area(QPointF(0, 0), QSizeF(pdf.width(), pdf.height()));
    for (int i = 0; i < pages; ++i) {
        if (progress && !progress(uint64_t(i), uint64_t(pages))) {
            painter.end();
            throw Cancelled();
        }
        if (i > 0 && !pdf.newPage()) {
            painter.end();
            throw IoError("cannot write " + path.toStdString() + ": the PDF writer could not start page " +
                          std::to_string(i + 1));
        }
        painter.save();
        draw(painter, i, area);
        painter.restore();
    }
    painter.end();
    write(path, data);
}

void savePlot(QCustomPlot* plot, const QString& path) {
    QByteArray data;
    QBuffer f(&data);
    f.open(QIODevice::WriteOnly);
    const int w = std::max(plot->width(), 640), h = std::max(plot->height(), 360);
    if (path.endsWith(".pdf", Qt::CaseInsensitive)) {
        QPdfWriter pdf(&f);
        pdf.setPageSize(QPageSize(QSizeF(w, h), QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setResolution(72);
        pdf.setCreator("eqlab");
        QCPPainter painter(&pdf);
        painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNoCaching);
        plot->toPainter(&painter, w, h);
        painter.end();
    } else {
        if (!plot->toPixmap(w, h, 2.0).save(&f, "PNG")) throw IoError("cannot encode PNG " + path.toStdString());
    }
    f.close();
    write(path, data);
}

void saveWidgetPng(QWidget* widget, const QString& path) {
    QByteArray data;
    QBuffer f(&data);
    f.open(QIODevice::WriteOnly);
    if (!widget->grab().save(&f, "PNG")) throw IoError("cannot encode PNG " + path.toStdString());
    f.close();
    write(path, data);
}

QByteArray toCsv(const QStringList& header, const std::vector<QStringList>& rows) {
    QString out;
    auto line = [&](const QStringList& fields) {
        QStringList q;
        for (const QString& s : fields) q << csvField(s);
        out += q.join(',') + '\n';
    };
    line(header);
    for (const QStringList& r : rows) line(r);
    return out.toUtf8();
}

QByteArray windowsCsv(const TraceModel& m) {
    std::vector<QStringList> rows;
    if (const Trace* t = m.trace())
        for (size_t i = 0; i < t->segments.size(); ++i) {
            const Segment& s = t->segments[i];
            rows.push_back({QString::number(i), QString::number(s.byteBegin), QString::number(s.byteEnd),
                            QString::number(s.byteEnd - s.byteBegin), QString::number(s.bitBegin),
                            QString::number(s.bitsUsed), QString::number(s.paddingBits()), QString::number(s.bitsTotal),
                            s.tokenOnlyDecodable < 0 ? QString() : QString::number(s.tokenOnlyDecodable)});
        }
    return toCsv({"index", "byte_begin", "byte_end", "bytes", "bit_begin", "bits_used", "padding_bits", "bits_total",
                  "token_only_decodable"},
                 rows);
}

QByteArray tokensCsv(const TraceModel& m) {
    std::vector<QStringList> rows;
    if (const Trace* t = m.trace())
        for (size_t i = 0; i < t->tokens.size(); ++i) {
            const TokenSpan& s = t->tokens[i];
            rows.push_back({QString::number(i), QString::number(s.value), QString::number(s.bitBegin),
                            QString::number(s.bitEnd), QString::number(s.byteBegin), QString::number(s.byteEnd),
                            m.tokenSplitsCharacter(i) ? "1" : "0"});
        }
    return toCsv({"index", "value", "bit_begin", "bit_end", "byte_begin", "byte_end", "splits_character"}, rows);
}

QByteArray bytesCsv(const TraceModel& m) {
    std::vector<QStringList> rows;
    const Trace* t = m.trace();
    const auto& bytes = m.bytes();
    for (size_t b = 0; b < bytes.size(); ++b) {
        rows.push_back(
            {QString::number(b), QString::number(bytes[b]),
             t && b < t->surprisalBits.size() ? QString::number(double(t->surprisalBits[b]), 'g', 6) : QString(),
             t && b < t->segmentOfByte.size() ? QString::number(t->segmentOfByte[b]) : QString(),
             t && b < t->bitBegin.size() ? QString::number(t->bitBegin[b]) : QString(),
             t && b < t->bitEnd.size() ? QString::number(t->bitEnd[b]) : QString()});
    }
    return toCsv({"offset", "byte", "surprisal_bits", "segment", "bit_begin", "bit_end"}, rows);
}

QByteArray analysisJson(const TraceModel& m) {
    const AnalysisResult* r = m.result();
    if (!r) return "{}\n";
    QJsonObject o = eqlab::analysisJson(r->encoded, r->modelName, r->seconds, true);
    o["round_trip_ok"] = r->roundTripOk;
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

QByteArray tableCsv(const QTableWidget* table) {
    QStringList header;
    for (int c = 0; c < table->columnCount(); ++c)
        header << (table->horizontalHeaderItem(c) ? table->horizontalHeaderItem(c)->text() : QString());
    std::vector<QStringList> rows;
    for (int r = 0; r < table->rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < table->columnCount(); ++c)
            row << (table->item(r, c) ? table->item(r, c)->text() : QString());
        rows.push_back(row);
    }
    return toCsv(header, rows);
}

QByteArray tableJson(const QTableWidget* table) {
    QJsonArray rows;
    for (int r = 0; r < table->rowCount(); ++r) {
        QJsonObject o;
        for (int c = 0; c < table->columnCount(); ++c) {
            const QString key =
                table->horizontalHeaderItem(c) ? table->horizontalHeaderItem(c)->text() : QString::number(c);
            const QString text = table->item(r, c) ? table->item(r, c)->text() : QString();
            bool isNumber = false;
            const double v = QString(text).remove(',').toDouble(&isNumber);
            o[key] = isNumber ? QJsonValue(v) : QJsonValue(text);
        }
        rows.append(o);
    }
    return QJsonDocument(rows).toJson(QJsonDocument::Indented);
}

void saveTable(const QTableWidget* table, const QString& path) {
    saveText(path, path.endsWith(".json", Qt::CaseInsensitive) ? tableJson(table) : tableCsv(table));
}

QString tableTsv(const QTableWidget* table) {
    QString out;
    for (int c = 0; c < table->columnCount(); ++c)
        out += (c ? "\t" : "") + (table->horizontalHeaderItem(c) ? table->horizontalHeaderItem(c)->text() : QString());
    out += '\n';
    for (int r = 0; r < table->rowCount(); ++r) {
        for (int c = 0; c < table->columnCount(); ++c)
            out += (c ? "\t" : "") + (table->item(r, c) ? table->item(r, c)->text() : QString());
        out += '\n';
    }
    return out;
}

QString exportWithDialog(QWidget* parent, const QString& title, const QString& defaultName, const QString& filter,
                         const std::function<void(const QString&)>& write) {
    QSettings settings;
    const QString dir = settings.value("export/dir", QDir::homePath()).toString();
    QString path = QFileDialog::getSaveFileName(parent, title, dir + "/" + defaultName, filter);
    if (path.isEmpty()) return {};
    settings.setValue("export/dir", QFileInfo(path).absolutePath());
    try {
        write(path);
    } catch (const std::exception& e) {
        QMessageBox::warning(parent, "eqlab", QString("Export failed: %1").arg(e.what()));
        return {};
    }
    return path;
}

}  // namespace eqlab::ui
