// How many monospace cells a character takes on screen: two for East Asian
// Wide and Fullwidth characters (CJK ideographs, kana, Hangul, fullwidth
// forms) and for emoji shown as pictures, one for everything else. A pure
// function of the code point, like POSIX wcwidth() but the same on every platform.
#pragma once

namespace eqlab::ui {

// 2 for the East Asian Wide (W) and Fullwidth (F) ranges of Unicode 15's
// EastAsianWidth.txt (which include the emoji with default emoji
// presentation), 1 otherwise. Ranges are merged where the gap between two
// holds only a few narrow symbols: those get two cells too, never too few.
int charColumns(char32_t codePoint);

}  // namespace eqlab::ui
