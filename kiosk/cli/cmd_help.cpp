// `kiosk help`: the subcommands and their options, kept in step with README.md.
#include "kiosk/cli/commands.h"

#include <ostream>

namespace kiosk::cli {

int cmd_help(std::span<const std::string>, Streams streams)
{
    streams.out << R"(kiosk — France Services self-service kiosk

Usage: kiosk COMMAND [OPTIONS]

Commands:
  run [--config FILE] [--windowed] [--headless] [--script FILE] [--screenshots DIR]
      Run the kiosk. Without --config, the built-in default runs on the simulated devices.
      --windowed        a resizable window instead of full screen
      --headless        no display: SDL's offscreen driver
      --script FILE     run scripted input (headless), exit 0 when every line held,
                        1 at the first unmet expectation, 2 for a malformed script
      --screenshots DIR where `screenshot NAME` writes NAME.png
      --size WxH        window size (1280x800 to 1920x1080 and more)
      --list-ids        print every screen and widget id, then exit
  scan --device NAME [--source flatbed|adf] [--mode color|gray|lineart] [--dpi N] [--max-bytes N] --out FILE
      Scan to FILE (.pdf, or .jpg: FILE-1.jpg, FILE-2.jpg… for several pages) through the document
      pipeline; NAME is a SANE device (test:0) or sim. Prints {"pages","bytes","dpi","quality","ms"}.
  print FILE [--printer NAME] [--copies N] [--gray] [--duplex] [--wait]
      Print a PDF or JPEG on a CUPS queue; prints {"job","pages","state"}. With --wait, exit 1 when the
      job ends aborted or cancelled or the printer is stopped, with its reasons on stderr.
  printers
      The CUPS destinations, their states and supply levels (toner: percent, -1 unknown), as JSON.
  mrz [--json]
      Read one document's MRZ lines on stdin and check them (ICAO 9303, French ID card).
  agent list|add|remove|set-pin|set-badge [--config FILE] [--file AGENTS.toml]
      Manage who may unlock the kiosk. add ID --name NAME [--role agent|technician] and set-pin ID
      read the PIN (4-8 digits) on stdin, never from the command line; set-badge ID UID.
  wipe [--config FILE]
      Delete what an interrupted session left in the runtime directory.
  help
      This text.

Exit codes: 0 success, 1 a well-formed request that failed, 2 bad usage or bad input.
)";
    return exit_ok;
}

} // namespace kiosk::cli
