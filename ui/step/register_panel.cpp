#include "step/register_panel.h"

#include <QPainter>

#include "coding/range_coder.h"
#include "step/step_caption.h"
#include "theme.h"

namespace eqlab::ui {

namespace {
constexpr double kRowHeight = 1.3;  // in line heights
constexpr int kMaxRows = 9;         // three states of two registers, pending, code, bits read

// The interval [low, high] narrowed to [cum, cum + freq) of total = 2^P, as CoderState::code narrows it.
std::pair<uint64_t, uint64_t> narrowed(const StepFrame& f) {
    int precision = 0;
    while ((uint64_t(1) << precision) < f.total) ++precision;
    const uint64_t range = f.highBefore - f.lowBefore + 1;
    return {f.lowBefore + ((range * f.cum) >> precision),
            f.lowBefore + ((range * (uint64_t(f.cum) + f.freq)) >> precision) - 1};
}

// How many leading bits of two registers agree.
int sharedBits(uint64_t a, uint64_t b) {
    const uint64_t d = (a ^ b) & kStateMask;
    return d == 0 ? kStateBits : __builtin_clzll(d) - (64 - kStateBits);
}
}  // namespace

RegisterPanel::RegisterPanel(QWidget* parent) : StepWidget(parent) {
    setObjectName("registerPanel");
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);
    setToolTip(
        "The coder's registers: low and high are 32-bit binary fractions (high with implicit trailing 1s). "
        "When the chosen slice's low and high share their leading bits, those bits are decided: they are "
        "written out (settle) and the registers shift left. Pending bits are underflow shifts whose value is "
        "known only once the next bit settles.");
}

QSize RegisterPanel::sizeHint() const {
    // The heading column, then "high  0x00000000  " and 32 bits in four groups.
    const double w = fontMetrics().height() * 0.5 +
                     QFontMetricsF(scaledFont(0.95, true)).horizontalAdvance("before  ") +
                     QFontMetricsF(monoFont(0.95)).horizontalAdvance(QString(6 + 12 + 35 + 1, '0'));
    return {int(w + 0.5), int(fontMetrics().height() * kRowHeight * (kMaxRows + 0.5))};
}

QSize RegisterPanel::minimumSizeHint() const {
    return sizeHint();
}

void RegisterPanel::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const Theme& th = Theme::current();
    p.fillRect(rect(), th.background);
    const StepFrame* f = frame();
    if (!f) return;
    const StepThrough& w = *walk();
    const double rh = fontMetrics().height() * kRowHeight;
    const QFont label = scaledFont(0.95, true), mono = monoFont(0.95), monoBold = monoFont(0.95, true);
    const QFontMetricsF mfm(mono);
    const double x0 = fontMetrics().height() * 0.5;
    const double xName = x0 + QFontMetricsF(label).horizontalAdvance("before  ");
    const double xHex = xName + mfm.horizontalAdvance("high  ");
    const double xBin = xHex + mfm.horizontalAdvance("0x00000000  ");
    double y = 0;

    // One register: its name, hex, and binary with the first `marked` bits on a highlight.
    auto reg = [&](const QString& name, uint64_t v, int marked, const QColor& ink) {
        p.setFont(mono);
        p.setPen(th.faint);
        p.drawText(QRectF(xName, y, xHex - xName, rh), Qt::AlignLeft | Qt::AlignVCenter, name);
        p.setPen(ink);
        p.drawText(QRectF(xHex, y, xBin - xHex, rh), Qt::AlignLeft | Qt::AlignVCenter, registerHex(v));
        const QString bin = registerBinary(v);
        double x = xBin;
        int bit = 0;
        for (const QChar ch : bin) {
            const double cw = mfm.horizontalAdvance(ch);
            if (ch != ' ') {
                const bool mark = bit < marked;
                if (mark) p.fillRect(QRectF(x, y + rh * 0.1, cw, rh * 0.8), tint(th.highlight, 0.5));
                p.setFont(mark ? monoBold : mono);
                p.setPen(ink);
                p.drawText(QRectF(x, y, cw, rh), Qt::AlignCenter, ch);
                ++bit;
            }
            x += cw;
        }
        y += rh;
    };
    auto heading = [&](const QString& name) {
        p.setFont(label);
        p.setPen(th.foreground);
        p.drawText(QRectF(x0, y, xName - x0, rh), Qt::AlignLeft | Qt::AlignVCenter, name);
    };
    auto line = [&](const QString& name, const QString& text) {
        p.setFont(mono);
        p.setPen(th.faint);
        p.drawText(QRectF(xName, y, xHex - xName, rh), Qt::AlignLeft | Qt::AlignVCenter, name);
        p.setPen(th.foreground);
        p.drawText(QRectF(xHex, y, width() - xHex, rh), Qt::AlignLeft | Qt::AlignVCenter, text);
        y += rh;
    };

    heading("before");
    reg("low", f->lowBefore, 0, th.foreground);
    reg("high", f->highBefore, 0, th.foreground);
    if (f->kind == StepFrame::Kind::Code) {
        const auto [lo, hi] = narrowed(*f);
        const int n = sharedBits(lo, hi);
        y += rh * 0.15;
        heading("slice");
        reg("low", lo, n, th.foreground);
        reg("high", hi, n, th.foreground);
    }
    y += rh * 0.15;
    heading("after");
    reg("low", f->low, 0, th.foreground);
    reg("high", f->high, 0, th.foreground);
    y += rh * 0.15;
    line("pend", QString("%1 → %2 underflow bit%3 pending")
                     .arg(f->pendingBefore)
                     .arg(f->pending)
                     .arg(f->pending == 1 ? "" : "s"));
    if (w.decoding && f->kind == StepFrame::Kind::Code) {
        reg("code", f->code, 0, th.bad);
        line("read", f->bitsRead >= uint64_t(kStateBits)
                         ? QString("%1 bits: %2 fill the code register, %3 shifted through")
                               .arg(f->bitsRead)
                               .arg(kStateBits)
                               .arg(f->bitsRead - kStateBits)
                         : QString("%1 bits").arg(f->bitsRead));
    }
}

}  // namespace eqlab::ui
