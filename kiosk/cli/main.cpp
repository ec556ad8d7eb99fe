// The kiosk binary: a thin dispatcher to one function per subcommand.
#include "kiosk/cli/commands.h"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    kiosk::cli::Streams streams { std::cin, std::cout, std::cerr };
    if (args.empty())
        return kiosk::cli::cmd_help({}, streams);
    std::string command = args.front();
    std::span<const std::string> rest(args.data() + 1, args.size() - 1);
    if (command == "help" || command == "--help" || command == "-h")
        return kiosk::cli::cmd_help(rest, streams);
    if (command == "run")
        return kiosk::cli::cmd_run(rest, streams);
    if (command == "mrz")
        return kiosk::cli::cmd_mrz(rest, streams);
    if (command == "print")
        return kiosk::cli::cmd_print(rest, streams);
    if (command == "printers")
        return kiosk::cli::cmd_printers(rest, streams);
    if (command == "scan")
        return kiosk::cli::cmd_scan(rest, streams);
    if (command == "agent")
        return kiosk::cli::cmd_agent(rest, streams);
    if (command == "wipe")
        return kiosk::cli::cmd_wipe(rest, streams);
    std::cerr << "kiosk: unknown command '" << command << "' (kiosk help lists them)\n";
    return kiosk::cli::exit_usage;
}
