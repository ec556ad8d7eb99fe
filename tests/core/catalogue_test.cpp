// Tests of the shipped catalogue and translations: every partner and life event, every key in every language.
#include "kiosk/core/catalogue.h"
#include "kiosk/core/i18n.h"

#include <catch2/catch.hpp>

#include <fstream>

using namespace kiosk;
using namespace kiosk::core;

namespace {
std::filesystem::path const assets = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets";
}

TEST_CASE("the catalogue lists the nine national partners with valid domains")
{
    auto catalogue = load_catalogue(assets / "catalogue.toml");
    INFO((catalogue ? std::string() : catalogue.error().detail));
    REQUIRE(catalogue);
    for (auto slug : { "caf", "carsat", "cpam", "dgfip", "laposte", "msa", "ants", "justice", "francetravail" }) {
        INFO(slug);
        auto const* partner = catalogue->partner(slug);
        REQUIRE(partner);
        CHECK(partner->url.starts_with("https://"));
        CHECK_FALSE(partner->domains.empty());
        CHECK_FALSE(localized(partner->full_name, "en").empty());
    }
    CHECK(std::ranges::count_if(catalogue->partners, [](Partner const& p) { return p.on_home; }) == 9);
    CHECK(std::find(catalogue->always_allowed_domains.begin(), catalogue->always_allowed_domains.end(),
              "franceconnect.gouv.fr")
        != catalogue->always_allowed_domains.end());
}

TEST_CASE("the services of the brief are reached from life events, each with its own allow-list")
{
    auto catalogue = load_catalogue(assets / "catalogue.toml");
    REQUIRE(catalogue);
    for (auto [slug, domain] : { std::pair { "email", "laposte.net" }, { "simulateur", "mesdroitssociaux.gouv.fr" },
             { "rdv_titres", "rendezvouspasseport.ants.gouv.fr" }, { "demarches", "service-public.fr" } }) {
        INFO(slug);
        auto const* service = catalogue->partner(slug);
        REQUIRE(service);
        CHECK_FALSE(service->on_home);
        CHECK(std::ranges::find(service->domains, domain) != service->domains.end());
        CHECK(std::ranges::any_of(catalogue->events,
            [&](LifeEvent const& event) { return std::ranges::find(event.partners, slug) != event.partners.end(); }));
    }
    CHECK(std::ranges::find(catalogue->event("email")->partners, "email") != catalogue->event("email")->partners.end());
}

TEST_CASE("every visit allows FranceConnect and the login hosts of every identity provider, each once")
{
    auto catalogue = load_catalogue(assets / "catalogue.toml");
    REQUIRE(catalogue);
    std::vector<std::string> slugs;
    for (auto const& provider : catalogue->identity_providers) {
        slugs.push_back(provider.slug);
        CHECK_FALSE(provider.hosts.empty());
    }
    for (auto slug : { "impots", "ameli", "laposte", "msa", "franceidentite" })
        CHECK(std::ranges::find(slugs, slug) != slugs.end());
    for (auto const& partner : catalogue->partners) {
        INFO(partner.slug);
        auto allowed = catalogue->allowed_domains(partner);
        auto has = [&](std::string const& domain) { return std::ranges::count(allowed, domain) == 1; };
        for (auto const& domain : partner.domains)
            CHECK(has(domain));
        CHECK(has("franceconnect.gouv.fr"));
        for (auto const& provider : catalogue->identity_providers)
            for (auto const& host : provider.hosts)
                CHECK(has(host));
    }
}

TEST_CASE("a service nobody can reach, or an identity provider with a bad host, is refused")
{
    auto dir = std::filesystem::temp_directory_path() / ("kiosk-catalogue-services-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto write = [&](std::string const& extra, std::string const& event_partners) {
        std::ofstream(dir / "catalogue.toml")
            << "[[partner]]\nslug = \"caf\"\nname = \"CAF\"\nurl = \"https://www.caf.fr\"\n"
               "domains = [\"caf.fr\"]\nfull_name = { fr = \"x\" }\ndescription = { fr = \"y\" }\n"
               "[[partner]]\nslug = \"email\"\nname = \"E-mail\"\nurl = \"https://www.laposte.net\"\n"
               "domains = [\"laposte.net\"]\nhome = false\nfull_name = { fr = \"x\" }\ndescription = { fr = \"y\" }\n"
            << "[[event]]\nslug = \"e\"\ntitle = { fr = \"t\" }\npartners = [" << event_partners << "]\n"
            << extra;
        return load_catalogue(dir / "catalogue.toml");
    };
    auto reached = write("", "\"caf\", \"email\"");
    REQUIRE(reached);
    CHECK(reached->identity_providers.empty());
    auto unreached = write("", "\"caf\"");
    REQUIRE_FALSE(unreached);
    CHECK_THAT(unreached.error().detail, Catch::Contains("partner 'email' has home = false and is on no life event"));
    auto bad_host = write("[[identity_provider]]\nslug = \"impots\"\nname = \"impots.gouv.fr\"\n"
                          "hosts = [\"https://idp.impots.gouv.fr\"]\n",
        "\"email\"");
    REQUIRE_FALSE(bad_host);
    CHECK_THAT(
        bad_host.error().detail, Catch::Contains("catalogue.toml:23: identity provider 'impots': malformed host"));
    auto no_hosts = write("[[identity_provider]]\nslug = \"impots\"\nname = \"impots.gouv.fr\"\n", "\"email\"");
    REQUIRE_FALSE(no_hosts);
    CHECK_THAT(no_hosts.error().detail, Catch::Contains("identity provider 'impots' needs a list of hosts"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("the catalogue has the life events of the product brief, each naming known partners")
{
    auto catalogue = load_catalogue(assets / "catalogue.toml");
    REQUIRE(catalogue);
    for (auto slug :
        { "situation", "enfant", "demenagement", "retraite", "emploi", "deces", "papiers", "impots", "logement" }) {
        INFO(slug);
        auto const* event = catalogue->event(slug);
        REQUIRE(event);
        CHECK_FALSE(event->partners.empty());
        CHECK_FALSE(localized(event->title, "en").empty());
    }
}

TEST_CASE("a malformed catalogue is refused with the file and line")
{
    auto dir = std::filesystem::temp_directory_path() / ("kiosk-catalogue-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto file = dir / "catalogue.toml";
    std::ofstream(file)
        << "[[partner]]\nslug = \"caf\"\nname = \"CAF\"\nurl = \"https://www.caf.fr\"\ndomains = [\"caf..fr\"]\n"
           "full_name = { fr = \"x\" }\ndescription = { fr = \"y\" }\n";
    auto catalogue = load_catalogue(file);
    REQUIRE_FALSE(catalogue);
    CHECK(catalogue.error().detail.find("catalogue.toml:5: partner 'caf': malformed domain") != std::string::npos);
    CHECK(load_catalogue(dir / "missing.toml").error().code == ErrorCode::asset_missing);
    std::filesystem::remove_all(dir);
}

TEST_CASE("domains are checked the way the browser allow-list needs them")
{
    CHECK(is_valid_domain("caf.fr"));
    CHECK(is_valid_domain("impots.gouv.fr"));
    CHECK_FALSE(is_valid_domain("caf"));
    CHECK_FALSE(is_valid_domain("CAF.fr"));
    CHECK_FALSE(is_valid_domain("caf..fr"));
    CHECK_FALSE(is_valid_domain("-caf.fr"));
    CHECK_FALSE(is_valid_domain("caf-.fr"));
    CHECK_FALSE(is_valid_domain("*.caf.fr"));
    CHECK_FALSE(is_valid_domain("caf.fr/path"));
}

TEST_CASE("every French text has an English translation, and messages take their arguments")
{
    auto translations = Translations::load(assets / "i18n", { "fr", "en" });
    INFO((translations ? std::string() : translations.error().detail));
    REQUIRE(translations);
    CHECK(translations->text("fr", "home.documents", { "3" }) == "Mes documents (3)");
    CHECK(translations->text("en", "home.documents", { "3" }) == "My documents (3)");
    CHECK(translations->text("en", "no.such.key") == "no.such.key");
    // Each error code a person can meet has plain words in both languages.
    for (auto code : { ErrorCode::scanner_jammed, ErrorCode::scanner_cover_open, ErrorCode::scanner_no_docs,
             ErrorCode::scanner_gone, ErrorCode::storage_full, ErrorCode::printer_paper_out, ErrorCode::printer_quota,
             ErrorCode::browser_failed }) {
        auto key = "error." + std::string(to_string(code));
        CHECK(translations->has("fr", key));
        CHECK(translations->has("en", key));
    }
}

TEST_CASE("a translation missing a key is refused at start-up")
{
    auto dir = std::filesystem::temp_directory_path() / ("kiosk-i18n-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "fr.toml") << "[home]\ntitle = \"Accueil\"\nscan = \"Scanner\"\n";
    std::ofstream(dir / "en.toml") << "[home]\ntitle = \"Home\"\n";
    auto translations = Translations::load(dir, { "fr", "en" });
    REQUIRE_FALSE(translations);
    CHECK(translations.error().detail.find("en.toml: key 'home.scan' is missing") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("every partner says what its upload forms accept, and bad upload rules are refused")
{
    auto catalogue = load_catalogue(assets / "catalogue.toml");
    REQUIRE(catalogue);
    for (auto const& partner : catalogue->partners) {
        INFO(partner.slug);
        CHECK(partner.upload.known);
        CHECK((partner.upload.pdf || partner.upload.jpeg));
        CHECK(partner.upload.max_mb >= 1);
    }
    CHECK(catalogue->partner("dgfip")->upload.max_mb == 10);
    CHECK_FALSE(catalogue->partner("justice")->upload.jpeg);

    auto dir = std::filesystem::temp_directory_path() / ("kiosk-catalogue-upload-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto write = [&](std::string const& upload) {
        std::ofstream(dir / "catalogue.toml")
            << "[[partner]]\nslug = \"caf\"\nname = \"CAF\"\nurl = \"https://www.caf.fr\"\n"
               "domains = [\"caf.fr\"]\nfull_name = { fr = \"x\" }\ndescription = { fr = \"y\" }\n"
            << upload << "[[event]]\nslug = \"e\"\ntitle = { fr = \"t\" }\n";
        return load_catalogue(dir / "catalogue.toml");
    };
    auto none = write("");
    REQUIRE(none);
    CHECK_FALSE(none->partners[0].upload.known); // no rules: PDF or JPEG under 2 MB, said to be a guess
    CHECK(none->partners[0].upload.max_mb == 2);
    auto png = write("upload = { formats = [\"png\"], max_mb = 5 }\n");
    REQUIRE_FALSE(png);
    CHECK_THAT(png.error().detail, Catch::Contains("catalogue.toml:8: partner 'caf': upload formats are"));
    CHECK_FALSE(write("upload = { formats = [\"pdf\"], max_mb = 0 }\n"));
    CHECK_FALSE(write("upload = { formats = [], max_mb = 5 }\n"));
    CHECK_FALSE(write("upload = \"pdf\"\n"));
    std::filesystem::remove_all(dir);
}
