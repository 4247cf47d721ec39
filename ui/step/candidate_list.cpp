#include "step/candidate_list.h"

#include <QPainter>
#include <cmath>

#include "step/step_caption.h"
#include "theme.h"

namespace eqlab::ui {

namespace {
constexpr double kRowHeight = 1.45;                // rows, in line heights
constexpr int kRows = kDefaultStepCandidates + 3;  // header, the candidates, one coded outside them, the others
}  // namespace

CandidateList::CandidateList(QWidget* parent) : StepWidget(parent) {
    setObjectName("candidateList");
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);
    setToolTip(
        "The model's most likely next bytes: p is the model's probability, freq/total the quantised share "
        "of the interval the coder gives the byte (total = 2^P), bits = log2(total/freq), what coding it costs.");
}

QSize CandidateList::sizeHint() const {
    const QFontMetrics fm(font());
    return {fm.horizontalAdvance('0') * 40, int(fm.height() * kRowHeight * (kRows + 0.6))};
}

QSize CandidateList::minimumSizeHint() const {
    return sizeHint();
}

void CandidateList::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const Theme& th = Theme::current();
    p.fillRect(rect(), th.background);
    const StepFrame* f = frame();
    const double lh = fontMetrics().height(), rh = lh * kRowHeight;
    const double x0 = lh * 0.5, w = width() - lh;
    // Columns: swatch, byte, p, freq/total, bits (right-aligned numbers).
    const double cSwatch = x0, cByte = x0 + lh * 1.4, cP = x0 + w * 0.42, cFreq = x0 + w * 0.78, cBits = x0 + w;
    double y = lh * 0.3;
    auto right = [&](double xRight, const QString& s) {
        p.drawText(QRectF(xRight - w, y, w, rh), Qt::AlignRight | Qt::AlignVCenter, s);
    };
    p.setFont(scaledFont(0.9, true));
    p.setPen(th.faint);
    p.drawText(QRectF(cByte, y, w, rh), Qt::AlignLeft | Qt::AlignVCenter, "byte");
    right(cP, "p");
    right(cFreq, "freq/total");
    right(cBits, "bits");
    y += rh;
    p.setPen(QPen(th.grid, 1));
    p.drawLine(QPointF(x0, y), QPointF(x0 + w, y));
    if (!f || f->kind != StepFrame::Kind::Code) {
        p.setFont(font());
        p.setPen(th.faint);
        p.drawText(QRectF(x0, y, w, rh * 2), Qt::AlignCenter | Qt::TextWordWrap,
                   f ? "No byte is coded at this step." : "");
        return;
    }
    double shown = 0;
    uint64_t shownFreq = 0;
    for (size_t i = 0; i < f->candidates.size(); ++i) {
        const StepCandidate& c = f->candidates[i];
        const bool chosen = c.cum == f->cum && c.freq == f->freq;
        shown += c.probability;
        shownFreq += c.freq;
        if (chosen) {
            p.setPen(QPen(th.foreground, 2));
            p.setBrush(tint(Theme::series(int(i)), 0.45));
            p.drawRoundedRect(QRectF(x0 - lh * 0.25, y + 1, w + lh * 0.5, rh - 2), 4, 4);
        }
        p.setPen(Qt::NoPen);
        p.setBrush(tint(Theme::series(int(i)), chosen ? 1.0 : 0.55));
        p.drawRect(QRectF(cSwatch, y + rh * 0.2, lh * 0.9, rh * 0.6));
        p.setPen(th.foreground);
        p.setFont(monoFont(1.1, true));
        p.drawText(QRectF(cByte, y, w, rh), Qt::AlignLeft | Qt::AlignVCenter, quotedByte(c.byte));
        p.setFont(monoFont(1.0, chosen));
        right(cP, probabilityText(c.probability));
        right(cFreq, QString("%1/%2").arg(c.freq).arg(f->total));
        right(cBits, c.freq ? QString::number(std::log2(double(f->total) / c.freq), 'f', 2) : QString("∞"));
        y += rh;
    }
    // What the other 256 - n bytes share.
    p.setPen(QPen(th.grid, 1));
    p.drawLine(QPointF(x0, y), QPointF(x0 + w, y));
    p.setFont(scaledFont(0.95));
    p.setPen(th.faint);
    p.drawText(QRectF(cByte, y, w, rh), Qt::AlignLeft | Qt::AlignVCenter,
               QString("%1 others").arg(256 - f->candidates.size()));
    right(cP, probabilityText(std::max(0.0, 1.0 - shown)));
    right(cFreq, QString("%1/%2").arg(f->total > shownFreq ? f->total - shownFreq : 0).arg(f->total));
}

}  // namespace eqlab::ui
