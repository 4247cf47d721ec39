#include "step/step_caption.h"

#include <cmath>

#include "coding/range_coder.h"
#include "coding/trace.h"

namespace eqlab::ui {

namespace {

QString bits(uint64_t n) {
    return n == 1 ? QString("1 bit") : QString("%L1 bits").arg(n);
}

// The model named as a teacher would: "M1" for M1, else "the model".
QString modelWord(const StepThrough& walk) {
    return walk.model.rfind("M1", 0) == 0 ? QString("M1") : QString("the model");
}

const StepCandidate* candidateOf(const StepFrame& f, uint8_t byte) {
    for (const StepCandidate& c : f.candidates)
        if (c.byte == byte) return &c;
    return nullptr;
}

QString boldBits(const std::string& s) {
    return "<b><tt>" + QString::fromStdString(s) + "</tt></b>";
}

QString resetCaption(const StepThrough& walk, const StepFrame& f) {
    const bool windows = walk.params.method == Method::EqualInfoAc;
    QString s = QString("%1 %2 starts").arg(windows ? "Window" : "Chunk").arg(f.segment);
    if (f.byteIndex < walk.bytes.size())
        s += QString(" at byte %L1 (<b>%2</b>)")
                 .arg(f.byteIndex)
                 .arg(quotedByte(walk.bytes[f.byteIndex]).toHtmlEscaped());
    s += ": the coder resets to the whole interval [0, 1)";
    if (walk.params.method == Method::StaticAc)
        s += "; the static model has no context to forget.";
    else if (f.modelReset)
        s += QString(" and %1 forgets its context.").arg(modelWord(walk));
    else
        s += QString(", while %1 keeps the context of the windows before.").arg(modelWord(walk));
    if (windows)
        s += QString(" The window has exactly %1 to fill.").arg(bits(f.segmentBits));
    else if (walk.decoding)
        s += " The decoder starts reading the chunk's bits.";
    return s;
}

// What the renormalisation did: the bits that settled, and the pending ones.
QString settleText(const StepFrame& f) {
    QString s;
    const uint64_t n = f.emitted.size();
    if (n == 0) {
        s = "no bit settles yet: low and high still differ in their first bit";
    } else {
        s = QString("%1 settle%2: %3").arg(bits(n)).arg(n == 1 ? "s" : "").arg(boldBits(f.emitted));
        if (f.pendingBefore > 0)
            s += QString(" (the first releases the %1 pending before it, inverted)").arg(bits(f.pendingBefore));
    }
    if (f.pending > f.pendingBefore && n == 0)
        s += QString("; the interval straddles the middle, so %1 now pending (underflow)")
                 .arg(f.pending == 1 ? QString("1 bit is") : QString("%1 bits are").arg(f.pending));
    else if (f.pending > 0)
        s += QString("; %1 pending (underflow)").arg(f.pending == 1 ? QString("1 bit") : bits(f.pending));
    return s + ".";
}

QString codeCaption(const StepThrough& walk, const StepFrame& f) {
    const uint8_t byte = f.byteIndex < walk.bytes.size() ? walk.bytes[f.byteIndex] : 0;
    const QString b = "<b>" + quotedByte(byte).toHtmlEscaped() + "</b>";
    const StepCandidate* c = candidateOf(f, byte);
    const QString p = c ? QString(" (p = %1)").arg(probabilityText(c->probability)) : QString();
    QString s;
    if (walk.decoding) {
        s = QString(
                "The decoder's code value %1 falls in the slice of %2%3, so it outputs %2 and narrows the "
                "interval to that slice; ")
                .arg(registerHex(f.code), b, p);
    } else {
        s = QString("Byte %1%2: the interval narrows to its slice, %L3/%L4 of it (%5 bits); ")
                .arg(b, p)
                .arg(f.freq)
                .arg(f.total)
                .arg(f.surprisalBits, 0, 'f', 2);
    }
    s += settleText(f);
    return s;
}

QString closeCaption(const StepThrough& walk, const StepFrame& f) {
    const bool windows = walk.params.method == Method::EqualInfoAc;
    const QString noun = segmentNoun(walk);
    QString s;
    if (windows && f.nextByte >= 0) {
        const uint64_t left = f.segmentBits > f.segmentBitsUsed ? f.segmentBits - f.segmentBitsUsed : 0;
        s = QString("Window %1 is full: the next byte <b>%2</b> needs %3 bits (its surprisal is %4 bits), %5")
                .arg(f.segment)
                .arg(quotedByte(uint8_t(f.nextByte)).toHtmlEscaped())
                .arg(nextByteNeed(f))
                .arg(f.nextByteBits, 0, 'f', 2)
                .arg(left == 0
                         ? QString("and no bit is left")
                         : QString("only %1 left").arg(left == 1 ? QString("1 is") : QString("%1 are").arg(left)));
        if (f.bitsWithNext > 0)
            s += QString(" (with it the window would need %1 of its %2)").arg(bits(f.bitsWithNext)).arg(f.segmentBits);
        s += ". ";
    } else if (f.byteIndex >= walk.bytes.size()) {
        s = QString("The text ends, and with it %1 %2. ").arg(noun).arg(f.segment);
    } else {
        s = QString("%1 %2 ends. ").arg(noun[0].toUpper() + noun.mid(1)).arg(f.segment);
    }
    if (walk.decoding) {
        s += QString("The decoder has found every byte of the %1 in its %2").arg(noun, bits(f.segmentBitsUsed));
        s += f.padding.empty() ? QString(".") : QString("; the %1 after them are padding.").arg(bits(f.padding.size()));
        return s;
    }
    s += f.emitted.empty() ? QString("No termination bit is needed")
                           : QString("The coder writes the termination %1").arg(boldBits(f.emitted));
    if (!f.padding.empty())
        s += QString(", and %1 of zero padding fill the %2 to %3.")
                 .arg(bits(f.padding.size()), windows ? noun : QString("last token"), bits(f.segmentBits));
    else
        s += ".";
    return s;
}

}  // namespace

QString byteGlyph(uint8_t byte) {
    if (byte == ' ') return QString::fromUtf8("␣");
    if (byte == '\n') return QString::fromUtf8("⏎");
    if (byte == '\t') return QString::fromUtf8("⇥");
    if (byte > 0x20 && byte < 0x7f) return QString(QChar(byte));
    return "\\x" + QString("%1").arg(byte, 2, 16, QChar('0')).toUpper();
}

QString quotedByte(uint8_t byte) {
    return "'" + byteGlyph(byte) + "'";
}

QString registerHex(uint64_t value) {
    return "0x" + QString("%1").arg(value, kStateBits / 4, 16, QChar('0')).toUpper();
}

QString registerBinary(uint64_t value) {
    QString s;
    for (int i = kStateBits - 1; i >= 0; --i) {
        s += (value >> i) & 1 ? '1' : '0';
        if (i % 8 == 0 && i > 0) s += ' ';
    }
    return s;
}

QString probabilityText(double p) {
    if (p >= 0.01) return QString::number(p, 'f', 2);
    if (p >= 0.0001) return QString::number(p, 'g', 1);
    return "< 0.0001";
}

QString segmentNoun(const StepThrough& walk) {
    return walk.params.method == Method::EqualInfoAc ? "window" : "chunk";
}

QString stepCaption(const StepThrough& walk, size_t frame) {
    const StepFrame& f = walk.frames.at(frame);
    switch (f.kind) {
        case StepFrame::Kind::Reset:
            return resetCaption(walk, f);
        case StepFrame::Kind::Code:
            return codeCaption(walk, f);
        case StepFrame::Kind::Close:
            return closeCaption(walk, f);
    }
    return {};
}

QString nextByteNeed(const StepFrame& close) {
    if (close.bitsWithNext > close.segmentBitsUsed)
        return QString("at least %1").arg(close.bitsWithNext - close.segmentBitsUsed);
    if (close.bitsWithNext == 0) {  // none found within b + kWhyClosedSearchBits
        const uint64_t searched = close.segmentBits + kWhyClosedSearchBits;
        return QString("more than %1").arg(searched > close.segmentBitsUsed ? searched - close.segmentBitsUsed : 0);
    }
    return QString("at least %1").arg(close.nextByteBits, 0, 'f', 1);
}

QString meterText(const StepThrough& walk, size_t frame) {
    const StepFrame& f = walk.frames.at(frame);
    const bool windows = walk.params.method == Method::EqualInfoAc;
    const QString noun = segmentNoun(walk);
    const QString head = QString("%1 %2").arg(noun[0].toUpper() + noun.mid(1)).arg(f.segment);
    switch (f.kind) {
        case StepFrame::Kind::Reset:
            return head + ": " +
                   (f.modelReset && walk.params.method != Method::StaticAc
                        ? QString("coder and %1 context reset").arg(modelWord(walk))
                        : QString("coder reset"));
        case StepFrame::Kind::Code:
            return windows ? QString("%1: %2 committed of b = %3").arg(head, bits(f.segmentBitsUsed)).arg(f.segmentBits)
                           : QString("%1: %2 committed").arg(head, bits(f.segmentBitsUsed));
        case StepFrame::Kind::Close: {
            QString s = head + ": ";
            if (windows && f.nextByte >= 0) {
                const uint64_t left = f.segmentBits > f.segmentBitsUsed ? f.segmentBits - f.segmentBitsUsed : 0;
                s += QString("the next byte %1 needs %2 bits, %3 %4 left")
                         .arg(quotedByte(uint8_t(f.nextByte)))
                         .arg(nextByteNeed(f))
                         .arg(left)
                         .arg(left == 1 ? "is" : "are");
            } else {
                s += QString("%1 used").arg(bits(f.segmentBitsUsed));
            }
            if (!f.padding.empty()) s += QString("; %1 of padding").arg(bits(f.padding.size()));
            return s;
        }
    }
    return {};
}

}  // namespace eqlab::ui
