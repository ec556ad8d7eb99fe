// Tests of the text PDF writer behind the kiosk's own forms.
#include "kiosk/documents/pdf.h"
#include "kiosk/documents/text_pdf.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace kiosk::documents;

TEST_CASE("French text is converted to WinAnsi, the rest replaced")
{
    CHECK(to_winansi("Né(e) à Évry, 15 000 €") == "N\xE9(e) \xE0 \xC9vry, 15 000 \x80");
    CHECK(to_winansi("l’œuvre") == "l\x92\x9Cuvre");
    CHECK(to_winansi("日本") == "??");
}

TEST_CASE("a text document becomes a valid PDF whose pages are counted")
{
    std::vector<TextBlock> blocks { { TextBlock::Kind::title, "Attestation sur l'honneur" },
        { TextBlock::Kind::paragraph, "Je soussigné(e) (nom) :" }, { TextBlock::Kind::field, "Nom et prénom :" },
        { TextBlock::Kind::signature, "Signature :" } };
    auto pdf = write_text_pdf(blocks, "Attestation");
    REQUIRE(pdf);
    std::string text(pdf->begin(), pdf->end());
    CHECK(text.starts_with("%PDF-1.4"));
    CHECK(text.find("/BaseFont /Helvetica /Encoding /WinAnsiEncoding") != std::string::npos);
    CHECK(text.find("(Je soussign\xE9\\(e\\) \\(nom\\) :)") != std::string::npos);
    CHECK(count_pdf_pages(*pdf) == 1);

    // Long text flows onto more pages.
    std::vector<TextBlock> long_text;
    for (int i = 0; i < 120; ++i)
        long_text.push_back(
            { TextBlock::Kind::paragraph, "Une ligne de texte assez longue pour remplir la page de haut en bas." });
    auto multi = write_text_pdf(long_text, "Long");
    REQUIRE(multi);
    CHECK(*count_pdf_pages(*multi) >= 3);
    CHECK_FALSE(write_text_pdf({}, "Empty"));
}

TEST_CASE("poppler reads the text of a generated form")
{
    if (std::system("command -v pdftotext >/dev/null 2>&1") != 0) {
        WARN("pdftotext (poppler-utils) is not installed; skipping the external check");
        return;
    }
    auto pdf = write_text_pdf({ { TextBlock::Kind::title, "Procuration" },
                                  { TextBlock::Kind::paragraph, "Fait à Besançon, le 26/11/2026." } },
        "Procuration");
    REQUIRE(pdf);
    auto path = std::filesystem::temp_directory_path() / ("kiosk-form-" + std::to_string(::getpid()) + ".pdf");
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<char const*>(pdf->data()), static_cast<std::streamsize>(pdf->size()));
    auto text_path = path;
    text_path += ".txt";
    int status
        = std::system(("pdftotext -enc UTF-8 '" + path.string() + "' '" + text_path.string() + "' 2>&1").c_str());
    std::ifstream file(text_path);
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::filesystem::remove(path);
    std::filesystem::remove(text_path);
    CHECK(status == 0);
    CHECK(text.find("Procuration") != std::string::npos);
    CHECK(text.find("Fait à Besançon, le 26/11/2026.") != std::string::npos);
}
