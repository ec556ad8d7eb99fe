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
    CHECK(catalogue->partners.size() == 9);
    CHECK(std::find(catalogue->always_allowed_domains.begin(), catalogue->always_allowed_domains.end(),
              "franceconnect.gouv.fr")
        != catalogue->always_allowed_domains.end());
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
