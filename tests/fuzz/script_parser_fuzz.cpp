// libFuzzer target for the script parser of headless runs: arbitrary bytes as one script file, checked
// against the real catalogue, with and without a screenshot directory.
#include "kiosk/core/catalogue.h"
#include "kiosk/ui/app.h"
#include "kiosk/ui/script.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace core = kiosk::core;
namespace ui = kiosk::ui;
using Kind = ui::ScriptCommand::Kind;

// FIXME: the on-screen keyboard's key ids are defined in kiosk/ui/app.cpp, which cannot be built here (it
// ties SDL rendering, poppler and every driver together). Until that table has a file of its own, the
// fuzzer knows no keyboard key: `tap kb_a` is an unknown id here, which takes the same parser path as any
// other unknown id.
std::vector<std::vector<std::string>> const& ui::keyboard_rows()
{
    static std::vector<std::vector<std::string>> const none;
    return none;
}

namespace {

core::Catalogue const& catalogue()
{
    // Loaded once: the partner and event ids of the real catalogue are what scripts name.
    static core::Catalogue const loaded = [] {
        auto result = core::load_catalogue(KIOSK_SOURCE_DIR "/assets/catalogue.toml");
        if (!result)
            std::abort();
        return std::move(*result);
    }();
    return loaded;
}

bool same_commands(std::vector<ui::ScriptCommand> const& a, std::vector<ui::ScriptCommand> const& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].kind != b[i].kind || a[i].line != b[i].line || a[i].source_line != b[i].source_line
            || a[i].argument != b[i].argument)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string_view const text(reinterpret_cast<char const*>(data), size);

    // An exception leaving parse_script is a bug too: uncaught, it aborts and libFuzzer reports it.
    auto const with_dir = ui::parse_script(text, "fuzz.ks", catalogue(), true);
    auto const without_dir = ui::parse_script(text, "fuzz.ks", catalogue(), false);

    bool has_screenshot = false;
    if (with_dir) {
        int previous_line = 0;
        bool counted = false;
        for (auto const& command : *with_dir) {
            // Lines are counted from 1 and only forward; comments and blank lines produce no command.
            if (command.line <= previous_line || command.source_line.empty() || command.source_line.front() == '#')
                std::abort();
            previous_line = command.line;
            switch (command.kind) {
            case Kind::tap_id:
            case Kind::key:
            case Kind::expect_screen:
            case Kind::expect_text:
            case Kind::expect_speech:
            case Kind::screenshot:
            case Kind::card:
            case Kind::type:
            case Kind::report:
                if (command.argument.empty())
                    std::abort();
                break;
            case Kind::sleep:
                if (!std::isfinite(command.seconds) || command.seconds < 0 || command.seconds > 3600)
                    std::abort();
                break;
            case Kind::advance:
                if (!std::isfinite(command.seconds) || command.seconds < 0 || command.seconds > 24 * 3600)
                    std::abort();
                break;
            case Kind::mrz:
                // One line (the French driving licence) to three.
                if (command.mrz_lines.empty() || command.mrz_lines.size() > 3 || command.mrz_lines.front().empty())
                    std::abort();
                break;
            case Kind::expect_taps:
                // A journey's length, from 0 to 1000, only after a "count taps".
                if (command.x < 0 || command.x > 1000 || !counted)
                    std::abort();
                break;
            case Kind::count_taps: counted = true; break;
            case Kind::tap_xy: break;
            }
            has_screenshot = has_screenshot || command.kind == Kind::screenshot;
        }
    }

    // Without a screenshot directory the same script parses, unless it takes a screenshot.
    bool const expect_without = with_dir && !has_screenshot;
    if (bool(without_dir) != expect_without || (without_dir && !same_commands(*with_dir, *without_dir)))
        std::abort();
    for (auto const* result : { &with_dir, &without_dir }) {
        if (!*result
            && (result->error().code != kiosk::ErrorCode::usage || !result->error().detail.starts_with("fuzz.ks:")))
            std::abort();
    }
    return 0;
}
