// Right-to-left drawing (Arabic): the canvas mirrors what it draws and records, shapes Arabic letters into their
// joined forms, orders mixed text by the Unicode bidi algorithm, and turns arrows.
#include "kiosk_fixture.h"

#include <catch2/catch.hpp>

using kiosk::ui::Align;
using kiosk::ui::ButtonStyle;
using kiosk::ui::Icon;
using kiosk::ui::testing::KioskFixture;

namespace {

// The code points of UTF-8 text.
std::vector<char32_t> code_points(std::string const& text)
{
    std::vector<char32_t> out;
    for (size_t i = 0; i < text.size();) {
        auto lead = static_cast<unsigned char>(text[i]);
        int length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        char32_t cp = length == 1 ? lead : lead & (0xFF >> (length + 1));
        for (int k = 1; k < length && i + k < text.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        out.push_back(cp);
        i += length;
    }
    return out;
}

} // namespace

TEST_CASE("right to left, buttons, hotspots and text are mirrored across the screen; left to right they are not")
{
    KioskFixture kiosk;
    auto& c = kiosk.canvas();
    for (bool rtl : { false, true }) {
        c.begin_frame();
        c.set_right_to_left(rtl);
        c.button("b", { 100, 50, 300, 100 }, "OK", ButtonStyle::secondary);
        c.action("a", { 500, 50, 600, 100 }, Icon::print, "Imprimer", ButtonStyle::primary);
        c.hotspot("h", { 0, 200, 50, 50 });
        REQUIRE(c.find_widget("b"));
        CHECK(c.find_widget("b")->rect.x == (rtl ? c.width() - 400 : 100));
        CHECK(c.find_widget("a")->rect.x == (rtl ? c.width() - 1100 : 500));
        CHECK(c.find_widget("h")->rect.x == (rtl ? c.width() - 50 : 0));
        // A tap lands where the button is seen.
        CHECK(c.widget_at(rtl ? c.width() - 150 : 150, 100)->id == "b");
    }
    c.set_right_to_left(false);
}

TEST_CASE("Arabic is shaped into joined letters and shown right to left; arrows turn with the screen")
{
    KioskFixture kiosk;
    auto& c = kiosk.canvas();
    c.set_right_to_left(true);
    // سلام: four letters in logical order, shown as their joined presentation forms, the last letter leftmost.
    auto shown = code_points(c.visual("سلام"));
    REQUIRE(shown.size() == 4);
    for (auto cp : shown)
        CHECK((cp >= 0xFE70 && cp <= 0xFEFF));
    CHECK(shown.front() == 0xFEE1); // meem, final form, at the left
    CHECK(shown.back() == 0xFEB3); // seen, initial form, at the right
    // Mixed text in a right-to-left paragraph: the Arabic reads from the right, the count stays "(0)" at its end.
    auto mixed = c.visual("وثائقي (0)");
    CHECK(mixed.starts_with("(0) "));
    // Back points right, next points left.
    CHECK(c.visual("← Retour") == "→ Retour");
    CHECK(c.visual("Suivants →") == "Suivants ←");
    CHECK(c.visual("‹") == "›");
    c.set_right_to_left(false);
    CHECK(c.visual("← Retour") == "← Retour");
    // Left to right, Arabic within French is still shaped and ordered (a name typed in Arabic on a French screen).
    auto name = code_points(c.visual("Nom : سلام"));
    CHECK(name.back() == 0xFEB3);
}
