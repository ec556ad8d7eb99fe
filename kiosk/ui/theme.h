// Colours and sizes of the État design system (DSFR) as the kiosk uses them; sizes are for a 1920×1080 screen.
#pragma once

#include <cstdint>

namespace kiosk::ui {

struct Color {
    uint8_t r = 0, g = 0, b = 0, a = 255;
    static constexpr Color rgb(uint32_t hex) { return { uint8_t(hex >> 16), uint8_t(hex >> 8), uint8_t(hex), 255 }; }
};

namespace theme {
constexpr Color blue_france = Color::rgb(0x000091);
constexpr Color blue_france_hover = Color::rgb(0x1212FF);
constexpr Color blue_light = Color::rgb(0xE3E3FD);
constexpr Color red_marianne = Color::rgb(0xE1000F);
constexpr Color red_light = Color::rgb(0xFFE9E9);
constexpr Color green_success = Color::rgb(0x18753C);
constexpr Color warning = Color::rgb(0xB34000);
constexpr Color white = Color::rgb(0xFFFFFF);
constexpr Color background = Color::rgb(0xF6F6F6);
constexpr Color text = Color::rgb(0x161616);
constexpr Color text_muted = Color::rgb(0x3A3A3A);
constexpr Color border = Color::rgb(0xDDDDDD); // separators and empty bars, never a control's only outline
// The outline of a control on white or on the page: at least 3:1 against both (EN 301 549 / WCAG 1.4.11).
constexpr Color control_border = Color::rgb(0x858585);
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
} // namespace theme

} // namespace kiosk::ui
