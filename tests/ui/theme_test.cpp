// The theme's colour pairs, computed: text at least 4.5:1 on what it is drawn on, control outlines and fills at
// least 3:1 against the page (EN 301 549 9.1.4.3 and 9.1.4.11, as WCAG 2.1 1.4.3 and 1.4.11).
#include "kiosk/ui/canvas.h"
#include "kiosk/ui/theme.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace kiosk::ui;

namespace {

double channel(uint8_t value)
{
    double c = value / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(Color c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double contrast(Color a, Color b)
{
    double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

TEST_CASE("contrast is computed as WCAG defines it")
{
    CHECK(contrast(theme::white, Color::rgb(0x000000)) == Approx(21.0));
    CHECK(contrast(theme::white, theme::white) == Approx(1.0));
    CHECK(contrast(theme::white, Color::rgb(0x767676)) == Approx(4.54).epsilon(0.01));
}

// Each look with its bar: the État's everyday look at WCAG AA, high contrast at 7:1 for text and 4.5:1 for controls
// (issue 14).
struct Look {
    char const* name;
    theme::Palette const& palette;
    double text_min;
    double control_min;
};

Look const looks[] = { { "standard", theme::standard_palette, 4.5, 3.0 },
    { "high contrast", theme::high_contrast_palette, 7.0, 4.5 } };

// Draws with a look for the length of a test, then puts the standard one back.
struct Using {
    explicit Using(theme::Palette const& palette) { theme::use(palette); }
    ~Using() { theme::use(theme::standard_palette); }
};

TEST_CASE("every text colour reads on the backgrounds it is drawn on, in each look")
{
    for (auto const& look : looks) {
        Using palette(look.palette);
        struct Pair {
            char const* what;
            Color text, background;
        };
        Pair const pairs[] = { { "body text on the page", theme::text, theme::background },
            { "body text on a panel", theme::text, theme::white },
            { "muted text on a panel", theme::text_muted, theme::white },
            { "muted text on the page", theme::text_muted, theme::background },
            { "titles on the top bar", theme::blue_france, theme::white },
            { "primary button words", theme::white, theme::blue_france },
            { "secondary button words", theme::blue_france, theme::white },
            { "selected button words", theme::blue_france, theme::blue_light },
            { "danger button words", theme::white, theme::red_marianne },
            { "disabled button words", theme::text_muted, theme::border },
            { "session bar words", theme::white, theme::blue_france },
            { "success on a panel", theme::green_success, theme::white },
            { "success on the page", theme::green_success, theme::background },
            { "warnings on the page", theme::warning, theme::background },
            { "warnings on a panel", theme::warning, theme::white },
            { "errors on the page", theme::red_marianne, theme::background },
            { "errors on a panel", theme::red_marianne, theme::white } };
        for (auto const& pair : pairs) {
            INFO(look.name << ": " << pair.what);
            CHECK(contrast(pair.text, pair.background) >= look.text_min);
        }
    }
}

TEST_CASE("every control's outline or fill stands out from what is around it, as the canvas draws it, in each look")
{
    for (auto const& look : looks) {
        Using palette(look.palette);
        // What a button is drawn with, from the canvas itself; where it is drawn: the page, a white panel, and for
        // the session bar's buttons (secondary and danger) the blue bar.
        struct Case {
            char const* what;
            ButtonStyle style;
            Color around;
        };
        Case const cases[] = { { "primary on the page", ButtonStyle::primary, theme::background },
            { "primary on a panel", ButtonStyle::primary, theme::white },
            { "secondary on the page", ButtonStyle::secondary, theme::background },
            { "secondary on a panel", ButtonStyle::secondary, theme::white },
            { "secondary on the session bar", ButtonStyle::secondary, theme::blue_france },
            { "danger on the page", ButtonStyle::danger, theme::background },
            { "danger on a panel", ButtonStyle::danger, theme::white },
            { "danger on the session bar", ButtonStyle::danger, theme::blue_france },
            { "tile on the page", ButtonStyle::tile, theme::background },
            { "tile on a panel", ButtonStyle::tile, theme::white },
            { "selected on the page", ButtonStyle::selected, theme::background },
            { "selected on a panel", ButtonStyle::selected, theme::white } };
        for (auto const& c : cases) {
            INFO(look.name << ": " << c.what);
            auto colors = button_colors(c.style, true);
            // The edge that shows where the button is: its outline, or its fill where the outline melts into the
            // page.
            double edge = std::max(contrast(colors.border, c.around), contrast(colors.background, c.around));
            CHECK(edge >= look.control_min);
            // And its words on its own fill.
            CHECK(contrast(colors.foreground, colors.background) >= look.text_min);
        }
    }
}

TEST_CASE("a chosen option differs from the others by more than its colour, in each look")
{
    for (auto const& look : looks) {
        Using palette(look.palette);
        INFO(look.name);
        // The canvas draws a tick and a thicker outline on a selected button: its outline must show on its own fill.
        auto selected = button_colors(ButtonStyle::selected, true);
        CHECK(contrast(selected.border, selected.background) >= look.control_min);
    }
}
