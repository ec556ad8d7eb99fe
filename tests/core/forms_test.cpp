// Tests of the forms index shipped in assets/forms.
#include "kiosk/core/forms.h"

#include <catch2/catch.hpp>

using namespace kiosk::core;

TEST_CASE("the shipped forms load and name known partners and events")
{
    std::filesystem::path assets = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets";
    auto catalogue = load_catalogue(assets / "catalogue.toml");
    REQUIRE(catalogue);
    auto forms = load_forms(assets / "forms" / "index.toml", *catalogue);
    INFO((forms ? std::string() : forms.error().detail));
    REQUIRE(forms);
    REQUIRE(forms->size() >= 2);
    bool sworn = false, proxy = false;
    for (auto const& form : *forms) {
        sworn = sworn || form.slug == "attestation_honneur";
        proxy = proxy || form.slug == "procuration";
        CHECK_FALSE(localized(form.title, "en").empty());
        CHECK(form.blocks.front().kind == "title");
    }
    CHECK(sworn);
    CHECK(proxy);
}
