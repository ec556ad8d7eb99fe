// Tests of PDF assembly (structure, cross-reference table, embedded JPEGs, title) and of page counting.
#include "kiosk/documents/pdf.h"

#include "kiosk/documents/image.h"
#include "kiosk/documents/jpeg.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

using kiosk::ErrorCode;
using kiosk::documents::assemble_pdf;
using kiosk::documents::count_pdf_pages;
using kiosk::documents::encode_jpeg;
using kiosk::documents::Image;
using kiosk::documents::PdfPage;

namespace {

PdfPage make_page(int width, int height, int channels, int dpi, uint8_t shade)
{
    Image image;
    image.width = width;
    image.height = height;
    image.channels = channels;
    image.dpi = dpi;
    image.pixels.resize(image.row_bytes() * static_cast<size_t>(height));
    for (size_t i = 0; i < image.pixels.size(); ++i)
        image.pixels[i] = static_cast<uint8_t>(shade + i % 17);
    auto jpeg = encode_jpeg(image, 80);
    REQUIRE(jpeg);
    return PdfPage { std::move(*jpeg), width, height, channels, dpi };
}

std::string_view as_text(std::vector<uint8_t> const& bytes)
{
    return { reinterpret_cast<const char*>(bytes.data()), bytes.size() };
}

std::span<const uint8_t> as_bytes(std::string_view text)
{
    return { reinterpret_cast<const uint8_t*>(text.data()), text.size() };
}

bool contains(std::vector<uint8_t> const& haystack, std::vector<uint8_t> const& needle)
{
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

std::vector<PdfPage> three_pages()
{
    std::vector<PdfPage> pages;
    pages.push_back(make_page(200, 100, 3, 150, 10));
    pages.push_back(make_page(64, 80, 1, 300, 100));
    pages.push_back(make_page(72, 36, 3, 0, 200));
    return pages;
}

} // namespace

TEST_CASE("an assembled PDF has a header, a binary comment and one page per image")
{
    auto const pages = three_pages();
    auto const pdf = assemble_pdf(pages, "Scan");
    REQUIRE(pdf);
    std::string_view const text = as_text(*pdf);
    CHECK(text.starts_with("%PDF-1.4\n%"));
    CHECK(static_cast<uint8_t>(text[10]) >= 0x80);
    CHECK(text.ends_with("%%EOF\n"));
    CHECK(text.find("/Type /Catalog") != std::string_view::npos);

    auto const count = count_pdf_pages(*pdf);
    REQUIRE(count);
    CHECK(*count == 3);

    CHECK(text.find("/Producer (France Services kiosk)") != std::string_view::npos);
    CHECK(text.find("/Filter /DCTDecode") != std::string_view::npos);
    CHECK(text.find("/ColorSpace /DeviceGray") != std::string_view::npos);
    CHECK(text.find("/ColorSpace /DeviceRGB") != std::string_view::npos);
    CHECK(text.find("/BitsPerComponent 8") != std::string_view::npos);
}

TEST_CASE("the page size in points follows the resolution")
{
    auto const pages = three_pages();
    auto const pdf = assemble_pdf(pages);
    REQUIRE(pdf);
    std::string_view const text = as_text(*pdf);
    CHECK(text.find("/MediaBox [0 0 96 48]") != std::string_view::npos); // 200×100 px at 150 dpi
    CHECK(text.find("/MediaBox [0 0 15.36 19.2]") != std::string_view::npos); // 64×80 px at 300 dpi
    CHECK(text.find("/MediaBox [0 0 72 36]") != std::string_view::npos); // unknown dpi: 72
    CHECK(text.find("96 0 0 48 0 0 cm") != std::string_view::npos); // the image fills the page

    std::vector<PdfPage> a4 { make_page(310, 438, 1, 37, 0) }; // 603.2432… pt: three decimals at most
    auto const odd = assemble_pdf(a4);
    REQUIRE(odd);
    CHECK(as_text(*odd).find("/MediaBox [0 0 603.243 852.324]") != std::string_view::npos);
}

TEST_CASE("the cross-reference table points at every object")
{
    auto const pages = three_pages();
    auto const pdf = assemble_pdf(pages, "Offsets");
    REQUIRE(pdf);
    std::string_view const text = as_text(*pdf);

    size_t const startxref = text.rfind("startxref\n");
    REQUIRE(startxref != std::string_view::npos);
    size_t const xref_offset = std::stoul(std::string(text.substr(startxref + 10, 20)));
    REQUIRE(text.substr(xref_offset, 5) == "xref\n");

    size_t position = xref_offset + 5;
    size_t const line_end = text.find('\n', position);
    std::string const subsection(text.substr(position, line_end - position));
    int first = -1;
    int count = -1;
    REQUIRE(std::sscanf(subsection.c_str(), "%d %d", &first, &count) == 2);
    CHECK(first == 0);
    CHECK(count == 3 + 3 * 3 + 1);
    position = line_end + 1;

    for (int number = 0; number < count; ++number) {
        std::string_view const entry = text.substr(position + static_cast<size_t>(number) * 20, 20);
        INFO("entry " << number << ": " << std::string(entry));
        REQUIRE(entry.size() == 20);
        CHECK(entry.substr(18) == " \n");
        CHECK(std::all_of(entry.begin(), entry.begin() + 10, [](char c) { return c >= '0' && c <= '9'; }));
        if (number == 0) {
            CHECK(entry == "0000000000 65535 f \n");
            continue;
        }
        CHECK(entry.substr(10, 8) == " 00000 n");
        size_t const offset = std::stoul(std::string(entry.substr(0, 10)));
        std::string const header = std::to_string(number) + " 0 obj";
        CHECK(text.substr(offset, header.size()) == header);
    }

    size_t const trailer = text.find("trailer", position + static_cast<size_t>(count) * 20);
    REQUIRE(trailer == position + static_cast<size_t>(count) * 20);
    CHECK(text.find("/Size " + std::to_string(count), trailer) != std::string_view::npos);
    CHECK(text.find("/Root 1 0 R", trailer) != std::string_view::npos);
    CHECK(text.find("/Info 3 0 R", trailer) != std::string_view::npos);
}

TEST_CASE("stream lengths match their data")
{
    auto const pages = three_pages();
    auto const pdf = assemble_pdf(pages);
    REQUIRE(pdf);
    std::string_view const text = as_text(*pdf);
    int streams = 0;
    for (size_t at = text.find("/Length "); at != std::string_view::npos; at = text.find("/Length ", at + 1)) {
        size_t const length = std::stoul(std::string(text.substr(at + 8, 12)));
        size_t const data = text.find(">>\nstream\n", at) + 10;
        CHECK(text.substr(data + length, 10) == "\nendstream");
        ++streams;
    }
    CHECK(streams == 6);
}

TEST_CASE("JPEG data is embedded unchanged")
{
    auto const pages = three_pages();
    auto const pdf = assemble_pdf(pages);
    REQUIRE(pdf);
    for (PdfPage const& page : pages)
        CHECK(contains(*pdf, page.jpeg));
}

TEST_CASE("the title is escaped as a PDF string")
{
    auto const plain = assemble_pdf(three_pages(), "Avis (copie) \\ 2024");
    REQUIRE(plain);
    CHECK(as_text(*plain).find("/Title (Avis \\(copie\\) \\\\ 2024)") != std::string_view::npos);

    auto const accented = assemble_pdf(three_pages(), "Reçu été");
    REQUIRE(accented);
    // UTF-16BE with a byte order mark: R e ç u space é t é
    CHECK(as_text(*accented).find("/Title <FEFF0052006500E70075002000E9007400E9>") != std::string_view::npos);

    auto const beyond_bmp = assemble_pdf(three_pages(), "\xF0\x9F\x93\x84"); // U+1F4C4, a surrogate pair
    REQUIRE(beyond_bmp);
    CHECK(as_text(*beyond_bmp).find("/Title <FEFFD83DDCC4>") != std::string_view::npos);

    auto const untitled = assemble_pdf(three_pages());
    REQUIRE(untitled);
    CHECK(as_text(*untitled).find("/Title") == std::string_view::npos);
}

TEST_CASE("assembling without pages or with inconsistent pages is refused")
{
    auto const none = assemble_pdf({});
    REQUIRE_FALSE(none);
    CHECK(none.error().code == ErrorCode::usage);

    auto pages = three_pages();
    SECTION("channels disagree with the JPEG")
    {
        pages[1].channels = 3;
    }
    SECTION("size disagrees with the JPEG")
    {
        pages[0].width_px = 201;
    }
    SECTION("not a JPEG")
    {
        pages[2].jpeg = { 1, 2, 3, 4, 5 };
    }
    SECTION("two channels")
    {
        pages[0].channels = 2;
    }
    auto const result = assemble_pdf(pages);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::usage);
}

TEST_CASE("pdfinfo accepts an assembled PDF")
{
    if (std::system("command -v pdfinfo >/dev/null 2>&1") != 0) {
        WARN("pdfinfo (poppler-utils) is not installed; skipping the external check");
        return;
    }
    auto const pdf = assemble_pdf(three_pages(), "Checked by poppler");
    REQUIRE(pdf);
    auto const directory = std::filesystem::temp_directory_path() / ("kiosk-pdf-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory);
    auto const path = directory / "three.pdf";
    {
        std::ofstream file(path, std::ios::binary);
        file.write(reinterpret_cast<const char*>(pdf->data()), static_cast<std::streamsize>(pdf->size()));
    }
    auto const report = directory / "report.txt";
    int const status = std::system(("pdfinfo '" + path.string() + "' > '" + report.string() + "' 2>&1").c_str());
    std::ifstream report_file(report);
    std::string const output((std::istreambuf_iterator<char>(report_file)), std::istreambuf_iterator<char>());
    std::filesystem::remove_all(directory);
    INFO(output);
    CHECK(status == 0);
    // The column width of pdfinfo's report varies between poppler versions.
    auto const pages_at = output.find("Pages:");
    REQUIRE(pages_at != std::string::npos);
    CHECK(std::stoi(output.substr(pages_at + 6)) == 3);
    CHECK(output.find("Syntax Error") == std::string::npos);
}

TEST_CASE("pages are counted from the page tree root")
{
    std::string_view const minimal = "%PDF-1.4\n"
                                     "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                                     "2 0 obj<</Type/Pages/Kids[3 0 R 4 0 R]/Count 2>>endobj\n"
                                     "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
                                     "4 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
                                     "trailer<</Root 1 0 R>>\n%%EOF\n";
    auto const count = count_pdf_pages(as_bytes(minimal));
    REQUIRE(count);
    CHECK(*count == 2);
}

TEST_CASE("page trees as other producers write them are counted")
{
    // The page tree node of each producer, in its own spacing, inside a minimal file.
    struct Sample {
        char const* producer;
        char const* pages_object;
        int pages;
    };
    auto const sample = GENERATE(
        Sample { "cairo", "<< /Type /Pages\n   /Kids [ 1 0 R 5 0 R 9 0 R ]\n   /Count 3\n>>", 3 },
        Sample { "LibreOffice",
            "<</Type/Pages\n/Resources 14 0 R\n/MediaBox[ 0 0 595.303937007874 841.889763779528 ]\n"
            "/Kids[ 1 0 R 4 0 R ]\n/Count 2>>",
            2 },
        Sample { "ImageMagick", "<<\n/Type /Pages\n/Kids [ 4 0 R 12 0 R 20 0 R 28 0 R ]\n/Count 4\n>>", 4 },
        Sample { "ghostscript", "<</Type/Pages/Kids [\n3 0 R\n9 0 R\n] /Count 2\n>>", 2 },
        Sample { "img2pdf", "<<\n/Count 6\n/Kids [ 3 0 R 6 0 R 9 0 R 12 0 R 15 0 R 18 0 R ]\n/Type /Pages\n>>", 6 });
    std::string const pdf
        = std::string("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\n") + "2 0 obj\n"
        + sample.pages_object + "\nendobj\ntrailer\n<< /Root 7 0 R >>\n%%EOF\n";
    INFO(sample.producer);
    auto const count = count_pdf_pages(as_bytes(pdf));
    REQUIRE(count);
    CHECK(*count == sample.pages);
}

TEST_CASE("the largest /Count wins over intermediate page tree nodes")
{
    // As LibreOffice and ghostscript write larger documents: a root over intermediate nodes, the root last,
    // dictionaries spread over lines, and a nested /Count (an outline) that must not be mistaken for it.
    std::string_view const tree
        = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"
          "5 0 obj\n<<\n  /Type /Pages\n  /Parent 7 0 R\n  /Kids [ 1 0 R 2 0 R 3 0 R ]\n  /Count 3\n>>\nendobj\n"
          "6 0 obj\n<< /Type /Pages /Parent 7 0 R /Kids [ 4 0 R 8 0 R ] /Count 2 >>\nendobj\n"
          "7 0 obj\n<< /Type /Pages /Resources << /Font << /F1 9 0 R >> /X << /Count 99 >> >>\n"
          "   /MediaBox [ 0 0 595 842 ] /Kids [ 5 0 R 6 0 R ] /Count 5 >>\nendobj\n"
          "1 0 obj\n<</Type/Page/Parent 5 0 R>>\nendobj\n"
          "trailer\n<< /Root 10 0 R >>\n%%EOF\n";
    auto const count = count_pdf_pages(as_bytes(tree));
    REQUIRE(count);
    CHECK(*count == 5);
}

TEST_CASE("without a page tree the page objects are counted")
{
    std::string_view const flat = "%PDF-1.3\n"
                                  "3 0 obj << /Type/Page /Parent 2 0 R >> endobj\n"
                                  "4 0 obj << /Type /Page\n/Parent 2 0 R >> endobj\n"
                                  "5 0 obj << /Type\r\n/Page>> endobj\n"
                                  "6 0 obj << /Type /PageLabel >> endobj\n"
                                  "7 0 obj << /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 8 0 R >> endobj\n"
                                  "%%EOF\n";
    auto const count = count_pdf_pages(as_bytes(flat));
    REQUIRE(count);
    CHECK(*count == 3);
}

TEST_CASE("page trees hidden in object streams are not guessed at")
{
    std::string_view const compressed = "%PDF-1.5\n"
                                        "12 0 obj << /Type /ObjStm /N 40 /First 300 /Filter /FlateDecode /Length 5 >>\n"
                                        "stream\nxxxxx\nendstream endobj\n"
                                        "13 0 obj << /Type /XRef /Size 50 /Root 1 0 R >> endobj\n%%EOF\n";
    auto const count = count_pdf_pages(as_bytes(compressed));
    REQUIRE_FALSE(count);
    CHECK(count.error().code == ErrorCode::io);
}

TEST_CASE("counting pages of something that is not a PDF is an error")
{
    for (std::string_view text : { std::string_view(), std::string_view("%PS-Adobe-3.0\n/Type /Pages /Count 3"),
             std::string_view("hello"), std::string_view("%PDF-") }) {
        auto const count = count_pdf_pages(as_bytes(text));
        REQUIRE_FALSE(count);
        CHECK(count.error().code == ErrorCode::io);
    }
}

TEST_CASE("counting pages of damaged PDFs never reads out of bounds")
{
    auto const pdf = assemble_pdf(three_pages(), "Damaged");
    REQUIRE(pdf);
    // Every prefix: the page tree of our files comes before the images, so most prefixes still count 3.
    for (size_t length = 0; length <= pdf->size(); length += 7) {
        auto const count = count_pdf_pages(std::span(pdf->data(), length));
        if (count)
            CHECK(*count == 3);
    }
    std::string_view const unterminated[]
        = { "%PDF-1.4 /Type /Pages /Count", "%PDF-1.4 << /Type /Pages /Count (", "%PDF-1.4 << /Type /Pages <",
              "%PDF-1.4 /Type", "%PDF-1.4 >> /Type /Pages", "%PDF-1.4 << /Type /Pages /Count 99999999999999999999 >>" };
    for (std::string_view text : unterminated)
        CHECK_NOTHROW(count_pdf_pages(as_bytes(text)));
}

TEST_CASE("a file crowded with page tree keys is counted in linear time")
{
    // Each key would send a naive scan a megabyte back looking for its dictionary.
    std::string hostile = "%PDF-1.4\n";
    for (int i = 0; i < 200'000; ++i)
        hostile += "/Type /Pages ";
    auto const start = std::chrono::steady_clock::now();
    auto const count = count_pdf_pages(as_bytes(hostile));
    auto const elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(count);
    CHECK(count.error().code == ErrorCode::io);
    CHECK(elapsed < std::chrono::seconds(5));
}
