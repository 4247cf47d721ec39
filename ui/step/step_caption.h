// The words of the step-through: a plain-language caption per frame (what a
// teacher reads aloud) and the small formatters the Step tab's widgets share
// for bytes, registers and probabilities.
#pragma once

#include <QString>
#include <cstdint>

#include "analysis/step_through.h"

namespace eqlab::ui {

// A byte as one short glyph: printable ASCII as itself, a space as "␣", a
// newline as "⏎", a tab as "⇥", any other byte as "\xNN".
QString byteGlyph(uint8_t byte);
// The glyph in quotes for running text: 'e', '␣', '\xE2'.
QString quotedByte(uint8_t byte);
// A kStateBits-bit register: "0x3A2F1C00", and "00111010 00101111 ..." (bytes apart).
QString registerHex(uint64_t value);
QString registerBinary(uint64_t value);
// A probability for reading aloud: "0.31", "0.004", "< 0.0001".
QString probabilityText(double p);

// "window" for eqinfo-ac, "chunk" for ac and static-ac.
QString segmentNoun(const StepThrough& walk);

// The caption of frame `frame` (< walk.frames.size()), as rich text (bold
// bytes and bits): what the coder (or decoder) does at this step and why.
QString stepCaption(const StepThrough& walk, size_t frame);

// The window meter's sentence for frame `frame`: at a Reset "coder reset" or
// "coder and M1 context reset"; at a Close why the segment closed ("the next
// byte 'x' needs at least X bits, Y are left") and the padding; otherwise the
// bits committed so far of the segment's size. Plain text.
QString meterText(const StepThrough& walk, size_t frame);

// At a Close on a byte that did not fit: the bits that byte would need on top
// of the window's, "at least X" above: X = bitsWithNext - segmentBitsUsed (its
// surprisal plus what it adds to the pending bits and the terminator); where
// no size was found within b + kWhyClosedSearchBits (bitsWithNext 0) "more
// than N", N = b + kWhyClosedSearchBits - segmentBitsUsed.
QString nextByteNeed(const StepFrame& close);

}  // namespace eqlab::ui
