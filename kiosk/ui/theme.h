// Colours and sizes of the État design system (DSFR) as the kiosk uses them; sizes are for a 1920×1080 screen.
#pragma once

#include <cstdint>

namespace kiosk::ui {

struct Color {
    uint8_t r = 0, g = 0, b = 0, a = 255;
    static constexpr Color rgb(uint32_t hex) { return { uint8_t(hex >> 16), uint8_t(hex >> 8), uint8_t(hex), 255 }; }
};

namespace theme {
// The colours of one look, by the role they play: the État's everyday look (DSFR), or high contrast for people who
// see poorly (accessibility panel). In high contrast "white" (panels, words on the accent colour) is black and the
// accent "blue_france" is yellow: every pair the screens draw keeps its contrast, computed in tests/ui/theme_test.cpp.
struct Palette {
    Color blue_france; // the accent: titles, primary buttons, the session bar
    Color blue_france_hover;
    Color blue_light; // the fill of a chosen option
    Color red_marianne; // danger buttons, errors
    Color red_light;
    Color green_success;
    Color warning;
    Color white; // panels, and words on the accent, danger and success colours
    Color background; // the page
    Color text;
    Color text_muted;
    Color border; // separators and empty bars, never a control's only outline; disabled buttons
    // The outline of a control on a panel or on the page: at least 3:1 against both (EN 301 549 / WCAG 1.4.11).
    Color control_border;
};

inline constexpr Palette standard_palette { Color::rgb(0x000091), Color::rgb(0x1212FF), Color::rgb(0xE3E3FD),
    Color::rgb(0xE1000F), Color::rgb(0xFFE9E9), Color::rgb(0x18753C), Color::rgb(0xB34000), Color::rgb(0xFFFFFF),
    Color::rgb(0xF6F6F6), Color::rgb(0x161616), Color::rgb(0x3A3A3A), Color::rgb(0xDDDDDD), Color::rgb(0x858585) };
// Text at least 7:1, controls at least 4.5:1 (issue 14), light on black.
inline constexpr Palette high_contrast_palette { Color::rgb(0xFFFF00), Color::rgb(0xFFFF66), Color::rgb(0x3D3D00),
    Color::rgb(0xFF6B6B), Color::rgb(0x3D0000), Color::rgb(0x6EF08A), Color::rgb(0xFFB000), Color::rgb(0x000000),
    Color::rgb(0x000000), Color::rgb(0xFFFFFF), Color::rgb(0xE0E0E0), Color::rgb(0x404040), Color::rgb(0xFFFFFF) };

// The palette drawing uses now, set by the UI thread with use() at the start of each frame; each colour by its name.
inline Palette current = standard_palette;
inline Color const& blue_france = current.blue_france;
inline Color const& blue_france_hover = current.blue_france_hover;
inline Color const& blue_light = current.blue_light;
inline Color const& red_marianne = current.red_marianne;
inline Color const& red_light = current.red_light;
inline Color const& green_success = current.green_success;
inline Color const& warning = current.warning;
inline Color const& white = current.white;
inline Color const& background = current.background;
inline Color const& text = current.text;
inline Color const& text_muted = current.text_muted;
inline Color const& border = current.border;
inline Color const& control_border = current.control_border;

inline void use(Palette const& palette)
{
    current = palette;
}

constexpr Color shade = Color { 0, 0, 0, 160 };

// Text sizes in design pixels (at 1080 lines): large enough to read at arm's length.
constexpr int text_small = 30;
constexpr int text_body = 36;
constexpr int text_button = 40;
constexpr int text_title = 58;
constexpr int text_huge = 96;

// 96 design pixels ≈ 25 mm on a 24" 1080p screen and ≥ 15 mm on a 15" 1280×800 one.
constexpr int min_target = 96;
constexpr int top_bar = 120;
constexpr int session_bar = 130;
constexpr int margin = 40;
constexpr int notice_band = 80;
// Large text (accessibility panel): the whole layout 1.5× larger (issue 14).
constexpr double large_text_zoom = 1.5;
} // namespace theme

} // namespace kiosk::ui
