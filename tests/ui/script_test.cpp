// Tests of the script language of headless runs: every command, and errors with the line number.
#include "kiosk/ui/ids.h"
#include "kiosk/ui/script.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using namespace kiosk::ui;
using Kind = ScriptCommand::Kind;

namespace {
core::Catalogue const& catalogue()
{
    static core::Catalogue const loaded
        = *core::load_catalogue(std::filesystem::path(KIOSK_SOURCE_DIR) / "assets" / "catalogue.toml");
    return loaded;
}
} // namespace

TEST_CASE("every script command parses, comments and blank lines are skipped")
{
    auto script = parse_script(R"(# a comment
tap start
tap 100 200

type Jean Dupont
key Escape
advance 2.5
expect screen home
expect text Mes documents (0)
screenshot home-1
card 04A22B1A
mrz LINE1|LINE2|LINE3
tap partner_caf
tap event_demenagement
tap doc_12
report after-10
sleep 0.5
)",
        "s.ks", catalogue(), true);
    INFO((script ? std::string() : script.error().detail));
    REQUIRE(script);
    REQUIRE(script->size() == 15);
    CHECK((*script)[13].kind == Kind::report);
    CHECK((*script)[13].argument == "after-10");
    CHECK((*script)[14].kind == Kind::sleep);
    CHECK((*script)[14].seconds == Approx(0.5));
    CHECK((*script)[0].kind == Kind::tap_id);
    CHECK((*script)[0].line == 2);
    CHECK((*script)[1].kind == Kind::tap_xy);
    CHECK((*script)[1].x == 100);
    CHECK((*script)[1].y == 200);
    CHECK((*script)[2].kind == Kind::type);
    CHECK((*script)[2].argument == "Jean Dupont");
    CHECK((*script)[3].kind == Kind::key);
    CHECK((*script)[4].seconds == Approx(2.5));
    CHECK((*script)[5].kind == Kind::expect_screen);
    CHECK((*script)[6].argument == "Mes documents (0)");
    CHECK((*script)[7].kind == Kind::screenshot);
    CHECK((*script)[8].kind == Kind::card);
    CHECK((*script)[9].mrz_lines.size() == 3);
}

TEST_CASE("malformed script lines are refused with their line number")
{
    struct Case {
        char const* text;
        char const* message;
    };
    auto c = GENERATE(values<Case>({
        { "\n\njump start\n", "s.ks:3: unknown command 'jump'" },
        { "tap\n", "s.ks:1: tap needs a widget id or two coordinates" },
        { "tap nope\n", "s.ks:1: unknown widget id 'nope'" },
        { "tap partner_nowhere\n", "s.ks:1: unknown widget id 'partner_nowhere'" },
        { "tap doc_x\n", "s.ks:1: unknown widget id 'doc_x'" },
        { "key NoSuchKey\n", "s.ks:1: unknown key name 'NoSuchKey'" },
        { "advance -1\n", "s.ks:1: advance needs a number" },
        { "advance 1e9\n", "s.ks:1: advance needs a number" },
        { "expect color blue\n", "s.ks:1: expect needs 'screen NAME', 'text TEXT', 'speech TEXT' or 'taps N'" },
        { "expect taps 6\n", "s.ks:1: expect taps needs a 'count taps' line before it" },
        { "count taps\nexpect taps six\n", "s.ks:2: expect taps needs a number of taps from 0 to 1000" },
        { "count taps\nexpect taps -1\n", "s.ks:2: expect taps needs a number of taps from 0 to 1000" },
        { "count taps\nexpect taps 1001\n", "s.ks:2: expect taps needs a number of taps from 0 to 1000" },
        { "count clicks\n", "s.ks:1: count needs 'taps'" },
        { "count\n", "s.ks:1: count needs 'taps'" },
        { "expect screen\n", "s.ks:1: expect needs" },
        { "expect screen kitchen\n", "s.ks:1: unknown screen 'kitchen'" },
        { "screenshot ../escape\n", "s.ks:1: screenshot needs a name" },
        { "mrz A|B|C|D\n", "s.ks:1: mrz needs 1 to 3 lines" },
        { "mrz |B\n", "s.ks:1: mrz needs 1 to 3 lines" },
        { "card\n", "s.ks:1: card needs one hexadecimal UID" },
        { "type\n", "s.ks:1: type needs some text" },
        { "report\n", "s.ks:1: report needs a label" },
        { "report two words\n", "s.ks:1: report needs a label" },
        { "report \"quoted\"\n", "s.ks:1: report needs a label" },
        { "sleep\n", "s.ks:1: sleep needs a number" },
        { "sleep 4000\n", "s.ks:1: sleep needs a number" },
        { "sleep nan\n", "s.ks:1: sleep needs a number" },
    }));
    auto script = parse_script(c.text, "s.ks", catalogue(), true);
    REQUIRE_FALSE(script);
    CHECK(script.error().code == ErrorCode::usage);
    INFO(script.error().detail);
    CHECK(script.error().detail.starts_with(c.message));
}

TEST_CASE("a screenshot without a screenshot directory is a usage error")
{
    CHECK_FALSE(parse_script("screenshot home\n", "s.ks", catalogue(), false));
}

TEST_CASE("the id registry holds the contract's screens and widgets")
{
    for (auto screen :
        { "attract", "welcome", "home", "scan", "tray", "print", "idle_warning", "ending", "out_of_order" })
        CHECK(is_known_screen(screen));
    auto widgets = widget_ids(catalogue());
    for (auto id : { "start", "lang_fr", "lang_en", "accept", "go_home", "back", "end_session", "call_agent",
             "still_here", "scan_start", "print_start", "partner_caf", "partner_francetravail", "event_enfant" })
        CHECK(std::find(widgets.begin(), widgets.end(), id) != widgets.end());
}
