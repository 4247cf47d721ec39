// The numbers of one analysis, each with a sentence a student understands:
// bytes, bits, tokens, windows, bytes/token, bits/byte, padding overhead,
// token-only decodability, and the round trip as a clear pass or fail.
#pragma once

#include <QWidget>

#include "analysis_worker.h"

class QLabel;

namespace eqlab::ui {

class SummaryPanel : public QWidget {
    Q_OBJECT
public:
    explicit SummaryPanel(QWidget* parent = nullptr);
    void showResult(const AnalysisResult* r, uint64_t totalBytes);
    void showMessage(const QString& html);
    QString plainText() const;  // for the clipboard
    // For tests: the value shown for a quantity ("bytes", "tokens", "windows", "round trip", ...).
    QString value(const QString& name) const;

private:
    QLabel* addRow(const QString& name, const QString& tooltip);
    QList<QPair<QLabel*, QLabel*>> rows_;
    QLabel* message_;
};

}  // namespace eqlab::ui
