// Tests of the text PDF writer behind the kiosk's own forms, read back with poppler's tools.
#include "kiosk/documents/pdf.h"
#include "kiosk/documents/text_pdf.h"
#include "tests/support/poppler_tools.h"

#include <catch2/catch.hpp>

#include <thread>

using namespace kiosk::documents;
using kiosk::tests::PopplerView;

namespace {
// Names residents have: Vietnamese (stacked diacritics), Polish, Arabic (right to left, joined letters), Russian.
std::vector<std::string> const names { "Nguyễn Thị Ánh", "Łukasz Wójcik", "محمد بن علي", "Ольга" };
} // namespace

TEST_CASE("a text document becomes a valid PDF whose pages are counted")
{
    std::vector<TextBlock> blocks { { TextBlock::Kind::title, "Attestation sur l'honneur" },
        { TextBlock::Kind::paragraph, "Je soussigné(e) (nom) :" }, { TextBlock::Kind::field, "Nom et prénom :" },
        { TextBlock::Kind::signature, "Signature :" } };
    auto pdf = write_text_pdf(blocks, "Attestation");
    REQUIRE(pdf);
    CHECK(std::string(pdf->begin(), pdf->begin() + 5) == "%PDF-");
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

TEST_CASE("poppler reads the text, every font is embedded, and the title is in the metadata")
{
    REQUIRE(PopplerView::installed());
    auto pdf
        = write_text_pdf({ { TextBlock::Kind::title, "Procuration" },
                             { TextBlock::Kind::paragraph, "Fait à Besançon, le 26/11/2026 : 15 000 € — l’œuvre." },
                             { TextBlock::Kind::field, "Nom et prénom :" } },
            "Procuration — Besançon");
    REQUIRE(pdf);
    PopplerView view(*pdf);
    std::string const text = view.text();
    CHECK(view.status() == 0);
    CHECK(text.find("Procuration") != std::string::npos);
    CHECK(text.find("Fait à Besançon, le 26/11/2026 : 15 000 € — l’œuvre.") != std::string::npos);
    CHECK(text.find("Nom et prénom :") != std::string::npos);
    auto const fonts = view.fonts();
    REQUIRE_FALSE(fonts.empty());
    for (auto const& font : fonts) {
        INFO(font.name << " " << font.type);
        CHECK(font.embedded);
        CHECK(font.name.find("DejaVuSans") != std::string::npos);
    }
    CHECK(view.info().find("Title:           Procuration — Besançon") != std::string::npos);
}

TEST_CASE("names in any script print as written, never as '?'")
{
    REQUIRE(PopplerView::installed());
    std::vector<TextBlock> blocks { { TextBlock::Kind::title, "Procuration" } };
    for (auto const& name : names) {
        blocks.push_back({ TextBlock::Kind::heading, name });
        blocks.push_back({ TextBlock::Kind::paragraph, "Je soussigné(e) " + name + ", demeurant à Besançon." });
        blocks.push_back({ TextBlock::Kind::field, name + " :" });
    }
    auto pdf = write_text_pdf(blocks, "Procuration de " + names[0]);
    REQUIRE(pdf);
    PopplerView view(*pdf);
    std::string const text = view.text();
    INFO(text);
    // Each heading is one line, as written (pdftotext marks the Arabic one as right to left: U+202B ... U+202C).
    for (auto const& name : names) {
        INFO(name);
        CHECK(text.find(name) != std::string::npos);
    }
    // In the paragraphs and fields too, but pdftotext guesses spaces from the gaps between glyphs, and splits "علي"
    // in the regular weight (the letters are joined on the page): compare without spaces or direction marks.
    auto letters = [](std::string text) {
        for (std::string mark : { " ", "\u202B", "\u202C", "\n" })
            for (size_t at; (at = text.find(mark)) != std::string::npos;)
                text.erase(at, mark.size());
        return text;
    };
    std::string const all = letters(text);
    for (auto const& name : names) {
        INFO(name);
        size_t count = 0;
        for (size_t at = all.find(letters(name)); at != std::string::npos; at = all.find(letters(name), at + 1))
            ++count;
        CHECK(count == 3);
    }
    CHECK(text.find('?') == std::string::npos);
    for (auto const& font : view.fonts()) {
        INFO(font.name);
        CHECK(font.embedded);
    }
    CHECK(view.info().find("Procuration de Nguyễn Thị Ánh") != std::string::npos);
}

TEST_CASE("text that is not UTF-8 still gives a PDF")
{
    auto pdf = write_text_pdf({ { TextBlock::Kind::paragraph, "Caf\xE9 \xFF\xFE" } }, "Bad \xC3");
    REQUIRE(pdf);
    CHECK(count_pdf_pages(*pdf) == 1);
}

TEST_CASE("two threads write forms at the same time")
{
    // The UI thread and a worker may both write; each thread has its own pango font map, fontconfig locks its own.
    std::vector<kiosk::Result<std::vector<uint8_t>>> results(4, std::vector<uint8_t> {});
    std::vector<std::thread> threads;
    for (size_t i = 0; i < results.size(); ++i)
        threads.emplace_back([&, i] {
            results[i] = write_text_pdf(
                { { TextBlock::Kind::title, names[i] }, { TextBlock::Kind::field, "Nom :" } }, names[i]);
        });
    for (auto& thread : threads)
        thread.join();
    for (auto const& result : results) {
        REQUIRE(result);
        CHECK(count_pdf_pages(*result) == 1);
    }
}
