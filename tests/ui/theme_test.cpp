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

TEST_CASE("every text colour reads at 4.5:1 on the backgrounds it is drawn on")
{
    struct Pair {
        char const* what;
        Color text, background;
    };
    auto pair = GENERATE(Pair { "body text on the page", theme::text, theme::background },
        Pair { "body text on a panel", theme::text, theme::white },
        Pair { "muted text on a panel", theme::text_muted, theme::white },
        Pair { "muted text on the page", theme::text_muted, theme::background },
        Pair { "titles on the top bar", theme::blue_france, theme::white },
        Pair { "primary button words", theme::white, theme::blue_france },
        Pair { "secondary button words", theme::blue_france, theme::white },
        Pair { "selected button words", theme::blue_france, theme::blue_light },
        Pair { "danger button words", theme::white, theme::red_marianne },
        Pair { "disabled button words", theme::text_muted, theme::border },
        Pair { "session bar words", theme::white, theme::blue_france },
        Pair { "success on a panel", theme::green_success, theme::white },
        Pair { "success on the page", theme::green_success, theme::background },
        Pair { "warnings on the page", theme::warning, theme::background },
        Pair { "warnings on a panel", theme::warning, theme::white },
        Pair { "errors on the page", theme::red_marianne, theme::background });
    INFO(pair.what);
    CHECK(contrast(pair.text, pair.background) >= 4.5);
}

TEST_CASE("every control's outline or fill stands out at 3:1 from what is around it, as the canvas draws it")
{
    // What a button is drawn with, from the canvas itself; where it is drawn: the page, a white panel, and for the
    // session bar's buttons (secondary and danger) the blue bar.
    struct Case {
        char const* what;
        ButtonStyle style;
        Color around;
    };
    auto c = GENERATE(Case { "primary on the page", ButtonStyle::primary, theme::background },
        Case { "primary on a panel", ButtonStyle::primary, theme::white },
        Case { "secondary on the page", ButtonStyle::secondary, theme::background },
        Case { "secondary on a panel", ButtonStyle::secondary, theme::white },
        Case { "secondary on the session bar", ButtonStyle::secondary, theme::blue_france },
        Case { "danger on the page", ButtonStyle::danger, theme::background },
        Case { "danger on a panel", ButtonStyle::danger, theme::white },
        Case { "danger on the session bar", ButtonStyle::danger, theme::blue_france },
        Case { "tile on the page", ButtonStyle::tile, theme::background },
        Case { "tile on a panel", ButtonStyle::tile, theme::white },
        Case { "selected on the page", ButtonStyle::selected, theme::background },
        Case { "selected on a panel", ButtonStyle::selected, theme::white });
    INFO(c.what);
    auto colors = button_colors(c.style, true);
    // The edge that shows where the button is: its outline, or its fill where the outline melts into the page.
    double edge = std::max(contrast(colors.border, c.around), contrast(colors.background, c.around));
    CHECK(edge >= 3.0);
    // And its words on its own fill.
    CHECK(contrast(colors.foreground, colors.background) >= 4.5);
}

TEST_CASE("a chosen option differs from the others by more than its colour")
{
    // The canvas draws a tick and a thicker outline on a selected button: its outline must show on its own fill.
    auto selected = button_colors(ButtonStyle::selected, true);
    CHECK(contrast(selected.border, selected.background) >= 3.0);
}
