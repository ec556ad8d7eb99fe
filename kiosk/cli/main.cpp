// `kiosk`: the dispatcher. It answers `kiosk help` itself and hands every other subcommand to its own program,
// kiosk-COMMAND, which links only what that command uses (kiosk print loads libcups, not SDL, poppler or SANE).
#include "kiosk/cli/commands.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace {

// Where kiosk-COMMAND lives: beside this program (the build tree, or a relocated install), else in the package's
// libexec directory.
std::filesystem::path program_of(std::string_view command)
{
    std::string name = "kiosk-" + std::string(command);
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        auto beside = self.parent_path() / name;
        if (::access(beside.c_str(), X_OK) == 0)
            return beside;
    }
    return std::filesystem::path(KIOSK_LIBEXEC_DIR) / name;
}

int help(std::span<const std::string> topics)
{
    if (topics.empty()) {
        std::cout << kiosk::cli::full_help();
        return kiosk::cli::exit_ok;
    }
    std::string_view topic
        = topics.front() == "--help" || topics.front() == "-h" ? "help" : std::string_view(topics.front());
    auto text = kiosk::cli::help_text(topic);
    if (text.empty()) {
        std::cerr << "kiosk help: unknown command '" << topics.front() << "' (kiosk help lists them)\n";
        return kiosk::cli::exit_usage;
    }
    std::cout << "Usage: kiosk " << text;
    return kiosk::cli::exit_ok;
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty())
        return help({});
    std::string const& command = args.front();
    std::span<const std::string> rest(args.data() + 1, args.size() - 1);
    if (command == "help" || command == "--help" || command == "-h")
        return help(rest);
    auto names = kiosk::cli::command_names();
    if (std::ranges::find(names, command) == names.end()) {
        std::cerr << "kiosk: unknown command '" << command << "' (kiosk help lists them)\n";
        return kiosk::cli::exit_usage;
    }
    auto program = program_of(command);
    std::vector<char*> child_argv;
    std::string program_name = "kiosk-" + command;
    child_argv.push_back(program_name.data());
    for (size_t i = 1; i < args.size(); ++i)
        child_argv.push_back(args[i].data());
    child_argv.push_back(nullptr);
    ::execv(program.c_str(), child_argv.data());
    std::cerr << "kiosk: cannot start " << program.string() << ": " << std::strerror(errno)
              << " (the installation is incomplete)\n";
    return kiosk::cli::exit_failed;
}
