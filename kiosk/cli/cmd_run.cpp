// `kiosk run`: parses its options, assembles the kiosk and hands over to the UI runner.
#include "kiosk/cli/commands.h"
#include "kiosk/cli/program.h"

#include "kiosk/net/fleet_config.h"
#include "kiosk/ui/ids.h"
#include "kiosk/ui/runner.h"

#include <charconv>
#include <cstdlib>
#include <ostream>
#include <unistd.h>

namespace kiosk::cli {

namespace {

// The fleet's bundle installed last (kiosk config fetch, or the running kiosk's own fetch) with this machine's
// [network] section, when there is one and it loads.
std::optional<core::Config> central_configuration(core::Config const& local, std::string& version, std::ostream& err)
{
    if (local.network.config_url.empty())
        return std::nullopt;
    auto bundle = net::installed_bundle(net::fetch_settings_from(local.network).config_dir);
    if (!bundle)
        return std::nullopt;
    version = bundle->version;
    auto central = net::load_bundle_config(*bundle, local.network);
    if (!central) {
        // It was checked when it was installed: a bundle that no longer loads was damaged on disk since.
        err << "kiosk run: the fleet's configuration " << bundle->version << " does not load ("
            << central.error().detail << "): running on the kiosk's own file" << std::endl;
        return std::nullopt;
    }
    if (central->runtime_dir.empty())
        central->runtime_dir = core::default_runtime_dir();
    if (central->assets_dir.empty())
        central->assets_dir = core::default_assets_dir();
    return std::move(*central);
}

// The kiosk from a configuration: assets, agents, devices and the ground checks.
Result<ui::Program> assemble_from(core::Config config, ui::RunOptions const& options)
{
    auto assets = TRY(load_assets(config));
    auto agents = TRY(load_agents(config));
    auto devices = TRY(make_devices(config));
    core::GroundFacts facts { ::geteuid(), options.headless, config.dev_mode, config.runtime_dir,
        config.agents_file.empty() ? core::default_agents_file() : config.agents_file };
    ui::Program program { std::move(config), std::move(assets.catalogue), std::move(assets.translations),
        std::move(assets.forms), std::move(agents), std::move(devices), [facts] { return core::check_ground(facts); },
        {} };
    if (auto const& network = program.config.network; !network.config_url.empty()) {
        // A newer bundle is looked for on the configured schedule; once one is installed, the kiosk restarts onto it
        // when no session is open (systemd starts it again).
        program.beside = [settings = net::fetch_settings_from(network),
                             interval = std::chrono::minutes(std::max(1, network.config_interval_minutes))](
                             core::AuditLog& audit, std::atomic<bool> const& stopping, std::function<void()> restart) {
            net::keep_fleet_config(settings, interval, audit, stopping, restart);
        };
    }
    return program;
}

// With a central configuration the kiosk runs on the fleet's bundle. One that cannot start this machine (a device it
// does not have, an agents file it lacks) falls back to the kiosk's own file, which keeps fetching: a corrected
// bundle reaches it, where an out-of-order kiosk would wait for a technician.
Result<ui::Program> assemble(ui::RunOptions const& options, std::ostream& err)
{
    auto local = TRY(load_kiosk_config(options.config));
    std::string version;
    if (auto central = central_configuration(local, version, err)) {
        auto program = assemble_from(std::move(*central), options);
        if (program)
            return program;
        err << "kiosk run: the fleet's configuration " << version << " cannot start this kiosk ("
            << program.error().detail << "): running on the kiosk's own file" << std::endl;
    }
    return assemble_from(std::move(local), options);
}

} // namespace

Result<void> cmd_run(std::span<const std::string> args, Streams streams)
{
    ui::catch_restart_signal();
    ui::RunOptions options;
    for (size_t i = 0; i < args.size(); ++i) {
        auto const& arg = args[i];
        auto value = [&]() -> std::string const* { return i + 1 < args.size() ? &args[++i] : nullptr; };
        if (arg == "--windowed") {
            options.windowed = true;
        } else if (arg == "--headless") {
            options.headless = true;
        } else if (arg == "--list-ids") {
            options.list_ids = true;
        } else if (arg == "--report-timing") {
            options.report_timing = true;
        } else if (arg == "--config" || arg == "--script" || arg == "--screenshots" || arg == "--size"
            || arg == "--bench-frames" || arg == "--speech-out") {
            auto const* v = value();
            if (!v)
                return usage_error(arg + " needs a value");
            if (arg == "--config")
                options.config = *v;
            else if (arg == "--script")
                options.script = *v;
            else if (arg == "--screenshots")
                options.screenshots = *v;
            else if (arg == "--speech-out")
                options.speech_out = *v;
            else if (arg == "--bench-frames") {
                auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), options.bench_frames);
                if (ec != std::errc() || end != v->data() + v->size() || options.bench_frames < 1)
                    return usage_error("--bench-frames needs a positive number");
            } else {
                int w = 0, h = 0;
                auto x = v->find('x');
                if (x == std::string::npos || std::from_chars(v->data(), v->data() + x, w).ec != std::errc()
                    || std::from_chars(v->data() + x + 1, v->data() + v->size(), h).ec != std::errc() || w < 320
                    || h < 240 || w > 7680 || h > 4320)
                    return usage_error("--size needs WIDTHxHEIGHT, e.g. 1280x800");
                options.size_width = w;
                options.size_height = h;
            }
        } else {
            return usage_error("unknown option '" + arg + "'");
        }
    }
    if (options.script && !options.headless)
        return usage_error("--script needs --headless");
    // What is said may name a resident's document: written to disk only by a test's script, never while serving.
    if (options.speech_out && !options.script)
        return usage_error("--speech-out needs --script");
    // Headless, nothing is played, so no sound server is looked for: espeak-ng 1.51 probes PulseAudio as it starts
    // even when it only synthesises, and libpulse then leaves a /tmp/pulse-* folder wherever XDG_RUNTIME_DIR is
    // unset. Set here, before the kiosk starts any thread.
    if (options.headless)
        ::setenv("PULSE_SERVER", "unix:/dev/null", 0);

    if (options.list_ids) {
        auto config = TRY(load_kiosk_config(options.config));
        auto catalogue = TRY(load_catalogue(config));
        streams.out << "screens:\n";
        for (auto const& id : ui::screen_ids())
            streams.out << "  " << id << "\n";
        streams.out << "widgets:\n";
        for (auto const& id : ui::widget_ids(catalogue))
            streams.out << "  " << id << "\n";
        return {};
    }
    // No core dump and no debugger of the same user may read a resident's pages out of the kiosk or its children.
    core::harden_process();
    auto program = assemble(options, streams.err);
    // On the kiosk's own screen (not headless, not a developer's window) a kiosk that cannot be assembled says it is
    // out of order instead of leaving a blank screen.
    if (!program && !options.headless && !options.windowed)
        return ui::run_out_of_service(options, program.error(), streams.err);
    if (!program)
        return std::unexpected(program.error());
    auto ran = ui::run_kiosk(options, std::move(*program), streams.out, streams.err);
    // The same for what fails as it starts (the audit log's key, another kiosk on the runtime directory, a font).
    if (!ran && !options.headless && !options.windowed)
        return ui::run_out_of_service(options, ran.error(), streams.err);
    return ran;
}

} // namespace kiosk::cli
