// Tests of the forms index: the one shipped in assets/forms, and the mistakes an index can hold.
#include "kiosk/core/forms.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <unistd.h>

using kiosk::tests::TempDir;

using namespace kiosk;
using namespace kiosk::core;

namespace {
std::filesystem::path const assets = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets";

// Loads an index of one form whose last lines are `rest`, written in a fresh folder.
Result<std::vector<Form>> load_one(std::string const& rest)
{
    TempDir dir("kiosk-forms");
    auto catalogue = load_catalogue(assets / "catalogue.toml");
    REQUIRE(catalogue);
    std::ofstream(dir.path() / "index.toml") << "[[form]]\nslug = \"demo\"\ntitle = { fr = \"Démo\", en = \"Demo\" }\n"
                                             << rest;
    auto forms = load_forms(dir.path() / "index.toml", *catalogue);
    if (!forms)
        // The error names the file; the folder is gone by the time the caller reads it, so keep only its name.
        forms.error().detail.replace(0, dir.path().string().size() + 1, "");
    return forms;
}
} // namespace

TEST_CASE("the shipped forms load and name known partners and events")
{
    auto catalogue = load_catalogue(assets / "catalogue.toml");
    REQUIRE(catalogue);
    auto forms = load_forms(assets / "forms" / "index.toml", *catalogue);
    INFO((forms ? std::string() : forms.error().detail));
    REQUIRE(forms);
    REQUIRE(forms->size() >= 2);
    bool sworn = false, proxy = false;
    for (auto const& form : *forms) {
        INFO(form.slug);
        sworn = sworn || form.slug == "attestation_honneur";
        proxy = proxy || form.slug == "procuration";
        CHECK_FALSE(localized(form.title, "en").empty());
        CHECK_FALSE(form.number.empty());
        CHECK_FALSE(form.partners.empty());
        if (form.written_by_kiosk()) {
            CHECK(form.blocks.front().kind == "title");
        } else {
            CHECK(form.blocks.empty());
            CHECK(form.file->parent_path() == assets / "forms");
            CHECK(form.file->extension() == ".pdf");
        }
    }
    CHECK(sworn);
    CHECK(proxy);
}

TEST_CASE("an official form's file is resolved in the index's folder, and may be absent")
{
    auto forms = load_one("partners = [\"cpam\"]\nfile = \"cerfa_12345.pdf\"\n");
    INFO((forms ? std::string() : forms.error().detail));
    REQUIRE(forms);
    REQUIRE(forms->size() == 1);
    auto const& form = forms->front();
    REQUIRE(form.file);
    CHECK(form.file->filename() == "cerfa_12345.pdf");
    CHECK(form.file->parent_path().filename().string().starts_with("kiosk-forms-"));
    CHECK_FALSE(form.written_by_kiosk());
    CHECK(form.blocks.empty());
}

TEST_CASE("mistakes in the forms index are named with their file and line")
{
    struct Case {
        std::string rest;
        std::string error;
    };
    auto const [rest, error] = GENERATE(values<Case>({
        { "partners = [\"caf\", \"banque\"]\nfile = \"a.pdf\"\n",
            "index.toml:4: form 'demo' names an unknown partner 'banque'" },
        { "events = [\"vacances\"]\nfile = \"a.pdf\"\n",
            "index.toml:4: form 'demo' names an unknown event 'vacances'" },
        { "partners = [\"caf\"]\n", "index.toml:1: form 'demo' has neither blocks nor a file" },
        { "file = \"a.pdf\"\nblocks = [ { kind = \"title\", text = \"Démo\" } ]\n",
            "index.toml:4: form 'demo' has both blocks and a file" },
        { "file = \"../secret.pdf\"\n", "index.toml:4: form 'demo': file '../secret.pdf' must be a plain file name" },
        { "file = \"sub/form.pdf\"\n", "index.toml:4: form 'demo': file 'sub/form.pdf' must be a plain file name" },
        { "file = \"C:\\\\form.pdf\"\n", "index.toml:4: form 'demo': file 'C:\\form.pdf' must be a plain file name" },
        { "file = \"..\"\n", "index.toml:4: form 'demo': file '..' must be a plain file name" },
        { "file = \"\"\n", "index.toml:4: form 'demo': file must be a file name" },
        { "blocks = []\n", "index.toml:4: form 'demo': blocks must be a list of blocks, not empty" },
        { "blocks = [ { kind = \"poem\", text = \"Ô\" } ]\n", "index.toml:4: form 'demo': a block needs a known kind" },
        { "file = \"a.pdf\"\n[[form]]\nslug = \"demo\"\ntitle = { fr = \"Démo\" }\nfile = \"b.pdf\"\n",
            "index.toml:5: form 'demo' is listed twice" },
    }));
    INFO(rest);
    auto forms = load_one(rest);
    REQUIRE_FALSE(forms);
    CHECK(forms.error().code == ErrorCode::config_invalid);
    CHECK_THAT(forms.error().detail, Catch::StartsWith(error));
}
