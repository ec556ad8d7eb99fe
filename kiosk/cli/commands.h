// The subcommands of the kiosk: each is a body that writes its results and returns an Error, and the one boundary
// (run_command) that turns that error into the single line on stderr and the exit code of the contract.
#pragma once

#include "kiosk/core/error.h"

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kiosk::cli {

// Exit codes of the command-line contract (PRODUCT.md).
constexpr int exit_ok = 0;
constexpr int exit_failed = 1; // a well-formed request that failed
constexpr int exit_usage = 2; // bad usage or bad input

struct Streams {
    std::istream& in;
    std::ostream& out;
    std::ostream& err;
};

// A subcommand's body. It writes its results on streams.out and never an error line: what goes wrong comes back
// as an Error whose detail is the line to show (in English: the command line is for technicians and automation).
using CommandBody = Result<void> (*)(std::span<const std::string> args, Streams streams);

// The exit code of an error: 2 for bad usage or bad input (ErrorCode::usage, config_invalid, unknown_driver),
// 1 for everything else.
int exit_code_for(Error const& error);

// Runs a body, or prints its help when the arguments ask for it (--help or -h anywhere): "kiosk NAME: detail" on
// stderr and the exit code. The one place where an error becomes a line and a number.
int run_command(std::string_view name, CommandBody body, std::span<const std::string> args, Streams streams);

// The usage text of one subcommand ("" for an unknown one), and of all of them for `kiosk help`.
std::string_view help_text(std::string_view command);
std::string full_help();
// Every subcommand name, in the order `kiosk help` lists them.
std::span<const std::string_view> command_names();

Result<void> cmd_run(std::span<const std::string> args, Streams streams);
Result<void> cmd_mrz(std::span<const std::string> args, Streams streams);
Result<void> cmd_wipe(std::span<const std::string> args, Streams streams);
Result<void> cmd_agent(std::span<const std::string> args, Streams streams);
Result<void> cmd_audit(std::span<const std::string> args, Streams streams);
Result<void> cmd_config(std::span<const std::string> args, Streams streams);
Result<void> cmd_scan(std::span<const std::string> args, Streams streams);
Result<void> cmd_print(std::span<const std::string> args, Streams streams);
Result<void> cmd_printers(std::span<const std::string> args, Streams streams);
Result<void> cmd_diagnose(std::span<const std::string> args, Streams streams);

// A usage error naming what is wrong; the boundary adds where to look.
inline std::unexpected<Error> usage_error(std::string detail)
{
    return make_error(ErrorCode::usage, std::move(detail));
}

// The options of a command that takes only --config FILE (kiosk wipe, kiosk config fetch).
inline Result<std::optional<std::filesystem::path>> config_option(std::span<const std::string> args)
{
    std::optional<std::filesystem::path> config_file;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--config" && i + 1 < args.size())
            config_file = args[++i];
        else
            return usage_error("unknown option '" + args[i] + "'");
    }
    return config_file;
}

} // namespace kiosk::cli
