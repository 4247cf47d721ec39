// The window inspector: everything about the selected window (an
// Equal-Info window, an ac chunk or a DEFLATE block) in one panel: its bytes
// with each one's surprisal and the bits emitted while it was coded, the bits
// it used and its padding, its tokens, whether it decodes from its own bits,
// and why it closed (the next byte's cost against the bits left). It follows
// TraceModel's selection (a click in the text, the token strip or the
// bit-allocation chart; Alt+Left / Alt+Right) and exports the window as CSV
// or JSON.
#pragma once

#include <QByteArray>
#include <QString>
#include <QWidget>

#include "studies/window_table.h"

class QLabel;
class QPushButton;
class QTableWidget;

namespace eqlab::ui {

class TraceModel;

// Segment i of the model's trace (i < its segments) as a row of the windows
// table: for eqinfo-ac exactly windowRow() of window_table.h; for ac chunks
// and DEFLATE blocks the same fields, with the tokens overlapping its bits,
// tokenOnlyDecodable -1, no next byte and closeReason saying why such a
// segment ends.
WindowRow segmentRow(const TraceModel& m, size_t i);
// Why segment i closed, in a plain-text sentence for people: "The next byte 'x' costs
// 3.2 bits; with it the window would need 18 bits of 16." for a window a
// byte did not fit into, else why a window, chunk or block ends where it does.
QString whyClosed(const TraceModel& m, size_t i);
// Whether segment i decodes from its own bits, in a sentence.
QString decodesAlone(const TraceModel& m, size_t i);
// Segment i as windowRowsCsv() writes it: the header, then its one row.
QByteArray segmentCsv(const TraceModel& m, size_t i);
// Segment i as one JSON object: windowRowsJson()'s fields, and kind
// ("window", "chunk", "block"), method, bit_begin, bits_total, why_closed
// (the sentence above), decodes_alone, and per_byte: one object per byte
// (offset, byte, char, surprisal_bits or null, bit_begin, bit_end).
QByteArray segmentJson(const TraceModel& m, size_t i);

class WindowInspector : public QWidget {
    Q_OBJECT
public:
    explicit WindowInspector(TraceModel* model, QWidget* parent = nullptr);

    // The segment shown, or -1 (none selected, or the method has none).
    int64_t segment() const { return segment_; }
    // For tests: the sentences and the per-byte table shown.
    QString factsText() const;
    QString whyClosedText() const;
    QTableWidget* bytesTable() const { return bytes_; }
    // Asks for a file (.csv or .json) and writes the window shown there.
    void exportWithDialog();

private:
    void refresh();

    TraceModel* model_;
    int64_t segment_ = -1;
    QLabel* title_;
    QLabel* facts_;
    QLabel* why_;
    QLabel* tokens_;
    QTableWidget* bytes_;
    QPushButton* export_;
};

}  // namespace eqlab::ui
