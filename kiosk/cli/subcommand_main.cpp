// The main() of each kiosk-COMMAND program; CMake compiles it once per command with KIOSK_COMMAND_NAME and
// KIOSK_COMMAND_BODY set.
#include "kiosk/cli/commands.h"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    return kiosk::cli::run_command(
        KIOSK_COMMAND_NAME, &kiosk::cli::KIOSK_COMMAND_BODY, args, { std::cin, std::cout, std::cerr });
}
