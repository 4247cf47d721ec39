#include "window_inspector.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "base/errors.h"
#include "base/text.h"
#include "contrast.h"
#include "export.h"
#include "theme.h"
#include "trace_model.h"

namespace eqlab::ui {

namespace {

constexpr int kMaxTableBytes = 4096;  // bytes listed in the table; an export has them all
constexpr int kMaxTokensShown = 64;   // token values listed in the panel; an export has them all

QString kindOf(const TraceModel& m) {
    const std::string& k = m.trace()->segmentKind;
    return k.empty() ? QString("segment") : QString::fromStdString(k);
}

QString capitalised(QString s) {
    if (!s.isEmpty()) s[0] = s[0].toUpper();
    return s;
}

// The byte at `b` for a sentence: "'x'", "'\n'", or the character it starts: "'中' (0xE4, its first byte)".
QString byteInWords(const TraceModel& m, uint64_t b) {
    const auto& bytes = m.bytes();
    const uint8_t v = bytes[b];
    const Cell c = cellAt(bytes.data(), bytes.size(), b);
    if (c.kind == Cell::Char && c.length > 1)
        return QString("'%1' (0x%2, the first of its %3 bytes)")
            .arg(c.display())
            .arg(v, 2, 16, QChar('0'))
            .arg(c.length);
    return "'" + QString::fromStdString(escapeText(&v, 1)) + "'";
}

bool isEqualInfo(const TraceModel& m) {
    return m.result()->encoded.params.method == Method::EqualInfoAc;
}

}  // namespace

WindowRow segmentRow(const TraceModel& m, size_t i) {
    const Encoded& e = m.result()->encoded;
    if (isEqualInfo(m)) return windowRow(e, m.bytes().data(), i);
    const Segment& s = m.trace()->segments[i];
    WindowRow r;
    r.index = i;
    r.byteBegin = s.byteBegin;
    r.byteEnd = s.byteEnd;
    r.text = escapeText(m.bytes().data() + s.byteBegin, size_t(s.byteEnd - s.byteBegin));
    r.bitsUsed = s.bitsUsed;
    r.paddingBits = s.paddingBits();
    const auto [t0, t1] = m.tokensOfSegment(i);
    for (size_t t = t0; t < t1; ++t) r.tokens.push_back(m.trace()->tokens[t].value);
    r.tokenOnlyDecodable = -1;
    if (s.byteEnd >= e.inputBytes)
        r.closeReason = "stream ended";
    else if (m.trace()->segmentKind == "chunk")
        r.closeReason = "chunks are " + std::to_string(e.params.chunkBytes) + " bytes";
    else
        r.closeReason = "zlib ended the block";
    return r;
}

QString whyClosed(const TraceModel& m, size_t i) {
    const Encoded& e = m.result()->encoded;
    const Segment& s = m.trace()->segments[i];
    const QString kind = kindOf(m);
    const bool textEnded = s.byteEnd >= e.inputBytes;
    if (!isEqualInfo(m)) {
        if (textEnded) return QString("The text ended: this is the last %1.").arg(kind);
        if (kind == "chunk")
            return QString(
                       "%1 codes the text in independent chunks of %L2 bytes: the coder and the model start afresh "
                       "at byte %L3.")
                .arg(QString::fromStdString(methodName(e.params.method)))
                .arg(e.params.chunkBytes)
                .arg(s.byteEnd);
        return QString(
                   "zlib ended this DEFLATE block here (it chooses block boundaries itself, from the statistics "
                   "of the data so far); the next block starts at byte %L1.")
            .arg(s.byteEnd);
    }
    const WindowRow r = windowRow(e, m.bytes().data(), i);
    if (r.nextByte < 0) {
        if (textEnded) return "The text ended: the window holds its last bytes, and is padded to b bits.";
        return QString(
                   "Its stream ended: eqinfo-ac codes the text in streams of %L1 bytes, and the next stream "
                   "starts at byte %L2 with a fresh window.")
            .arg(e.params.chunkBytes)
            .arg(s.byteEnd);
    }
    const QString next = byteInWords(m, s.byteEnd);
    const uint64_t b = s.bitsTotal;
    if (s.nextByte < 0)  // an encoding whose windows do not record why they closed
        return QString("The next byte %1 did not fit in the window's %2 bits.").arg(next).arg(b);
    const QString cost = QString("The next byte %1 costs %2 bits").arg(next).arg(r.nextByteBits, 0, 'f', 1);
    const QString left =
        QString(" (the window used %1, %2 were left as padding).").arg(s.bitsUsed).arg(s.paddingBits());
    if (r.bitsWithNext == 0)
        return cost +
               QString("; with it the window would need more than %1 bits of %2").arg(b + kWhyClosedSearchBits).arg(b) +
               left;
    return cost + QString("; with it the window would need %1 bits of %2").arg(r.bitsWithNext).arg(b) + left;
}

QString decodesAlone(const TraceModel& m, size_t i) {
    const Segment& s = m.trace()->segments[i];
    const CodecParams& p = m.result()->encoded.params;
    if (!isEqualInfo(m))
        return QString(
                   "Not applicable: a %1 is not meant to decode from its tokens alone (only Equal-Info "
                   "windows are).")
            .arg(kindOf(m));
    if (s.tokenOnlyDecodable == 1) return "Yes: its tokens alone decode to exactly these bytes.";
    if (s.tokenOnlyDecodable == 0)
        return "No: from its tokens alone a decoder finds more than one byte count that fits; the side "
               "information picks this one.";
    if (p.termination == CodecParams::Termination::Distinct)
        return p.m1Reset == 1 ? "Yes, by construction: the distinct termination makes every window decode from "
                                "its own bits."
                              : "Yes, given the windows of its stream before it (M1's context outlives a "
                                "window): the distinct termination makes the bits name the byte count.";
    return "Not measured for this encoding.";
}

QByteArray segmentCsv(const TraceModel& m, size_t i) {
    return QByteArray::fromStdString(windowRowsCsv({segmentRow(m, i)}));
}

QByteArray segmentJson(const TraceModel& m, size_t i) {
    const Trace& t = *m.trace();
    const Segment& s = t.segments[i];
    QJsonObject o = windowRowsJson({segmentRow(m, i)})[0].toObject();
    o["kind"] = kindOf(m);
    o["method"] = QString::fromStdString(m.result()->encoded.params.label());
    o["bit_begin"] = double(s.bitBegin);
    o["bits_total"] = double(s.bitsTotal);
    o["why_closed"] = whyClosed(m, i);
    o["decodes_alone"] = decodesAlone(m, i);
    QJsonArray perByte;
    const auto& bytes = m.bytes();
    for (uint64_t b = s.byteBegin; b < s.byteEnd; ++b) {
        QJsonObject x;
        x["offset"] = double(b);
        x["byte"] = int(bytes[b]);
        const Cell& c = m.cells()[m.cellOfByte(b)];
        x["char"] = c.byte == b ? c.display() : QString();
        x["surprisal_bits"] =
            b < t.surprisalBits.size() ? QJsonValue(double(t.surprisalBits[b])) : QJsonValue(QJsonValue::Null);
        x["bit_begin"] = b < t.bitBegin.size() ? QJsonValue(double(t.bitBegin[b])) : QJsonValue(QJsonValue::Null);
        x["bit_end"] = b < t.bitEnd.size() ? QJsonValue(double(t.bitEnd[b])) : QJsonValue(QJsonValue::Null);
        perByte.append(x);
    }
    o["per_byte"] = perByte;
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

WindowInspector::WindowInspector(TraceModel* model, QWidget* parent) : QWidget(parent), model_(model) {
    setObjectName("windowInspector");
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 0, 0, 0);
    auto* head = new QHBoxLayout;
    title_ = new QLabel;
    title_->setObjectName("inspectorTitle");
    auto* prev = new QToolButton;
    prev->setArrowType(Qt::LeftArrow);
    prev->setToolTip("Previous window (Alt+Left)");
    auto* next = new QToolButton;
    next->setArrowType(Qt::RightArrow);
    next->setToolTip("Next window (Alt+Right)");
    head->addWidget(title_, 1);
    head->addWidget(prev);
    head->addWidget(next);
    layout->addLayout(head);

    facts_ = new QLabel;
    facts_->setObjectName("inspectorFacts");
    facts_->setWordWrap(true);
    facts_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    facts_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    why_ = new QLabel;
    why_->setObjectName("inspectorWhy");
    why_->setWordWrap(true);
    why_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    why_->setToolTip(
        "Why the window closed where it did: Equal-Info windows take bytes while the coder, terminated after "
        "the byte, still fits in b bits; the next byte's cost is its surprisal at the window's end.");
    tokens_ = new QLabel;
    tokens_->setWordWrap(true);
    tokens_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(facts_);
    layout->addWidget(why_);
    layout->addWidget(tokens_);

    bytes_ = new QTableWidget(0, 4);
    bytes_->setObjectName("inspectorBytes");
    bytes_->setHorizontalHeaderLabels({"offset", "char", "surprisal (bits)", "bits emitted"});
    bytes_->verticalHeader()->hide();
    bytes_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    bytes_->setSelectionBehavior(QAbstractItemView::SelectRows);
    bytes_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    bytes_->horizontalHeader()->setStretchLastSection(true);
    bytes_->setToolTip(
        "The window's bytes: each one's surprisal (the bits the model's quantised distribution spends on it) "
        "and the stream bits the coder emitted while coding it (bits often settle a few bytes later).");
    layout->addWidget(bytes_, 1);

    export_ = new QPushButton("Export this window...");
    export_->setToolTip(
        "Write this window as CSV (the Studies windows table's columns) or JSON (also every "
        "byte's surprisal) (Ctrl+Shift+W).");
    layout->addWidget(export_);

    connect(prev, &QToolButton::clicked, model_, [this] { model_->stepSegment(-1); });
    connect(next, &QToolButton::clicked, model_, [this] { model_->stepSegment(+1); });
    connect(export_, &QPushButton::clicked, this, &WindowInspector::exportWithDialog);
    connect(model_, &TraceModel::highlightChanged, this, [this] {
        if (model_->currentSegment() != segment_) refresh();
    });
    connect(model_, &TraceModel::resultChanged, this, &WindowInspector::refresh);
    connect(model_, &TraceModel::staleChanged, this, &WindowInspector::refresh);
    refresh();
}

QString WindowInspector::factsText() const {
    return facts_->text();
}

QString WindowInspector::whyClosedText() const {
    return why_->text();
}

void WindowInspector::exportWithDialog() {
    if (segment_ < 0) return;
    const size_t i = size_t(segment_);
    const QString name = QString("eqlab-%1-%2").arg(kindOf(*model_)).arg(i);
    // The file dialog runs the event loop: an analysis may replace the trace meanwhile.
    const AnalysisResult* shown = model_->result();
    eqlab::ui::exportWithDialog(
        this, "Export this window", name + ".csv", "CSV (*.csv);;JSON (*.json)", [this, i, shown](const QString& path) {
            const Trace* t = model_->trace();
            if (model_->result() != shown || !t || i >= t->segments.size())
                throw InvalidArgument("the analysis changed while the dialog was open");
            saveText(path,
                     path.endsWith(".json", Qt::CaseInsensitive) ? segmentJson(*model_, i) : segmentCsv(*model_, i));
        });
}

void WindowInspector::refresh() {
    const Trace* t = model_->trace();
    const int64_t seg = model_->currentSegment();
    segment_ = t && seg >= 0 && size_t(seg) < t->segments.size() ? seg : -1;
    export_->setEnabled(segment_ >= 0);
    bytes_->setRowCount(0);
    if (segment_ < 0) {
        title_->setText("<b>Window inspector</b>");
        facts_->setText(!t ? "<i>No analysis yet.</i>"
                        : t->segments.empty()
                            ? QString("<i>%1 has no windows, chunks or blocks: nothing to inspect.</i>")
                                  .arg(QString::fromStdString(methodName(model_->result()->encoded.params.method)))
                            : QString("<i>Select a %1: click it in the text, the token strip or "
                                      "the chart, or step with Alt+Left / Alt+Right. Ctrl+G goes "
                                      "to a window or a byte.</i>")
                                  .arg(kindOf(*model_)));
        why_->clear();
        tokens_->clear();
        return;
    }
    const size_t i = size_t(segment_);
    const Segment& s = t->segments[i];
    const QString kind = kindOf(*model_);
    const Theme& th = Theme::current();
    title_->setText(QString("<b>%1 %L2</b> of %L3").arg(capitalised(kind)).arg(i).arg(t->segments.size()));
    const uint64_t n = s.byteEnd - s.byteBegin;
    const QString text = QString::fromStdString(escapeText(model_->bytes().data() + s.byteBegin, size_t(n)));
    QString facts;
    if (model_->stale())
        facts += QString("<span style='color:%1'><b>Stale:</b> %2</span><br>")
                     .arg(th.bad.name(), model_->staleReason().toHtmlEscaped());
    facts += QString("<b>Bytes</b> %L1&ndash;%L2 (%L3 byte%4): <tt>&ldquo;%5&rdquo;</tt>")
                 .arg(s.byteBegin)
                 .arg(s.byteEnd - 1)
                 .arg(n)
                 .arg(n == 1 ? "" : "s")
                 .arg((text.size() > 200 ? text.left(200) + "..." : text).toHtmlEscaped());
    facts += QString("<br><b>Bits</b> %L1 used + %L2 padding = %L3 (stream bits %L4&ndash;%L5)")
                 .arg(s.bitsUsed)
                 .arg(s.paddingBits())
                 .arg(s.bitsTotal)
                 .arg(s.bitBegin)
                 .arg(s.bitBegin + s.bitsTotal - 1);
    if (!t->surprisalBits.empty()) {
        double sum = 0;
        for (uint64_t b = s.byteBegin; b < s.byteEnd; ++b) sum += double(t->surprisalBits[b]);
        facts += QString("<br><b>Surprisal</b> %1 bits in all, %2 bits/byte")
                     .arg(sum, 0, 'f', 1)
                     .arg(sum / double(n), 0, 'f', 2);
    }
    facts += "<br><b>Decodes from its own bits:</b> " + decodesAlone(*model_, i).toHtmlEscaped();
    facts_->setText(facts);
    why_->setText("<b>Why it closed:</b> " + whyClosed(*model_, i).toHtmlEscaped());

    const auto [t0, t1] = model_->tokensOfSegment(i);
    QStringList values;
    for (size_t k = t0; k < t1 && values.size() < kMaxTokensShown; ++k) values << QString::number(t->tokens[k].value);
    if (t1 - t0 > size_t(kMaxTokensShown)) values << "...";
    tokens_->setText(QString("<b>Tokens</b> %L1&ndash;%L2 (%L3): <tt>%4</tt>")
                         .arg(t0)
                         .arg(t1 == t0 ? t0 : t1 - 1)
                         .arg(t1 - t0)
                         .arg(values.join(' ')));

    // One row per byte; a multi-byte character names its place in each.
    const uint64_t shown = std::min<uint64_t>(n, kMaxTableBytes);
    bytes_->setRowCount(int(shown));
    const auto& data = model_->bytes();
    for (uint64_t r = 0; r < shown; ++r) {
        const uint64_t b = s.byteBegin + r;
        const Cell& c = model_->cells()[model_->cellOfByte(b)];
        QString ch = c.display();
        if (c.length > 1) ch += QString(" %1/%2").arg(b - c.byte + 1).arg(c.length);
        auto* offset = new QTableWidgetItem(QString("%L1").arg(b));
        auto* chr = new QTableWidgetItem(QString("%1  0x%2").arg(ch).arg(data[b], 2, 16, QChar('0')));
        auto* bits = new QTableWidgetItem(
            b < t->surprisalBits.size() ? QString::number(double(t->surprisalBits[b]), 'f', 2) : QString("–"));
        if (b < t->surprisalBits.size()) {
            const QColor bg = th.surprisal(double(t->surprisalBits[b]));
            bits->setBackground(bg);
            bits->setForeground(readableOn(bg, th.foreground));
        }
        auto* emitted =
            new QTableWidgetItem(b < t->bitEnd.size() ? QString::number(t->bitEnd[b] - t->bitBegin[b]) : QString("–"));
        for (QTableWidgetItem* item : {offset, bits, emitted})
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        bytes_->setItem(int(r), 0, offset);
        bytes_->setItem(int(r), 1, chr);
        bytes_->setItem(int(r), 2, bits);
        bytes_->setItem(int(r), 3, emitted);
    }
    if (shown < n)
        tokens_->setText(tokens_->text() +
                         QString("<br><i>The table lists the first %L1 of %L2 bytes; the export has them all.</i>")
                             .arg(shown)
                             .arg(n));
}

}  // namespace eqlab::ui
