// The partners and life events shown on the home screen, read from assets/catalogue.toml (one place for both).
#pragma once

#include "kiosk/core/error.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kiosk::core {

// Text in each interface language, keyed by language code ("fr", "en").
using LocalizedText = std::map<std::string, std::string>;
std::string const& localized(LocalizedText const& text, std::string const& language);

// What a partner's site accepts in its upload forms: the kiosk prepares each document to fit before the page gets it.
struct UploadRules {
    bool pdf = true;
    bool jpeg = true;
    int max_mb = 2; // the largest file, in MB of 10^6 bytes
    bool known = false; // false: the catalogue does not say; the defaults above are the safe guess
};

struct Partner {
    std::string slug; // stable: widget id partner_<slug>
    std::string name; // short name as people know it: "CAF", "ameli"
    LocalizedText full_name;
    LocalizedText description;
    std::string url; // home page opened in the browser
    std::vector<std::string> domains; // allow-list entries for the browser
    uint32_t color = 0x000091; // brand-neutral accent, 0xRRGGBB
    UploadRules upload;
    // false: a service reached from life events only (e-mail creation, a simulator), not a tile of the home screen.
    bool on_home = true;
};

// An identity provider FranceConnect offers: a login "with impots.gouv" passes through its hosts, from every visit.
struct IdentityProvider {
    std::string slug;
    std::string name;
    std::vector<std::string> hosts; // allow-list entries: the provider's login hosts (and their subdomains)
};

struct LifeEvent {
    std::string slug; // stable: widget id event_<slug>
    LocalizedText title;
    LocalizedText summary;
    std::vector<std::string> partners; // slugs, in the order a resident usually visits them
    std::vector<LocalizedText> documents; // what to bring or scan
};

struct Catalogue {
    std::vector<Partner> partners;
    std::vector<LifeEvent> events;
    std::vector<std::string> always_allowed_domains; // FranceConnect, service-public.fr: allowed with every partner
    std::vector<IdentityProvider> identity_providers;

    Partner const* partner(std::string const& slug) const;
    LifeEvent const* event(std::string const& slug) const;
    // Where a visit of this partner may go: its own domains, the ones allowed with every partner, and every
    // identity provider's login hosts, each once.
    std::vector<std::string> allowed_domains(Partner const& partner) const;
};

// Errors name the file and what is wrong (ErrorCode::asset_missing or config_invalid).
Result<Catalogue> load_catalogue(std::filesystem::path const& file);

// A domain as the browser allow-list needs it: lower-case labels of letters, digits and hyphens.
bool is_valid_domain(std::string const& domain);

} // namespace kiosk::core
