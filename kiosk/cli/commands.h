// The subcommands of the kiosk binary; main.cpp dispatches to them. Each returns the process exit code.
#pragma once

#include <iosfwd>
#include <span>
#include <string>

namespace kiosk::cli {

// Exit codes of the command-line contract (PRODUCT.md).
constexpr int exit_ok = 0;
constexpr int exit_failed = 1; // a well-formed request that failed
constexpr int exit_usage = 2;  // bad usage or bad input

struct Streams {
    std::istream& in;
    std::ostream& out;
    std::ostream& err;
};

int cmd_help(std::span<const std::string> args, Streams streams);
int cmd_run(std::span<const std::string> args, Streams streams);
int cmd_mrz(std::span<const std::string> args, Streams streams);
int cmd_wipe(std::span<const std::string> args, Streams streams);
int cmd_agent(std::span<const std::string> args, Streams streams);
int cmd_scan(std::span<const std::string> args, Streams streams);
int cmd_print(std::span<const std::string> args, Streams streams);
int cmd_printers(std::span<const std::string> args, Streams streams);

} // namespace kiosk::cli
