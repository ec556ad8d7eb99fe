// Network diagnostics for the technician: can this kiosk reach each partner site, FranceConnect and the fleet's
// configuration server, stage by stage (DNS, TCP, TLS, HTTP), and is a captive portal in the way?
#pragma once

#include "kiosk/core/catalogue.h"
#include "kiosk/core/config.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace kiosk::diagnostics {

// One line of the diagnostics: "dns www.caf.fr", ok, "93.184.216.34", 12 ms.
struct Check {
    std::string name;
    bool ok = false;
    std::string detail; // plain words for a technician: what was found, or why it failed
    int64_t ms = 0;
};

// A site to reach over HTTPS: its start address, and the CAs its certificate must chain to.
struct Target {
    std::string url; // https://host[:port]/path
    std::filesystem::path ca_file; // empty: the system's CAs
};

// Ubuntu's connectivity check answers 204 No Content over plain HTTP; any other answer to it means something on the
// way (a hotel's or a town hall's Wi-Fi login page) is answering in its place.
inline constexpr char default_captive_probe_url[] = "http://connectivity-check.ubuntu.com/";

struct NetworkRequest {
    std::vector<Target> targets;
    // Plain http://; its expected answer is 204 with no body. Empty: no captive-portal check.
    std::string captive_probe_url = default_captive_probe_url;
    // "host:port:address" entries, as curl's --resolve: the names resolve to these addresses, at the DNS stage too.
    std::vector<std::string> resolve;
    // "host:port:other-host:other-port" entries, as curl's --connect-to: the connection goes there, the certificate
    // is still checked against the site's own name (a server on a test port standing in for one on 443).
    std::vector<std::string> connect_to;
    // Each stage (DNS, TCP, TLS, the HTTP answer) of each site has this long before it counts as failed.
    std::chrono::milliseconds stage_timeout { 5000 };
    // How many sites are tried at once: a dozen unreachable sites take one stage timeout, not a dozen.
    unsigned max_parallel = 16;
    // Set from another thread, it ends every check within a tenth of a second; the ones not finished say so.
    std::atomic<bool> const* cancel = nullptr;
    // Called on the calling thread as each site's checks are known (in the order they finish), for a screen that
    // shows them as they come; not for the sites a cancel cut short (the returned list has them).
    std::function<void(std::vector<Check> const&)> on_site_done;
};

// Runs every check; blocking, so the UI calls it from a worker thread and posts the result (and each on_site_done's
// checks) to the UI thread, keeping the atomic it set as cancel alive until the worker is joined. The checks come back
// in the request's order: per site "dns HOST", "tcp HOST", "tls HOST", "http HOST" up to the first that failed (a stage
// after a failed one is not tried), then "captive-portal HOST". Any HTTP answer below 500 passes the http stage: the
// site is reached, even if it refuses a request that is not a browser's.
std::vector<Check> run_network_checks(NetworkRequest const& request);

// The start address of every partner site in the catalogue (each host once), FranceConnect's, and the fleet's
// configuration server when the configuration names one (checked against network.ca_file).
std::vector<Target> targets_from(core::Catalogue const& catalogue, core::NetworkConfig const& network);

inline constexpr char franceconnect_url[] = "https://app.franceconnect.gouv.fr/";

} // namespace kiosk::diagnostics
