// The usage text of each subcommand, shared by `kiosk help [COMMAND]` and `kiosk COMMAND --help`; kept in step
// with README.md.
#include "kiosk/cli/commands.h"

#include <algorithm>
#include <array>

namespace kiosk::cli {

namespace {

struct Help {
    std::string_view command;
    std::string_view text; // starts with the command line, as after "Usage: kiosk "
};

constexpr std::array helps {
    Help { "run", R"(run [--config FILE] [--windowed] [--headless] [--script FILE] [--screenshots DIR] [--size WxH]
        [--speech-out DIR]
    Run the kiosk. Without --config, the built-in default runs on the simulated devices.
    --windowed        a resizable window instead of full screen
    --headless        no display: SDL's offscreen driver
    --script FILE     run scripted input (headless), exit 0 when every line held,
                      1 at the first unmet expectation, 2 for a malformed script
    --screenshots DIR where `screenshot NAME` writes NAME.png
    --size WxH        window size (1280x800 to 1920x1080 and more)
    --speech-out DIR  each utterance and tone also written to DIR as 0001.wav, 0002.wav...
    --list-ids        print every screen and widget id, then exit
)" },
    Help { "scan",
        R"(scan --device NAME [--source flatbed|adf] [--mode color|gray|lineart] [--dpi N] [--max-bytes N] --out FILE
    Scan to FILE (.pdf, or .jpg: FILE-1.jpg, FILE-2.jpg... for several pages) through the document
    pipeline; NAME is a SANE device (test:0) or sim. Prints {"pages","bytes","dpi","quality","ms"}.
)" },
    Help { "print", R"(print FILE [--printer NAME] [--copies N] [--gray] [--duplex] [--wait]
    Print a PDF or JPEG on a CUPS queue; prints {"job","pages","state"}. With --wait, exit 1 when the
    job ends aborted or cancelled or the printer is stopped, with its reasons on stderr.
)" },
    Help { "printers", R"(printers
    The CUPS destinations, their states and supply levels (toner: percent, -1 unknown), as JSON.
)" },
    Help { "mrz", R"(mrz [--json]
    Read one document's MRZ lines on stdin and check them (ICAO 9303, French ID card, French driving
    licence on one line of 30). Exit 1 for an invalid MRZ, with the look-alike readings that would fit
    listed for the agent to compare. The JSON gives the document's kind (residence_permit, ...), the
    nationality status (stateless, refugee, ...) and how a long number's check digit was computed.
)" },
    Help { "agent", R"(agent list|add|remove|set-pin|set-badge [--config FILE] [--file AGENTS.toml]
    Manage who may unlock the kiosk. add ID --name NAME [--role agent|technician] and set-pin ID
    read the PIN (6-12 digits) on stdin, never from the command line; set-badge ID UID.
)" },
    Help { "audit", R"(audit verify FILE [--key KEYFILE]
    Check the audit log's hash chain with its key (default: audit.key beside FILE). Prints
    "audit: N lines, chain intact", or exits 1 naming the first broken line and why (edited or
    bad mac, missing line, out of order, malformed JSON, torn).
)" },
    Help { "config", R"(config fetch [--config FILE]
    Fetch the fleet's configuration bundle once ([network] config_url, over HTTPS), check its
    Ed25519 signature (config_url.sig) and its contents, and install it for the kiosk's next session.
    Prints {"version","changed"}: version is the bundle's SHA-256. Exit 1 when the fetch or a check
    failed, the last good bundle kept.
)" },
    Help { "diagnose",
        R"(diagnose [--config FILE] [--json] [--timeout MS] [--probe URL] [--ca-file FILE]
         [--resolve HOST:PORT:ADDRESS]... [--connect-to HOST:PORT:HOST2:PORT2]...
    The technician's checks: free space on the session storage; with --config, a test page on its
    printer and a preview on its scanner ([devices]); then each partner site of the
    catalogue, FranceConnect and the fleet's configuration server ([network] config_url) stage by
    stage (dns, tcp, tls with the certificate's days left, http), and a captive portal on the way
    (--probe: an http:// address that answers 204, default http://connectivity-check.ubuntu.com/;
    "" for none). Each stage has --timeout ms (default 5000); the sites are tried at once.
    --ca-file: the CAs partner sites must chain to instead of the system's (a filtering proxy's);
    --resolve and --connect-to work as curl's. Prints a table, or with --json one line
    {"checks":[{"name","ok","detail","ms"},...]}. Exit 1 when a check failed.
)" },
    Help { "wipe", R"(wipe [--config FILE]
    Delete what an interrupted session left: its folder in the runtime directory and this kiosk's
    print jobs still at the print server. Prints {"runtime_dir","sessions_removed","print_jobs_removed"}.
)" },
    Help { "help", R"(help [COMMAND]
    This text, or one command's.
)" },
};

constexpr auto names = [] {
    std::array<std::string_view, helps.size()> result {};
    for (size_t i = 0; i < helps.size(); ++i)
        result[i] = helps[i].command;
    return result;
}();

} // namespace

std::string_view help_text(std::string_view command)
{
    auto found = std::ranges::find(helps, command, &Help::command);
    return found == helps.end() ? std::string_view() : found->text;
}

std::span<const std::string_view> command_names()
{
    return names;
}

std::string full_help()
{
    std::string text = "kiosk — France Services self-service kiosk\n\nUsage: kiosk COMMAND [OPTIONS]\n\nCommands:\n";
    for (auto const& help : helps)
        text += "  " + std::string(help.text);
    text += "\nExit codes: 0 success, 1 a well-formed request that failed, 2 bad usage or bad input.\n"
            "Every command answers --help.\n";
    return text;
}

} // namespace kiosk::cli
