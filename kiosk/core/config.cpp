// Reads the TOML configuration with toml++, checking every key against the known schema.
#include "kiosk/core/config.h"

#include "kiosk/core/languages.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "kiosk/core/toml_file.h"

namespace kiosk::core {

namespace {

// "A.B.C.D:PORT", the only form the metrics server binds (an IPv4 address of this machine, a port 1..65535).
bool valid_listen_address(std::string_view text)
{
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == text.size() || text.size() - colon - 1 > 5)
        return false;
    int port = 0;
    for (char c : text.substr(colon + 1)) {
        if (c < '0' || c > '9')
            return false;
        port = port * 10 + (c - '0');
    }
    int parts = 0;
    for (size_t start = 0; start <= colon; ++parts) {
        size_t end = text.find('.', start);
        if (end == std::string_view::npos || end > colon)
            end = colon;
        auto part = text.substr(start, end - start);
        if (part.empty() || part.size() > 3 || part.find_first_not_of("0123456789") != std::string_view::npos
            || std::stoi(std::string(part)) > 255)
            return false;
        start = end + 1;
    }
    return parts == 4 && port >= 1 && port <= 65535;
}

class ConfigReader {
public:
    ConfigReader(toml::table const& root, std::string_view source)
        : m_root(root)
        , m_source(source)
    {
    }

    std::unexpected<Error> fail(toml::node const* node, std::string_view key, std::string_view message) const
    {
        std::ostringstream text;
        text << m_source;
        if (node && node->source().begin)
            text << ':' << node->source().begin.line;
        text << ": key '" << key << "': " << message;
        return make_error(ErrorCode::config_invalid, text.str());
    }

    // Every key present must be one we know, so a misspelt key is reported rather than ignored.
    Result<void> check_known(
        std::initializer_list<std::pair<std::string_view, std::initializer_list<std::string_view>>> schema) const
    {
        for (auto const& [section_name, section_node] : m_root) {
            auto const* known_section = find_section(schema, section_name.str());
            if (!known_section)
                return fail(&section_node, section_name.str(), "unknown section");
            auto const* table = section_node.as_table();
            if (!table)
                return fail(
                    &section_node, section_name.str(), "must be a table ([" + std::string(section_name.str()) + "])");
            for (auto const& [key, node] : *table) {
                bool known = false;
                for (auto name : *known_section)
                    known = known || name == key.str();
                if (!known)
                    return fail(&node, std::string(section_name.str()) + "." + std::string(key.str()), "unknown key");
            }
        }
        return {};
    }

    Result<void> read_int(std::string_view section, std::string_view key, int64_t min, int64_t max, auto& out) const
    {
        auto const* node = m_root.at_path(std::string(section) + "." + std::string(key)).node();
        if (!node)
            return {};
        auto full = std::string(section) + "." + std::string(key);
        auto value = node->value_exact<int64_t>();
        if (!value || *value < min || *value > max)
            return fail(
                node, full, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
        out = static_cast<std::remove_reference_t<decltype(out)>>(*value);
        return {};
    }

    Result<void> read_bool(std::string_view section, std::string_view key, bool& out) const
    {
        auto full = std::string(section) + "." + std::string(key);
        auto const* node = m_root.at_path(full).node();
        if (!node)
            return {};
        auto value = node->value_exact<bool>();
        if (!value)
            return fail(node, full, "must be true or false");
        out = *value;
        return {};
    }

    Result<void> read_string(std::string_view section, std::string_view key, auto& out) const
    {
        auto full = std::string(section) + "." + std::string(key);
        auto const* node = m_root.at_path(full).node();
        if (!node)
            return {};
        auto value = node->value_exact<std::string>();
        if (!value)
            return fail(node, full, "must be a quoted string");
        out = *value;
        return {};
    }

    toml::node const* node(std::string_view section, std::string_view key) const
    {
        return m_root.at_path(std::string(section) + "." + std::string(key)).node();
    }

private:
    static std::initializer_list<std::string_view> const* find_section(
        std::initializer_list<std::pair<std::string_view, std::initializer_list<std::string_view>>> const& schema,
        std::string_view name)
    {
        for (auto const& entry : schema)
            if (entry.first == name)
                return &entry.second;
        return nullptr;
    }

    toml::table const& m_root;
    std::string m_source;
};

Result<void> read_seconds(
    ConfigReader const& reader, std::string_view key, int64_t min, int64_t max, std::chrono::seconds& out)
{
    int64_t value = out.count();
    TRY(reader.read_int("session", key, min, max, value));
    out = std::chrono::seconds(value);
    return {};
}

} // namespace

Result<Config> parse_config(std::string_view toml_text, std::string_view source_name)
{
    // toml++ follows nested tables recursively, so a few hundred KB of dotted keys ("a.a.a…") overflow the stack.
    // A real configuration is a few KB (the documented example, every comment included, is 3 KB), and 32 KiB
    // nests at most 16,000 tables: half of what the sanitizer build survives.
    constexpr size_t max_bytes = 32 * 1024;
    if (toml_text.size() > max_bytes)
        return make_error(ErrorCode::config_invalid,
            std::string(source_name) + ": over " + std::to_string(max_bytes) + " bytes, too large for a configuration");
    toml::table const root = TRY(parse_toml(toml_text, source_name));
    ConfigReader reader(root, source_name);
    TRY(reader.check_known({
        { "kiosk",
            { "language", "name", "location", "runtime_dir", "audit_log", "assets_dir", "agents_file", "dev_mode" } },
        { "agents", { "unlock" } },
        { "session",
            { "idle_warning_seconds", "idle_countdown_seconds", "max_minutes", "welcome_timeout_seconds",
                "ending_seconds", "page_quota", "storage_mb" } },
        { "devices", { "scanner", "printer", "idreader", "browser", "headset" } },
        { "display", { "fullscreen", "width", "height", "font", "font_bold", "icon_font" } },
        { "audit", { "retention_days", "per_session_detail" } },
        { "network",
            { "config_url", "config_pubkey", "ca_file", "config_interval_minutes", "config_dir", "metrics_listen",
                "metrics_push_url", "metrics_push_interval_seconds", "agent_webhook", "agent_webhook_ca_file" } },
    }));

    Config config;
    TRY(reader.read_string("kiosk", "language", config.language));
    if (!find_language(config.language))
        return reader.fail(reader.node("kiosk", "language"), "kiosk.language",
            "must be one of fr en ar es pt tr ro uk (the languages the kiosk speaks)");
    TRY(reader.read_string("kiosk", "name", config.kiosk_name));
    TRY(reader.read_string("kiosk", "location", config.location));
    for (auto [key, text] : { std::pair { "name", &config.kiosk_name }, std::pair { "location", &config.location } })
        if (text->size() > 120 || text->find_first_of("\n\r\t") != std::string::npos)
            return reader.fail(
                reader.node("kiosk", key), "kiosk." + std::string(key), "must be one line of at most 120 bytes");
    TRY(reader.read_string("kiosk", "runtime_dir", config.runtime_dir));
    TRY(reader.read_string("kiosk", "audit_log", config.audit_log));
    TRY(reader.read_string("kiosk", "assets_dir", config.assets_dir));
    TRY(reader.read_string("kiosk", "agents_file", config.agents_file));
    TRY(reader.read_bool("kiosk", "dev_mode", config.dev_mode));
    std::string unlock = "badge_and_pin";
    TRY(reader.read_string("agents", "unlock", unlock));
    if (unlock == "pin")
        config.agent_unlock = AgentUnlock::pin;
    else if (unlock != "badge_and_pin")
        return reader.fail(reader.node("agents", "unlock"), "agents.unlock", "must be \"badge_and_pin\" or \"pin\"");
    if (!config.runtime_dir.empty() && !config.runtime_dir.is_absolute())
        return reader.fail(reader.node("kiosk", "runtime_dir"), "kiosk.runtime_dir", "must be an absolute path");

    TRY(read_seconds(reader, "idle_warning_seconds", 10, 3600, config.session.idle_warning));
    TRY(read_seconds(reader, "idle_countdown_seconds", 5, 600, config.session.idle_countdown));
    TRY(read_seconds(reader, "welcome_timeout_seconds", 10, 3600, config.session.welcome_timeout));
    TRY(read_seconds(reader, "ending_seconds", 3, 120, config.session.ending_grace));
    int64_t max_minutes = config.session.max_length.count() / 60;
    TRY(reader.read_int("session", "max_minutes", 5, 480, max_minutes));
    config.session.max_length = std::chrono::minutes(max_minutes);
    TRY(reader.read_int("session", "page_quota", 0, 1000, config.page_quota));
    TRY(reader.read_int("session", "storage_mb", 10, 4096, config.storage_mb));

    TRY(reader.read_string("devices", "scanner", config.devices.scanner));
    TRY(reader.read_string("devices", "printer", config.devices.printer));
    TRY(reader.read_string("devices", "idreader", config.devices.idreader));
    TRY(reader.read_string("devices", "browser", config.devices.browser));
    TRY(reader.read_string("devices", "headset", config.devices.headset));

    TRY(reader.read_bool("display", "fullscreen", config.display.fullscreen));
    TRY(reader.read_int("display", "width", 1280, 7680, config.display.width));
    TRY(reader.read_int("display", "height", 800, 4320, config.display.height));
    TRY(reader.read_string("display", "font", config.display.font));
    TRY(reader.read_string("display", "font_bold", config.display.font_bold));
    TRY(reader.read_string("display", "icon_font", config.display.icon_font));

    TRY(reader.read_int("audit", "retention_days", 1, 3650, config.audit.retention_days));
    TRY(reader.read_bool("audit", "per_session_detail", config.audit.per_session_detail));

    TRY(reader.read_string("network", "config_url", config.network.config_url));
    // Only HTTPS: the signature protects the bundle, but a plain-text fetch would also tell any listener which
    // configuration each kiosk runs and let it hold back updates unseen.
    if (!config.network.config_url.empty() && !config.network.config_url.starts_with("https://"))
        return reader.fail(reader.node("network", "config_url"), "network.config_url", "must be an https:// address");
    TRY(reader.read_string("network", "config_pubkey", config.network.config_pubkey));
    TRY(reader.read_string("network", "ca_file", config.network.ca_file));
    TRY(reader.read_int("network", "config_interval_minutes", 1, 10080, config.network.config_interval_minutes));
    TRY(reader.read_string("network", "config_dir", config.network.config_dir));
    TRY(reader.read_string("network", "metrics_listen", config.network.metrics_listen));
    if (!config.network.metrics_listen.empty() && !valid_listen_address(config.network.metrics_listen))
        return reader.fail(reader.node("network", "metrics_listen"), "network.metrics_listen",
            "must be an IPv4 address and a port, such as \"127.0.0.1:9464\"");
    TRY(reader.read_string("network", "metrics_push_url", config.network.metrics_push_url));
    if (!config.network.metrics_push_url.empty() && !config.network.metrics_push_url.starts_with("https://")
        && !config.network.metrics_push_url.starts_with("http://"))
        return reader.fail(reader.node("network", "metrics_push_url"), "network.metrics_push_url",
            "must be an http:// or https:// address");
    TRY(reader.read_int(
        "network", "metrics_push_interval_seconds", 10, 86400, config.network.metrics_push_interval_seconds));
    TRY(reader.read_string("network", "agent_webhook", config.network.agent_webhook));
    // A call for help names the kiosk and where it stands: only over HTTPS.
    if (!config.network.agent_webhook.empty() && !config.network.agent_webhook.starts_with("https://"))
        return reader.fail(
            reader.node("network", "agent_webhook"), "network.agent_webhook", "must be an https:// address");
    TRY(reader.read_string("network", "agent_webhook_ca_file", config.network.agent_webhook_ca_file));
    if (!config.network.config_url.empty() && config.network.config_pubkey.empty())
        return reader.fail(reader.node("network", "config_url"), "network.config_pubkey",
            "must be set when network.config_url is (an unsigned bundle is never installed)");
    for (auto [key, path] : { std::pair { "config_pubkey", &config.network.config_pubkey },
             std::pair { "ca_file", &config.network.ca_file }, std::pair { "config_dir", &config.network.config_dir },
             std::pair { "agent_webhook_ca_file", &config.network.agent_webhook_ca_file } })
        if (!path->empty() && !path->is_absolute())
            return reader.fail(reader.node("network", key), "network." + std::string(key), "must be an absolute path");
    return config;
}

Result<Config> load_config(std::filesystem::path const& path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return make_error(ErrorCode::config_invalid, path.string() + ": cannot read the file");
    std::ostringstream text;
    text << file.rdbuf();
    return parse_config(text.str(), path.string());
}

} // namespace kiosk::core
