// Loads and validates the partner and life-event catalogue.
#include "kiosk/core/catalogue.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "kiosk/core/toml_file.h"

namespace kiosk::core {

std::string const& localized(LocalizedText const& text, std::string const& language)
{
    static std::string const empty;
    if (auto it = text.find(language); it != text.end())
        return it->second;
    if (auto it = text.find("fr"); it != text.end())
        return it->second;
    return empty;
}

Partner const* Catalogue::partner(std::string const& slug) const
{
    for (auto const& p : partners)
        if (p.slug == slug)
            return &p;
    return nullptr;
}

LifeEvent const* Catalogue::event(std::string const& slug) const
{
    for (auto const& e : events)
        if (e.slug == slug)
            return &e;
    return nullptr;
}

std::vector<std::string> Catalogue::allowed_domains(Partner const& partner) const
{
    std::vector<std::string> domains;
    auto add = [&](std::string const& domain) {
        if (std::find(domains.begin(), domains.end(), domain) == domains.end())
            domains.push_back(domain);
    };
    for (auto const& domain : partner.domains)
        add(domain);
    for (auto const& domain : always_allowed_domains)
        add(domain);
    for (auto const& provider : identity_providers)
        for (auto const& host : provider.hosts)
            add(host);
    return domains;
}

bool is_valid_domain(std::string const& domain)
{
    if (domain.empty() || domain.size() > 253 || domain.front() == '.' || domain.back() == '.')
        return false;
    size_t label_length = 0;
    bool has_dot = false;
    for (size_t i = 0; i < domain.size(); ++i) {
        char c = domain[i];
        if (c == '.') {
            if (label_length == 0 || domain[i - 1] == '-')
                return false;
            label_length = 0;
            has_dot = true;
            continue;
        }
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && label_length > 0);
        if (!ok || ++label_length > 63)
            return false;
    }
    return has_dot;
}

namespace {

std::unexpected<Error> fail(std::filesystem::path const& file, toml::node const* node, std::string const& message)
{
    return toml_error(file, node, message);
}

Result<LocalizedText> read_localized(
    std::filesystem::path const& file, toml::table const& table, std::string const& key, bool required)
{
    LocalizedText text;
    auto const* node = table.get(key);
    if (!node) {
        if (required)
            return fail(file, &table, "missing '" + key + "'");
        return text;
    }
    auto const* languages = node->as_table();
    if (!languages)
        return fail(file, node, "'" + key + "' must be a table of languages (fr = \"…\")");
    for (auto const& [language, value] : *languages) {
        auto string = value.value_exact<std::string>();
        if (!string)
            return fail(file, &value, "'" + key + "." + std::string(language.str()) + "' must be a string");
        text[std::string(language.str())] = *string;
    }
    if (!text.contains("fr"))
        return fail(file, node, "'" + key + "' has no French text (fr)");
    return text;
}

std::optional<std::string> string_of(toml::table const& table, std::string const& key)
{
    return table[key].value_exact<std::string>();
}

} // namespace

Result<Catalogue> load_catalogue(std::filesystem::path const& file)
{
    toml::table const root = TRY(parse_toml_file(file));
    Catalogue catalogue;
    std::set<std::string> slugs;

    auto const* partners = root["partner"].as_array();
    if (!partners || partners->empty())
        return fail(file, &root, "no [[partner]] entries");
    for (auto const& entry : *partners) {
        auto const* table = entry.as_table();
        if (!table)
            return fail(file, &entry, "[[partner]] must be a table");
        Partner partner;
        auto slug = string_of(*table, "slug");
        auto name = string_of(*table, "name");
        auto url = string_of(*table, "url");
        if (!slug || slug->empty() || !name || !url)
            return fail(file, table, "a partner needs slug, name and url");
        if (!slugs.insert("partner_" + *slug).second)
            return fail(file, table, "partner '" + *slug + "' is listed twice");
        partner.slug = *slug;
        partner.name = *name;
        partner.url = *url;
        if (!partner.url.starts_with("https://"))
            return fail(file, table, "partner '" + *slug + "': url must start with https://");
        partner.full_name = TRY(read_localized(file, *table, "full_name", true));
        partner.description = TRY(read_localized(file, *table, "description", true));
        if (auto color = string_of(*table, "color"); color && color->size() == 7 && (*color)[0] == '#')
            partner.color = static_cast<uint32_t>(std::stoul(color->substr(1), nullptr, 16));
        auto const* domains = (*table)["domains"].as_array();
        if (!domains || domains->empty())
            return fail(file, table, "partner '" + *slug + "' needs a list of domains");
        for (auto const& domain_node : *domains) {
            auto domain = domain_node.value_exact<std::string>();
            if (!domain || !is_valid_domain(*domain))
                return fail(file, &domain_node, "partner '" + *slug + "': malformed domain");
            partner.domains.push_back(*domain);
        }
        if (auto const* home = table->get("home")) {
            auto on_home = home->value_exact<bool>();
            if (!on_home)
                return fail(file, home, "partner '" + *slug + "': home must be true or false");
            partner.on_home = *on_home;
        }
        if (auto const* upload_node = table->get("upload")) {
            auto const* upload = upload_node->as_table();
            if (!upload)
                return fail(file, upload_node, "partner '" + *slug + "': upload must be a table (formats, max_mb)");
            auto const* formats = (*upload)["formats"].as_array();
            auto max_mb = (*upload)["max_mb"].value_exact<int64_t>();
            if (!formats || formats->empty() || !max_mb || *max_mb < 1 || *max_mb > 100)
                return fail(file, upload_node,
                    "partner '" + *slug + "': upload needs formats (\"pdf\", \"jpeg\") and max_mb from 1 to 100");
            partner.upload = UploadRules { false, false, static_cast<int>(*max_mb), true };
            for (auto const& format_node : *formats) {
                auto format = format_node.value_exact<std::string>();
                if (format && *format == "pdf")
                    partner.upload.pdf = true;
                else if (format && *format == "jpeg")
                    partner.upload.jpeg = true;
                else
                    return fail(file, &format_node, "partner '" + *slug + "': upload formats are \"pdf\" and \"jpeg\"");
            }
        }
        catalogue.partners.push_back(std::move(partner));
    }

    auto const* events = root["event"].as_array();
    if (!events || events->empty())
        return fail(file, &root, "no [[event]] entries");
    for (auto const& entry : *events) {
        auto const* table = entry.as_table();
        if (!table)
            return fail(file, &entry, "[[event]] must be a table");
        LifeEvent event;
        auto slug = string_of(*table, "slug");
        if (!slug || slug->empty())
            return fail(file, table, "an event needs a slug");
        if (!slugs.insert("event_" + *slug).second)
            return fail(file, table, "event '" + *slug + "' is listed twice");
        event.slug = *slug;
        event.title = TRY(read_localized(file, *table, "title", true));
        event.summary = TRY(read_localized(file, *table, "summary", false));
        if (auto const* partner_list = (*table)["partners"].as_array()) {
            for (auto const& node : *partner_list) {
                auto partner = node.value_exact<std::string>();
                if (!partner || !catalogue.partner(*partner))
                    return fail(file, &node, "event '" + *slug + "' names an unknown partner");
                event.partners.push_back(*partner);
            }
        }
        if (auto const* documents = (*table)["documents"].as_array()) {
            for (auto const& node : *documents) {
                auto const* doc = node.as_table();
                if (!doc)
                    return fail(file, &node, "event '" + *slug + "': documents are tables of languages");
                LocalizedText text;
                for (auto const& [language, value] : *doc)
                    if (auto string = value.value_exact<std::string>())
                        text[std::string(language.str())] = *string;
                if (!text.contains("fr"))
                    return fail(file, &node, "event '" + *slug + "': a document has no French text");
                event.documents.push_back(std::move(text));
            }
        }
        catalogue.events.push_back(std::move(event));
    }
    if (auto const* always = root["browser"]["always_allowed"].as_array()) {
        for (auto const& node : *always) {
            auto domain = node.value_exact<std::string>();
            if (!domain || !is_valid_domain(*domain))
                return fail(file, &node, "browser.always_allowed: malformed domain");
            catalogue.always_allowed_domains.push_back(*domain);
        }
    }
    if (auto const* providers = root["identity_provider"].as_array()) {
        for (auto const& entry : *providers) {
            auto const* table = entry.as_table();
            if (!table)
                return fail(file, &entry, "[[identity_provider]] must be a table");
            IdentityProvider provider;
            auto slug = string_of(*table, "slug");
            auto name = string_of(*table, "name");
            if (!slug || slug->empty() || !name || name->empty())
                return fail(file, table, "an identity provider needs slug and name");
            if (!slugs.insert("identity_provider_" + *slug).second)
                return fail(file, table, "identity provider '" + *slug + "' is listed twice");
            provider.slug = *slug;
            provider.name = *name;
            auto const* hosts = (*table)["hosts"].as_array();
            if (!hosts || hosts->empty())
                return fail(file, table, "identity provider '" + *slug + "' needs a list of hosts");
            for (auto const& node : *hosts) {
                auto host = node.value_exact<std::string>();
                if (!host || !is_valid_domain(*host))
                    return fail(file, &node, "identity provider '" + *slug + "': malformed host");
                provider.hosts.push_back(*host);
            }
            catalogue.identity_providers.push_back(std::move(provider));
        }
    }
    // A service kept off the home screen is reached through a life event, or not at all.
    for (auto const& partner : catalogue.partners) {
        bool on_an_event = std::ranges::any_of(catalogue.events, [&](LifeEvent const& event) {
            return std::ranges::find(event.partners, partner.slug) != event.partners.end();
        });
        if (!partner.on_home && !on_an_event)
            return fail(file, &root,
                "partner '" + partner.slug + "' has home = false and is on no life event: nothing reaches it");
    }
    return catalogue;
}

} // namespace kiosk::core
