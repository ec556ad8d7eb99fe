// Tests of fit_to_size: every limit it accepts is met, the floor is kept, and below it a plain refusal.
#include "kiosk/documents/fit_to_size.h"

#include "kiosk/documents/jpeg.h"
#include "kiosk/documents/pdf.h"

#include "drivers/scanner/sim/page_synth.h"

#include <catch2/catch.hpp>

using namespace kiosk::documents;
using kiosk::drivers::ColorMode;
using kiosk::drivers::synthesize_page;

namespace {

std::vector<Image> colour_pages(int count, int dpi)
{
    std::vector<Image> pages;
    for (int i = 0; i < count; ++i)
        pages.push_back(synthesize_page(i, dpi, ColorMode::color));
    return pages;
}

} // namespace

TEST_CASE("fit_to_size meets every limit it accepts in PDF and JPEG")
{
    static std::vector<Image> const pages = colour_pages(3, 300);
    size_t const limit = GENERATE(
        size_t { 10'000'000 }, size_t { 5'000'000 }, size_t { 2'000'000 }, size_t { 1'000'000 }, size_t { 500'000 });
    auto const format = GENERATE(DocumentFormat::pdf, DocumentFormat::jpeg);
    INFO("limit " << limit << ", format " << (format == DocumentFormat::pdf ? "pdf" : "jpeg"));

    auto const fitted = fit_to_size(pages, limit, format);
    if (!fitted)
        FAIL(fitted.error().detail);
    CHECK(fitted->pages == 3);
    CHECK(fitted->dpi >= floor_dpi);
    CHECK(fitted->dpi <= 300);
    CHECK(fitted->quality >= floor_quality);
    CHECK(fitted->quality <= default_jpeg_quality);
    size_t total = 0;
    for (auto const& file : fitted->files) {
        CHECK(file.size() <= limit);
        total += file.size();
    }
    CHECK(fitted->bytes == total);
    if (format == DocumentFormat::pdf) {
        REQUIRE(fitted->files.size() == 1);
        auto const count = count_pdf_pages(fitted->files[0]);
        REQUIRE(count.has_value());
        CHECK(*count == 3);
    } else {
        REQUIRE(fitted->files.size() == 3);
        auto const decoded = decode_jpeg(fitted->files[2]);
        REQUIRE(decoded.has_value());
        CHECK(decoded->dpi == fitted->dpi);
    }
}

TEST_CASE("fit_to_size keeps the best quality that fits and only lowers resolution after quality")
{
    std::vector<Image> const pages { synthesize_page(0, 300, ColorMode::gray) };
    auto const roomy = fit_to_size(pages, 50'000'000, DocumentFormat::pdf);
    REQUIRE(roomy.has_value());
    CHECK(roomy->dpi == 300);
    CHECK(roomy->quality == default_jpeg_quality);

    // Just under the default-quality size: a lower quality at full resolution is enough.
    auto const tight = fit_to_size(pages, roomy->bytes - 1, DocumentFormat::pdf);
    REQUIRE(tight.has_value());
    CHECK(tight->dpi == 300);
    CHECK(tight->quality < default_jpeg_quality);
    CHECK(tight->quality >= step_quality);
    CHECK(tight->bytes < roomy->bytes);
}

TEST_CASE("fit_to_size refuses below the legibility floor and suggests splitting")
{
    std::vector<Image> const pages = colour_pages(2, 150);
    auto const refused = fit_to_size(pages, 20'000, DocumentFormat::pdf);
    REQUIRE(!refused.has_value());
    CHECK(refused.error().code == kiosk::ErrorCode::usage);
    std::string const& message = refused.error().detail;
    INFO(message);
    CHECK(message.find("150 dpi") != std::string::npos);
    CHECK(message.find("20 KB") != std::string::npos);
    CHECK(message.find("Split the document") != std::string::npos);

    auto const no_pages = fit_to_size({}, 1'000'000, DocumentFormat::pdf);
    CHECK(!no_pages.has_value());
}

TEST_CASE("a 100 dpi scan is never enlarged to reach the floor")
{
    std::vector<Image> const pages { synthesize_page(0, 100, ColorMode::gray) };
    auto const fitted = fit_to_size(pages, 60'000, DocumentFormat::jpeg);
    if (fitted) {
        CHECK(fitted->dpi == 100);
        CHECK(fitted->files[0].size() <= 60'000);
    } else {
        CHECK(fitted.error().detail.find("100 dpi") != std::string::npos);
    }
}
