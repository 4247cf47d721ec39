// The numbers of one analysis, each with a sentence a student understands:
// bytes, bits, tokens, windows, bytes/token, bits/byte, padding overhead,
// token-only decodability, and the round trip as a clear pass or fail.
// Figures that no longer describe the current text (an analysis of the new
// one runs, was cancelled or failed) are greyed under a line saying so.
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
    // Greys the figures under `why` (plain text); empty: they are current again.
    void setStale(const QString& why);
    bool isStale() const;
    QString staleText() const;
    QString plainText() const;  // for the clipboard
    // For tests: the value shown for a quantity ("bytes", "tokens", "windows", "round trip", ...).
    QString value(const QString& name) const;

private:
    QLabel* addRow(const QString& name, const QString& tooltip);
    QList<QPair<QLabel*, QLabel*>> rows_;
    QLabel* message_;
    QLabel* stale_;
};

}  // namespace eqlab::ui
