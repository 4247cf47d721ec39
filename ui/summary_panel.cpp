#include "summary_panel.h"

#include <QGridLayout>
#include <QLabel>
#include <QRegularExpression>

#include "theme.h"
#include "trace_model.h"

namespace eqlab::ui {

SummaryPanel::SummaryPanel(QWidget* parent) : QWidget(parent) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setVerticalSpacing(2);
    message_ = new QLabel;
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    grid->addWidget(message_, 0, 0, 1, 2);
    stale_ = new QLabel;
    stale_->setObjectName("stale");
    stale_->setWordWrap(true);
    stale_->setTextFormat(Qt::PlainText);
    stale_->hide();
    addRow("method", "The method and its parameters, and the model that drove the coder.");
    addRow("bytes", "Bytes of input analysed: the text exactly as bytes (UTF-8), escapes included.");
    addRow("bits", "Bits of output: tokens x log2(vocabulary), padding included (the paper's compressed size).");
    addRow("tokens", "How many tokens the text became. A model trained on the tokens reads this many steps.");
    addRow("windows", "Equal-Info windows (or ac chunks, DEFLATE blocks): stretches coded independently.");
    addRow("bytes/token", "Compression ratio in the paper's sense: input bytes per output token. Higher is shorter.");
    addRow("bits/byte", "Output bits per input byte. 8 means no compression; lower is better.");
    addRow("padding", "Share of output bits that carry no information: each window is padded to exactly b bits.");
    addRow("decodable", "Share of windows that decode from their own tokens alone, with no side information.");
    addRow("time", "Wall time of the encode and the decode check.");
    addRow("round trip", "Decoding the tokens gave back exactly the input bytes.");
    grid->addWidget(stale_, 1, 0, 1, 2);
    grid->setColumnStretch(1, 1);
    for (int i = 0; i < rows_.size(); ++i) {
        grid->addWidget(rows_[i].first, i + 2, 0);
        grid->addWidget(rows_[i].second, i + 2, 1);
    }
    grid->setRowStretch(int(rows_.size()) + 2, 1);
}

QLabel* SummaryPanel::addRow(const QString& name, const QString& tooltip) {
    auto* key = new QLabel(name);
    key->setToolTip(tooltip);
    auto* value = new QLabel("–");
    value->setToolTip(tooltip);
    value->setObjectName(name);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setWordWrap(true);
    rows_.append(qMakePair(key, value));
    return value;
}

QString SummaryPanel::value(const QString& name) const {
    for (const auto& r : rows_)
        if (r.first->text() == name) return r.second->text();
    return {};
}

void SummaryPanel::showMessage(const QString& html) {
    message_->setText(html);
}

void SummaryPanel::setStale(const QString& why) {
    stale_->setText(why);
    stale_->setVisible(!why.isEmpty());
    const Theme& th = Theme::current();
    stale_->setStyleSheet(QString("QLabel { background: %1; color: %2; padding: 3px; border-radius: 3px; }")
                              .arg(th.faint.name(), th.background.name()));
    // Disabled labels draw in the palette's disabled (grey) text colour.
    for (auto& row : rows_) {
        row.first->setEnabled(why.isEmpty());
        row.second->setEnabled(why.isEmpty());
    }
}

bool SummaryPanel::isStale() const {
    return !stale_->text().isEmpty();
}

QString SummaryPanel::staleText() const {
    return stale_->text();
}

void SummaryPanel::showResult(const AnalysisResult* r, uint64_t totalBytes) {
    auto set = [&](const QString& name, const QString& v) {
        for (auto& row : rows_)
            if (row.first->text() == name) row.second->setText(v);
    };
    if (!r) {
        for (auto& row : rows_) row.second->setText("–");
        return;
    }
    const Encoded& e = r->encoded;
    const Theme& th = Theme::current();
    set("method", QString("<b>%1</b><br><small>%2</small>")
                      .arg(QString::fromStdString(e.params.label()).toHtmlEscaped(),
                           QString::fromStdString(r->modelName).toHtmlEscaped()));
    QString bytes = QString("%L1").arg(e.inputBytes);
    if (totalBytes > e.inputBytes)
        bytes += QString(" <span style='color:%1'>(first part of %L2)</span>").arg(th.accent.name()).arg(totalBytes);
    set("bytes", bytes);
    set("bits", QString("%L1").arg(e.bits(), 0, 'f', 0));
    set("tokens", QString("%L1 (v = %L2)").arg(e.tokens.size()).arg(e.vocab));
    const Trace& t = e.trace;
    set("windows", t.segments.empty() ? "–" : segmentCount(t.segments.size(), t.segmentKind));
    set("bytes/token", QString("<b>%1</b>").arg(e.bytesPerToken(), 0, 'f', 3));
    set("bits/byte", QString("%1").arg(e.bitsPerByte(), 0, 'f', 3));
    uint64_t pad = 0, total = 0;
    for (const Segment& s : t.segments) {
        pad += s.paddingBits();
        total += s.bitsTotal;
    }
    set("padding",
        total ? QString("%1% (%L2 bits)").arg(100.0 * double(pad) / double(total), 0, 'f', 1).arg(pad) : "–");
    set("decodable", e.tokenOnlyDecodable ? QString("%1%").arg(100.0 * *e.tokenOnlyDecodable, 0, 'f', 1) : "–");
    set("time", r->roundTripPending || r->roundTripStopped
                    ? QString("%1 s to code%2")
                          .arg(r->seconds, 0, 'f', 2)
                          .arg(r->roundTripPending ? "; checking the round trip" : "")
                    : QString("%1 s").arg(r->seconds, 0, 'f', 2));
    set("round trip", r->roundTripPending   ? QString("<i>checking...</i>")
                      : r->roundTripStopped ? QString("<i>not checked (stopped)</i>")
                      : r->roundTripOk      ? QString("<b style='color:%1'>&#10004; passed</b>").arg(th.good.name())
                                            : QString("<b style='color:%1'>&#10008; FAILED</b>").arg(th.bad.name()));
    message_->setText(r->note.empty() ? QString() : "<i>" + QString::fromStdString(r->note).toHtmlEscaped() + "</i>");
}

QString SummaryPanel::plainText() const {
    QString out = isStale() ? stale_->text() + "\n" : QString();
    for (const auto& r : rows_) {
        QString v = r.second->text();
        v.remove(QRegularExpression("<[^>]*>"));
        v.replace("&#10004;", "OK").replace("&#10008;", "FAILED").replace("&ndash;", "-");
        out += r.first->text() + "\t" + v + "\n";
    }
    return out;
}

}  // namespace eqlab::ui
