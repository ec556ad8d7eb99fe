// The fleet's central configuration: fetch the signed bundle, check it, install it atomically, keep the last good
// one. One call does a whole attempt and says what came of it; the running kiosk calls it on its schedule and
// applies the installed bundle between sessions.
//
// On disk, under the configuration directory (NetworkConfig::config_dir):
//   bundles/<version>/kiosk.toml    each installed bundle, unpacked; at most the current one and the one before
//   bundles/<version>/assets/...    (when the bundle has assets)
//   current -> bundles/<version>    the bundle in use, swapped by rename(2), so a reader sees the old or the new
//   etag                            the server's ETag for current, and the address it came from
//   lock                            flocked during an attempt (kiosk config fetch beside the running kiosk)
#pragma once

#include "kiosk/core/audit_log.h"
#include "kiosk/core/config.h"
#include "kiosk/core/error.h"
#include "kiosk/net/tar_reader.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace kiosk::net {

struct FleetFetchSettings {
    std::string url; // the bundle; its signature is at url + ".sig"
    std::filesystem::path public_key; // PEM Ed25519
    std::filesystem::path ca_file; // empty: the system's CAs
    std::filesystem::path config_dir; // where bundles are installed
    std::chrono::milliseconds connect_timeout { 10'000 };
    std::chrono::milliseconds total_timeout { 60'000 }; // for each of the two downloads
    size_t max_bundle_bytes = 32 * 1024 * 1024;
    TarLimits limits;
    // Set from another thread (the kiosk stopping), it ends a download at once: the attempt fails, "cancelled".
    std::atomic<bool> const* cancel = nullptr;
};

// The settings a configuration's [network] section gives (config_dir defaulted).
FleetFetchSettings fetch_settings_from(core::NetworkConfig const& network);

enum class FetchResult {
    installed, // a new bundle was checked and is now current
    unchanged, // the server has nothing newer (304, or the same bytes as current)
    failed, // nothing installed; current, if any, is kept
};

struct FetchOutcome {
    FetchResult result = FetchResult::failed;
    // The version of the bundle in use after the attempt: the SHA-256 (lower-case hex) of the .tar as signed, so
    // `sha256sum bundle.tar` on the server names it. Empty when no bundle was ever installed.
    std::string version;
    // failed: where (download, signature, bundle, validation, install) and why; the error's code is the cause's
    // (ErrorCode::request_failed for the network and the signature, config_invalid for the contents, io for the
    // disk).
    std::string stage;
    std::optional<Error> error;
    bool changed() const { return result == FetchResult::installed; }
};

// One whole attempt: download, verify, unpack, validate like local files, install. Never throws. Records one
// "config_fetch" line in the audit log ({"result","version"} and, on failure, {"stage","error"}).
FetchOutcome fetch_fleet_config(FleetFetchSettings const& settings, core::AuditLog& audit);

struct InstalledBundle {
    std::string version;
    std::filesystem::path dir; // bundles/<version>
    std::filesystem::path kiosk_toml;
    std::optional<std::filesystem::path> assets_dir; // when the bundle carries assets
};

// The bundle in use, if any.
std::optional<InstalledBundle> installed_bundle(std::filesystem::path const& config_dir);

// The configuration the kiosk runs with once a bundle is applied: the bundle's kiosk.toml, with its assets when it
// has them, and the local [network] section (a bundle cannot say where bundles come from or which key signs them).
Result<core::Config> load_bundle_config(InstalledBundle const& bundle, core::NetworkConfig const& local_network);

// How long to wait before the next attempt. After a success, the interval. After `failures` failed attempts in a
// row, 1, 2, 4, 8… minutes, never more than the interval. spread (0 to 1, a random draw) moves it by up to ±20 %
// so that 2,800 kiosks that lost the server together do not all come back in the same second.
std::chrono::seconds next_fetch_delay(int failures, std::chrono::minutes interval, double spread);

// What the running kiosk does beside its screen while it serves residents: an attempt at start-up, then one on the
// schedule next_fetch_delay gives, until stopping is set (which also ends a download under way). installed is called
// (on this thread) after each attempt that installed a new bundle, for the kiosk to restart onto it between sessions.
void keep_fleet_config(FleetFetchSettings settings, std::chrono::minutes interval, core::AuditLog& audit,
    std::atomic<bool> const& stopping, std::function<void()> const& installed);

} // namespace kiosk::net
