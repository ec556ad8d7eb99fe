// `kiosk diagnose [--config FILE] [--json] ...`: the technician's checks from a shell: free space on the session
// storage, a test page and a preview on the configured devices, then every partner site, FranceConnect and the fleet
// server stage by stage, and a captive portal.
#include "kiosk/cli/commands.h"

#include "drivers/registry.h"
#include "kiosk/core/catalogue.h"
#include "kiosk/core/config.h"
#include "kiosk/core/json.h"
#include "kiosk/diagnostics/device_checks.h"
#include "kiosk/diagnostics/local_checks.h"
#include "kiosk/diagnostics/network_checks.h"

#include <algorithm>
#include <charconv>
#include <iomanip>
#include <ostream>
#include <thread>

namespace kiosk::cli {

namespace {

struct Options {
    std::optional<std::filesystem::path> config_file;
    bool json = false;
    // The CAs the partner sites and FranceConnect must chain to instead of the system's (a filtering proxy's own CA,
    // a test's); the fleet server keeps network.ca_file.
    std::filesystem::path ca_file;
    diagnostics::NetworkRequest network;
};

Result<Options> parse(std::span<const std::string> args)
{
    Options options;
    for (size_t i = 0; i < args.size(); ++i) {
        auto const& arg = args[i];
        bool has_value = i + 1 < args.size();
        if (arg == "--json") {
            options.json = true;
        } else if (arg == "--config" && has_value) {
            options.config_file = args[++i];
        } else if (arg == "--ca-file" && has_value) {
            options.ca_file = args[++i];
        } else if (arg == "--resolve" && has_value) {
            options.network.resolve.push_back(args[++i]);
        } else if (arg == "--connect-to" && has_value) {
            options.network.connect_to.push_back(args[++i]);
        } else if (arg == "--probe" && has_value) {
            auto const& url = args[++i];
            if (!url.empty() && !url.starts_with("http://"))
                return usage_error("--probe needs an http:// address (a captive portal shows on plain HTTP)");
            options.network.captive_probe_url = url;
        } else if (arg == "--timeout" && has_value) {
            auto const& text = args[++i];
            int ms = 0;
            auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), ms);
            if (error != std::errc() || end != text.data() + text.size() || ms < 100 || ms > 60'000)
                return usage_error("--timeout needs milliseconds from 100 to 60000");
            options.network.stage_timeout = std::chrono::milliseconds(ms);
        } else if (!has_value
            && (arg == "--config" || arg == "--ca-file" || arg == "--resolve" || arg == "--connect-to"
                || arg == "--probe" || arg == "--timeout")) {
            return usage_error(arg + " needs a value");
        } else {
            return usage_error("unknown option '" + arg + "'");
        }
    }
    return options;
}

// A test page and a preview through the devices the configuration names. A driver that cannot start is the
// device's failed check, not the command's: the rest of the diagnosis still matters.
void device_checks(core::Config const& config, std::vector<diagnostics::Check>& checks)
{
    std::atomic<bool> cancel { false };
    drivers::DriverContext context { config.runtime_dir };
    auto started = [](std::string const& what, Error const& error) {
        return diagnostics::Check { what, false, "the driver does not start: " + error.detail, 0 };
    };
    if (auto printer = drivers::make_printer(config.devices.printer, context))
        checks.push_back(diagnostics::test_print(**printer, config.kiosk_name, std::chrono::seconds(60), cancel));
    else
        checks.push_back(started("test-print " + config.devices.printer, printer.error()));
    if (auto scanner = drivers::make_scanner(config.devices.scanner, context))
        checks.push_back(diagnostics::test_scan(**scanner, cancel));
    else
        checks.push_back(started("test-scan " + config.devices.scanner, scanner.error()));
}

void print_table(std::vector<diagnostics::Check> const& checks, std::ostream& out)
{
    size_t width = 5;
    for (auto const& check : checks)
        width = std::max(width, check.name.size());
    out << std::left << std::setw(static_cast<int>(width)) << "CHECK"
        << "  RESULT      MS  DETAIL\n";
    for (auto const& check : checks) {
        out << std::left << std::setw(static_cast<int>(width)) << check.name << "  " << std::setw(6)
            << (check.ok ? "ok" : "FAILED") << std::right << std::setw(6) << check.ms << "  " << check.detail << "\n";
    }
}

} // namespace

Result<void> cmd_diagnose(std::span<const std::string> args, Streams streams)
{
    auto options = TRY(parse(args));
    // The configuration alone, not the devices' drivers: a kiosk whose scanner is gone still gets its diagnosis.
    core::Config config = options.config_file ? TRY(core::load_config(*options.config_file)) : core::Config {};
    if (config.runtime_dir.empty())
        config.runtime_dir = core::default_runtime_dir();
    if (config.assets_dir.empty())
        config.assets_dir = core::default_assets_dir();
    auto catalogue = core::load_catalogue(config.assets_dir / "catalogue.toml");
    if (!catalogue) {
        // The kiosk's own file, not the caller's input: a broken installation, exit 1.
        return make_error(ErrorCode::asset_missing, catalogue.error().detail);
    }

    std::vector<diagnostics::Check> checks;
    checks.push_back(diagnostics::check_free_space(config.runtime_dir, config.storage_mb));
    options.network.targets = diagnostics::targets_from(*catalogue, config.network);
    if (!options.ca_file.empty()) {
        for (auto& target : options.network.targets)
            if (target.ca_file.empty())
                target.ca_file = options.ca_file;
    }
    // The network on its own thread while the devices print and scan: neither waits for the other.
    std::vector<diagnostics::Check> network;
    std::thread network_thread([&] { network = diagnostics::run_network_checks(options.network); });
    if (options.config_file)
        device_checks(config, checks);
    network_thread.join();
    checks.insert(checks.end(), network.begin(), network.end());

    if (options.json) {
        JsonWriter json;
        json.begin_object().key("checks").begin_array();
        for (auto const& check : checks) {
            json.begin_object()
                .key("name")
                .value(check.name)
                .key("ok")
                .value(check.ok)
                .key("detail")
                .value(check.detail)
                .key("ms")
                .value(check.ms)
                .end_object();
        }
        json.end_array().end_object();
        streams.out << json.str() << "\n";
    } else {
        print_table(checks, streams.out);
    }
    auto failed = std::ranges::count_if(checks, [](auto const& check) { return !check.ok; });
    if (failed > 0)
        return make_error(ErrorCode::request_failed,
            std::to_string(failed) + " of " + std::to_string(checks.size()) + " checks failed");
    return {};
}

} // namespace kiosk::cli
