// The one boundary of every subcommand: an Error becomes one line on stderr and the contract's exit code.
#include "kiosk/cli/commands.h"

#include <algorithm>
#include <exception>
#include <ostream>

namespace kiosk::cli {

int exit_code_for(Error const& error)
{
    switch (error.code) {
    case ErrorCode::usage:
    case ErrorCode::config_invalid:
    case ErrorCode::unknown_driver: return exit_usage;
    default: return exit_failed;
    }
}

int run_command(std::string_view name, CommandBody body, std::span<const std::string> args, Streams streams)
{
    // --help anywhere (kiosk agent add --help); -h only first, where it cannot be an option's value.
    if (std::ranges::find(args, "--help") != args.end() || (!args.empty() && args.front() == "-h")) {
        streams.out << "Usage: kiosk " << help_text(name);
        return exit_ok;
    }
    Result<void> result;
    try {
        result = body(args, streams);
    } catch (std::exception const& exception) {
        // A library's exception is a bug of ours, but still one line and exit 1, never an abort.
        result = make_error(ErrorCode::internal, std::string("internal error: ") + exception.what());
    }
    streams.out.flush();
    if (result)
        return exit_ok;
    // One line, whatever the detail holds: a newline in a file name or a script must not start a second one.
    std::string line
        = result.error().detail.empty() ? std::string(to_string(result.error().code)) : result.error().detail;
    std::ranges::replace(line, '\n', ' ');
    std::ranges::replace(line, '\r', ' ');
    streams.err << "kiosk " << name << ": " << line;
    if (result.error().code == ErrorCode::usage)
        streams.err << " (kiosk help " << name << ")";
    streams.err << "\n";
    return exit_code_for(result.error());
}

} // namespace kiosk::cli
