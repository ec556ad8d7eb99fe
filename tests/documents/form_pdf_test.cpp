// Tests of the forms residents print: every form the kiosk writes, read back with poppler; official files present,
// absent or not PDFs.
#include "kiosk/documents/form_pdf.h"
#include "kiosk/documents/pdf.h"
#include "tests/support/poppler_tools.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <unistd.h>

using kiosk::tests::TempDir;

using namespace kiosk;
using namespace kiosk::documents;
using kiosk::tests::PopplerView;

namespace {
std::filesystem::path const assets = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets";

void write_file(std::filesystem::path const& path, std::string_view bytes)
{
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::vector<core::Form> shipped_forms()
{
    auto catalogue = core::load_catalogue(assets / "catalogue.toml");
    REQUIRE(catalogue);
    auto forms = core::load_forms(assets / "forms" / "index.toml", *catalogue);
    INFO((forms ? std::string() : forms.error().detail));
    REQUIRE(forms);
    return *forms;
}
} // namespace

TEST_CASE("every form the kiosk writes prints with its title and embedded fonts")
{
    REQUIRE(PopplerView::installed());
    int written = 0;
    for (auto const& form : shipped_forms()) {
        if (!form.written_by_kiosk())
            continue;
        ++written;
        INFO(form.slug);
        CHECK(form_available(form));
        auto pdf = form_pdf(form);
        REQUIRE(pdf);
        CHECK(count_pdf_pages(*pdf).value_or(0) >= 1);
        PopplerView view(*pdf);
        std::string const text = view.text();
        CHECK(view.status() == 0);
        // The title printed at the top is the form's own title block, and the metadata carries the French title.
        REQUIRE(form.blocks.front().kind == "title");
        CHECK(text.find(form.blocks.front().text) != std::string::npos);
        CHECK(text.find('?') == std::string::npos);
        CHECK(view.info().find(core::localized(form.title, "fr")) != std::string::npos);
        auto const fonts = view.fonts();
        REQUIRE_FALSE(fonts.empty());
        for (auto const& font : fonts) {
            INFO(font.name);
            CHECK(font.embedded);
        }
    }
    CHECK(written >= 2);
}

TEST_CASE(
    "an official form's file is given as it is when present, and the form is unavailable when absent or not a PDF")
{
    TempDir dir("kiosk-forms");
    auto catalogue = core::load_catalogue(assets / "catalogue.toml");
    REQUIRE(catalogue);
    write_file(dir.path() / "index.toml", R"([[form]]
slug = "present"
number = "cerfa n° 00000*01"
title = { fr = "Présent", en = "Present" }
partners = ["caf"]
file = "present.pdf"

[[form]]
slug = "absent"
title = { fr = "Absent", en = "Absent" }
file = "absent.pdf"

[[form]]
slug = "not_pdf"
title = { fr = "Pas un PDF", en = "Not a PDF" }
file = "not_pdf.pdf"

[[form]]
slug = "damaged"
title = { fr = "Abîmé", en = "Damaged" }
file = "damaged.pdf"
)");
    auto official = write_text_pdf({ { TextBlock::Kind::title, "Formulaire officiel" } }, "Formulaire officiel");
    REQUIRE(official);
    write_file(dir.path() / "present.pdf",
        std::string_view(reinterpret_cast<char const*>(official->data()), official->size()));
    write_file(dir.path() / "not_pdf.pdf", "<html>Page introuvable</html>");
    write_file(
        dir.path() / "damaged.pdf", "%PDF-1.4\n1 0 obj << /Type /Pages /Count 1 >> endobj\nnot really a pdf\n%%EOF\n");

    auto forms = core::load_forms(dir.path() / "index.toml", *catalogue);
    INFO((forms ? std::string() : forms.error().detail));
    REQUIRE(forms);
    REQUIRE(forms->size() == 4);

    auto const& present = (*forms)[0];
    REQUIRE(present.file);
    CHECK(*present.file == dir.path() / "present.pdf");
    CHECK_FALSE(present.written_by_kiosk());
    CHECK(form_available(present));
    auto bytes = form_pdf(present);
    REQUIRE(bytes);
    CHECK(*bytes == *official);

    for (size_t i = 1; i < forms->size(); ++i) {
        auto const& form = (*forms)[i];
        INFO(form.slug);
        CHECK_FALSE(form_available(form));
        auto missing = form_pdf(form);
        REQUIRE_FALSE(missing);
        CHECK(missing.error().code == ErrorCode::asset_missing);
        CHECK(missing.error().detail.find(form.file->filename().string()) != std::string::npos);
    }
}
