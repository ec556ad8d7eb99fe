// Estimating the skew of text lines and rotating a page straight.
#pragma once

#include "kiosk/documents/crop.h"
#include "kiosk/documents/image.h"

namespace kiosk::documents {

// Skews up to this far either way are searched; a page fed more crooked than that is rare, and a wider
// range makes a page of vertical strokes (a table's columns) more likely to win by accident.
inline constexpr double max_skew_degrees = 10.0;

// Below this the page is left unrotated: 0.2° is under one pixel across a text line of 10 cm at 300 dpi,
// and a rotation always softens the text a little.
inline constexpr double min_correction_degrees = 0.2;

// The angle, in degrees, by which the text lines of an overview (reduce_to_gray output) are rotated
// counterclockwise as seen on screen (lines rising to the right are positive). Only the part inside `region`
// (overview pixels) is looked at. 0 when there is too little text to tell.
//
// The dark pixels are projected onto the vertical axis along each candidate angle; along the true angle
// the text lines fall into few bins and the profile's sum of squares peaks. Coarse to fine: every 0.5°
// over ±10°, then every 0.1° and every 0.02° around the best, on half-pixel bins.
double estimate_skew(const Image& overview, Rect region);
double estimate_skew(const Image& overview);

// The part of image inside rect, rotated counterclockwise by degrees about its centre, same size as rect.
// Bilinear, 16.16 fixed point; what comes from outside rect is white.
Image crop_and_rotate(const Image& image, Rect rect, double degrees);
Image rotate(const Image& image, double degrees);

// Estimates the skew of a whole page and rotates it straight when it exceeds min_correction_degrees.
// skew_degrees, when given, receives the estimate.
Image deskew(const Image& page, double* skew_degrees = nullptr);

} // namespace kiosk::documents
