// `kiosk config fetch [--config FILE]`: one attempt at the fleet's central configuration, as the running kiosk makes
// on its schedule. Prints {"version":…,"changed":…}; exit 1 when the attempt failed and the last good bundle is kept.
#include "kiosk/cli/commands.h"
#include "kiosk/core/clock.h"
#include "kiosk/core/config.h"
#include "kiosk/core/json.h"
#include "kiosk/net/fleet_config.h"

#include <optional>
#include <ostream>

namespace kiosk::cli {

namespace {

Result<void> fetch(std::span<const std::string> args, Streams streams)
{
    auto config_file = TRY(config_option(args));
    // Only the [network] and [audit] sections matter here: no devices, no assets of the local installation.
    core::Config config = config_file ? TRY(core::load_config(*config_file)) : core::Config {};
    if (config.network.config_url.empty())
        return make_error(ErrorCode::config_invalid,
            (config_file ? config_file->string() : std::string("the built-in configuration"))
                + ": no [network] config_url, so no central configuration to fetch");
    core::SystemClock clock;
    auto audit = TRY(core::AuditLog::open(config.audit_log, clock, config.audit));
    auto outcome = net::fetch_fleet_config(net::fetch_settings_from(config.network), audit);
    if (outcome.error) {
        // Whatever the cause (a malformed bundle included), the request was well formed and failed: exit 1.
        return make_error(ErrorCode::request_failed,
            outcome.stage + ": " + outcome.error->detail + "; kept "
                + (outcome.version.empty() ? std::string("no bundle (none installed yet)")
                                           : "bundle " + outcome.version));
    }
    JsonWriter json;
    json.begin_object().key("version").value(outcome.version).key("changed").value(outcome.changed()).end_object();
    streams.out << json.str() << "\n";
    return {};
}

} // namespace

Result<void> cmd_config(std::span<const std::string> args, Streams streams)
{
    if (args.empty() || args.front() != "fetch")
        return usage_error("needs fetch");
    return fetch(args.subspan(1), streams);
}

} // namespace kiosk::cli
