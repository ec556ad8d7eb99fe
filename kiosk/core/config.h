// The kiosk's configuration: TOML on disk, a built-in default that runs on the simulated devices.
#pragma once

#include "kiosk/core/error.h"
#include "kiosk/core/session.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace kiosk::core {

struct DeviceConfig {
    std::string scanner = "sim";
    std::string printer = "sim";
    std::string idreader = "sim";
    std::string browser = "sim";
    // The headphone socket (drivers/audio/headset_jack.h): "alsa" every sound card's, "alsa:ctl=NAME" one, "none".
    std::string headset = "alsa";
};

struct DisplayConfig {
    bool fullscreen = true;
    int width = 1920;
    int height = 1080;
    std::filesystem::path font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    std::filesystem::path font_bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
    // The pictograms beside the words of actions (Debian's fonts-font-awesome: Font Awesome 4.7, SIL OFL 1.1).
    std::filesystem::path icon_font = "/usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf";
};

// The [network] section: where the fleet's signed configuration bundle comes from (kiosk/net/fleet_config.h).
struct NetworkConfig {
    std::string config_url; // https://…/bundle.tar, its signature at <config_url>.sig; empty: no central configuration
    std::filesystem::path config_pubkey; // the PEM Ed25519 public key the bundle's signature is checked against
    std::filesystem::path ca_file; // a private CA (PEM); empty: the system's CAs
    int config_interval_minutes = 60; // how often the running kiosk asks for a newer bundle
    std::filesystem::path config_dir; // where bundles are installed; empty: default_fleet_config_dir()
    // Prometheus: "127.0.0.1:9464" serves /metrics there (loopback or a fleet network's address); empty: no server.
    std::string metrics_listen;
    // A Pushgateway (https:// or http://) the kiosk pushes its metrics to, where the fleet cannot scrape it.
    std::string metrics_push_url;
    int metrics_push_interval_seconds = 60;
    // "Appeler un agent": the office's JSON webhook (https://). Empty: the kiosk says to ask at the desk.
    std::string agent_webhook;
    // The CAs the webhook's certificate must chain to, for an office's own chat server (PEM); empty: the system's.
    std::filesystem::path agent_webhook_ca_file;
};

// How an agent (not a technician: a technician always shows a badge and types a PIN) unlocks an assisted session.
enum class AgentUnlock { badge_and_pin, pin };

struct Config {
    std::string language = "fr";
    // What an agent or a technician reads to know which terminal this is: "Borne 2", "France Services Lure".
    std::string kiosk_name;
    std::string location;
    // A development machine: the real session may run as root and keep session storage on a disk. The packaged
    // configuration never sets it; `kiosk run` without --config (simulated devices) is one.
    bool dev_mode = false;
    AgentUnlock agent_unlock = AgentUnlock::badge_and_pin;
    std::filesystem::path runtime_dir; // empty: default_runtime_dir()
    std::filesystem::path audit_log; // empty: in memory only
    std::filesystem::path assets_dir; // empty: default_assets_dir()
    std::filesystem::path agents_file; // empty: default_agents_file()
    SessionTimings session;
    int page_quota = 20;
    // What one session may hold (scans, downloads), in MB: the runtime directory is a tmpfs, memory shared with the
    // next resident's session and the kiosk itself.
    int storage_mb = 200;
    DeviceConfig devices;
    DisplayConfig display;
    AuditSettings audit;
    NetworkConfig network;
};

// Parses TOML text. Errors read "SOURCE:LINE: key 'section.key': what is wrong" (ErrorCode::config_invalid).
// Unknown sections and keys are errors too, so a typo never goes unnoticed. Text over 32 KiB is refused whole.
Result<Config> parse_config(std::string_view toml_text, std::string_view source_name);
Result<Config> load_config(std::filesystem::path const& path);

// /run/kiosk when it can be created (root, tmpfs), else $XDG_RUNTIME_DIR/kiosk, else /tmp/kiosk-<uid>.
std::filesystem::path default_runtime_dir();
// /var/lib/france-services-kiosk/agents.toml for root, else under $XDG_STATE_HOME (or ~/.local/state).
std::filesystem::path default_agents_file();
// Where fetched configuration bundles are installed: /var/lib/france-services-kiosk/config for root, else under
// $XDG_STATE_HOME (or ~/.local/state), as the agents file.
std::filesystem::path default_fleet_config_dir();
// $KIOSK_ASSETS_DIR, else the installed assets, else the source tree's assets/.
std::filesystem::path default_assets_dir();

} // namespace kiosk::core
