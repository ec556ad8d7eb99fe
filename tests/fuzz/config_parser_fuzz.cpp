// libFuzzer target for the configuration parser: arbitrary bytes as the text of one kiosk.toml.
#include "kiosk/core/config.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace core = kiosk::core;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    using namespace std::chrono_literals;
    std::string_view const text(reinterpret_cast<char const*>(data), size);

    // An exception leaving parse_config is a bug too: uncaught, it aborts and libFuzzer reports it.
    auto const config = core::parse_config(text, "fuzz.toml");
    if (!config) {
        // Every error is a configuration error naming the file, as `kiosk run` prints it.
        if (config.error().code != kiosk::ErrorCode::config_invalid || !config.error().detail.starts_with("fuzz.toml"))
            std::abort();
        return 0;
    }

    // What the rest of the kiosk relies on once a configuration is accepted: the documented ranges.
    if (config->language != "fr" && config->language != "en")
        std::abort();
    if (!config->runtime_dir.empty() && !config->runtime_dir.is_absolute())
        std::abort();
    auto const& session = config->session;
    if (session.idle_warning < 10s || session.idle_warning > 3600s || session.idle_countdown < 5s
        || session.idle_countdown > 600s || session.welcome_timeout < 10s || session.welcome_timeout > 3600s
        || session.ending_grace < 3s || session.ending_grace > 120s || session.max_length < 5min
        || session.max_length > 480min)
        std::abort();
    if (config->page_quota < 0 || config->page_quota > 1000 || config->storage_mb < 10 || config->storage_mb > 4096)
        std::abort();
    if (config->display.width < 1280 || config->display.width > 7680 || config->display.height < 800
        || config->display.height > 4320)
        std::abort();
    // The central configuration is fetched over HTTPS only, and never without a key to check it against.
    auto const& network = config->network;
    if (!network.config_url.empty()
        && (!network.config_url.starts_with("https://") || network.config_pubkey.empty()
            || !network.config_pubkey.is_absolute()))
        std::abort();
    if (network.config_interval_minutes < 1 || network.config_interval_minutes > 10080)
        std::abort();
    return 0;
}
