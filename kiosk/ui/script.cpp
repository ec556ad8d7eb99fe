// Parses script files: `tap ID`, `tap X Y`, `type TEXT`, `key NAME`, `advance SECONDS`, `expect screen NAME`,
// `expect text TEXT`, `expect speech TEXT`, `screenshot NAME`, `card UID`, `mrz L1[|L2[|L3]]`, `report LABEL`, `sleep
// SECONDS`; `#` starts a comment.
#include "kiosk/ui/script.h"

#include "kiosk/ui/ids.h"

#include <SDL2/SDL_keyboard.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace kiosk::ui {

namespace {

std::string trim(std::string_view text)
{
    auto begin = text.find_first_not_of(" \t\r");
    if (begin == std::string_view::npos)
        return {};
    auto end = text.find_last_not_of(" \t\r");
    return std::string(text.substr(begin, end - begin + 1));
}

bool parse_int(std::string const& text, int& out)
{
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

} // namespace

Result<std::vector<ScriptCommand>> parse_script(
    std::string_view text, std::string_view source_name, core::Catalogue const& catalogue, bool has_screenshot_dir)
{
    std::vector<ScriptCommand> commands;
    int line_number = 0;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        std::string_view raw = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        start = end == std::string_view::npos ? text.size() + 1 : end + 1;
        ++line_number;

        std::string line = trim(raw);
        if (line.empty() || line.front() == '#')
            continue;
        auto fail = [&](std::string const& message) {
            return make_error(
                ErrorCode::usage, std::string(source_name) + ":" + std::to_string(line_number) + ": " + message);
        };
        ScriptCommand command;
        command.line = line_number;
        command.source_line = line;
        auto space = line.find(' ');
        std::string verb = line.substr(0, space);
        std::string rest = space == std::string::npos ? std::string() : trim(line.substr(space + 1));

        if (verb == "tap") {
            auto second_space = rest.find(' ');
            int x = 0, y = 0;
            if (second_space != std::string::npos && parse_int(rest.substr(0, second_space), x)
                && parse_int(trim(rest.substr(second_space + 1)), y)) {
                command.kind = ScriptCommand::Kind::tap_xy;
                command.x = x;
                command.y = y;
            } else {
                if (rest.empty() || rest.find(' ') != std::string::npos)
                    return fail("tap needs a widget id or two coordinates");
                if (!is_known_widget(rest, catalogue))
                    return fail("unknown widget id '" + rest + "' (kiosk run --list-ids lists them)");
                command.kind = ScriptCommand::Kind::tap_id;
                command.argument = rest;
            }
        } else if (verb == "type") {
            // Everything after "type " is typed, leading spaces included ("type  d'impôt" types " d'impôt").
            std::string text = space == std::string::npos ? std::string() : line.substr(space + 1);
            if (text.empty())
                return fail("type needs some text");
            command.kind = ScriptCommand::Kind::type;
            command.argument = text;
        } else if (verb == "key") {
            if (rest.empty() || SDL_GetKeyFromName(rest.c_str()) == SDLK_UNKNOWN)
                return fail("unknown key name '" + rest + "'");
            command.kind = ScriptCommand::Kind::key;
            command.argument = rest;
        } else if (verb == "advance") {
            double seconds = 0;
            auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), seconds);
            if (rest.empty() || ec != std::errc() || ptr != rest.data() + rest.size() || !std::isfinite(seconds)
                || seconds < 0 || seconds > 24 * 3600)
                return fail("advance needs a number of seconds from 0 to 86400");
            command.kind = ScriptCommand::Kind::advance;
            command.seconds = seconds;
        } else if (verb == "sleep") {
            double seconds = 0;
            auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), seconds);
            if (rest.empty() || ec != std::errc() || ptr != rest.data() + rest.size() || !std::isfinite(seconds)
                || seconds < 0 || seconds > 3600)
                return fail("sleep needs a number of seconds from 0 to 3600");
            command.kind = ScriptCommand::Kind::sleep;
            command.seconds = seconds;
        } else if (verb == "report") {
            if (rest.empty()
                || rest.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
                    != std::string::npos)
                return fail("report needs a label of letters, digits, '-' and '_'");
            command.kind = ScriptCommand::Kind::report;
            command.argument = rest;
        } else if (verb == "expect") {
            auto second_space = rest.find(' ');
            std::string what = rest.substr(0, second_space);
            std::string value = second_space == std::string::npos ? std::string() : trim(rest.substr(second_space + 1));
            if (value.empty())
                return fail("expect needs 'screen NAME', 'text TEXT', 'speech TEXT' or 'taps N'");
            if (what == "taps") {
                int most = 0;
                if (!parse_int(value, most) || most < 0 || most > 1000)
                    return fail("expect taps needs a number of taps from 0 to 1000");
                if (std::none_of(commands.begin(), commands.end(),
                        [](ScriptCommand const& c) { return c.kind == ScriptCommand::Kind::count_taps; }))
                    return fail("expect taps needs a 'count taps' line before it");
                command.kind = ScriptCommand::Kind::expect_taps;
                command.x = most;
            } else if (what == "screen") {
                if (!is_known_screen(value))
                    return fail("unknown screen '" + value + "'");
                command.kind = ScriptCommand::Kind::expect_screen;
            } else if (what == "text") {
                command.kind = ScriptCommand::Kind::expect_text;
            } else if (what == "speech") {
                command.kind = ScriptCommand::Kind::expect_speech;
            } else {
                return fail("expect needs 'screen NAME', 'text TEXT', 'speech TEXT' or 'taps N'");
            }
            command.argument = value;
        } else if (verb == "count") {
            if (rest != "taps")
                return fail("count needs 'taps'");
            command.kind = ScriptCommand::Kind::count_taps;
        } else if (verb == "screenshot") {
            if (rest.empty()
                || rest.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
                    != std::string::npos)
                return fail("screenshot needs a name of letters, digits, '-' and '_'");
            if (!has_screenshot_dir)
                return fail("screenshot needs --screenshots DIR");
            command.kind = ScriptCommand::Kind::screenshot;
            command.argument = rest;
        } else if (verb == "card") {
            if (rest.empty() || rest.find(' ') != std::string::npos)
                return fail("card needs one hexadecimal UID");
            command.kind = ScriptCommand::Kind::card;
            command.argument = rest;
        } else if (verb == "mrz") {
            command.kind = ScriptCommand::Kind::mrz;
            size_t from = 0;
            while (true) {
                auto bar = rest.find('|', from);
                command.mrz_lines.push_back(
                    rest.substr(from, bar == std::string::npos ? std::string::npos : bar - from));
                if (bar == std::string::npos)
                    break;
                from = bar + 1;
            }
            // One line: the French driving licence; two or three: the ICAO formats.
            if (command.mrz_lines.size() > 3 || command.mrz_lines.front().empty())
                return fail("mrz needs 1 to 3 lines separated by '|'");
        } else {
            return fail("unknown command '" + verb + "'");
        }
        commands.push_back(std::move(command));
    }
    return commands;
}

} // namespace kiosk::ui
