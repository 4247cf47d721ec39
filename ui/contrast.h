// Text that stays readable on any background: WCAG 2 relative luminance and
// contrast ratio, and the choice of a text colour for a background.
#pragma once

#include <QColor>

namespace eqlab::ui {

// WCAG 2 relative luminance of an sRGB colour, 0 (black) to 1 (white).
double relativeLuminance(const QColor& c);
// WCAG 2 contrast ratio of two colours, 1 (none) to 21 (black on white).
double contrastRatio(const QColor& a, const QColor& b);

// Minimum contrast ratio for normal text (WCAG 2 level AA).
constexpr double kReadableContrast = 4.5;
// Minimum for marks told apart by their colour (escapes, line-end arrows):
// WCAG 2's 3:1 for large text and for parts of a graphic.
constexpr double kMarkContrast = 3.0;

// `preferred` when it contrasts with `background` by at least `minimum`,
// else black or white, whichever contrasts more.
QColor readableOn(const QColor& background, const QColor& preferred, double minimum = kReadableContrast);

}  // namespace eqlab::ui
