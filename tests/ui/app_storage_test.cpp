// Partner sites inside the session: where the browser's window goes, and the session's storage limit (a
// download or a scan that would pass it is refused in plain words, and what the session already holds stays).
#include "kiosk_fixture.h"

#include "drivers/browser/sim/sim_browser.h"

using namespace kiosk;
using namespace kiosk::ui;
using namespace kiosk::ui::testing;

namespace {

void write_file(std::filesystem::path const& path, size_t bytes)
{
    std::ofstream file(path, std::ios::binary);
    std::string chunk(1 << 20, 'x');
    chunk.replace(0, 5, "%PDF-");
    for (size_t written = 0; written < bytes; written += chunk.size())
        file.write(chunk.data(), static_cast<std::streamsize>(std::min(chunk.size(), bytes - written)));
}

} // namespace

TEST_CASE("a download bigger than the session may hold is refused, finished or still arriving")
{
    KioskFixture kiosk("sim", 1920, 1080, [](core::Config& config) { config.storage_mb = 10; });
    kiosk.start_session();
    kiosk.tap("go_sites");
    kiosk.tap("partner_caf");
    kiosk.tap("open_site");
    REQUIRE(kiosk.app().top_name() == "browser");
    auto downloads = kiosk.app().vault()->directory() / "downloads";
    REQUIRE(std::filesystem::is_directory(downloads));

    SECTION("a finished download")
    {
        write_file(downloads / "releve.pdf", 12 << 20);
        kiosk.settle();
        CHECK(kiosk.app().top_name() == "message");
        CHECK(kiosk.shows_text("trop gros pour votre session (12 Mo, il reste 10 Mo)"));
        CHECK_FALSE(std::filesystem::exists(downloads / "releve.pdf"));
        CHECK(kiosk.app().tray().empty());
        CHECK(kiosk.audited(R"("event":"download_refused","bytes":12582912)"));
    }
    SECTION("a download still arriving, once it passes the limit")
    {
        write_file(downloads / "releve.pdf.crdownload", 4 << 20);
        kiosk.settle();
        CHECK(kiosk.app().top_name() == "browser"); // under the limit: left alone
        CHECK(std::filesystem::exists(downloads / "releve.pdf.crdownload"));
        write_file(downloads / "releve.pdf.crdownload", 11 << 20);
        kiosk.settle();
        CHECK(kiosk.app().top_name() == "message");
        CHECK_FALSE(std::filesystem::exists(downloads / "releve.pdf.crdownload"));
    }
    SECTION("a small download next to it is still kept")
    {
        kiosk.tap("sim_download");
        kiosk.settle();
        CHECK(kiosk.app().tray().size() == 1);
        write_file(downloads / "gros.pdf", 11 << 20);
        kiosk.settle();
        CHECK(kiosk.app().tray().size() == 1);
        CHECK(kiosk.shows_text("trop gros"));
    }
}

TEST_CASE("a scan that would pass the session's limit stops with the pages already kept")
{
    // 10 MB hold a few dozen grey pages of the simulated scanner; a feeder run of many is cut short.
    KioskFixture kiosk("sim:pages=60", 1920, 1080, [](core::Config& config) { config.storage_mb = 10; });
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("source_adf");
    kiosk.tap("scan_start");
    kiosk.settle();
    CHECK(kiosk.app().top_name() == "message");
    CHECK(kiosk.shows_text("plus de place"));
    REQUIRE(kiosk.app().tray().size() == 1);
    auto kept = kiosk.app().tray().front().pages.size();
    CHECK(kept > 0);
    CHECK(kept < 60);
    CHECK(kiosk.app().vault()->stored_bytes() <= 10u << 20);
}

TEST_CASE("a partner site is placed between the top bar and the session bar, in the resident's language")
{
    for (auto [width, height] : { std::pair { 1920, 1080 }, std::pair { 1280, 800 } }) {
        INFO(width << "x" << height);
        KioskFixture kiosk("sim", width, height);
        kiosk.tap("start");
        kiosk.tap("lang_en");
        kiosk.tap("accept");
        kiosk.tap("go_sites");
        kiosk.tap("partner_caf");
        kiosk.tap("open_site");
        auto* sim = dynamic_cast<drivers::SimBrowser*>(kiosk.app().browser());
        REQUIRE(sim);
        REQUIRE(sim->current());
        auto area = sim->current()->area;
        REQUIRE(area);
        // The bars as drawn: the top bar's buttons end above the area, the session bar's start below it.
        auto const* home = kiosk.widget("go_home");
        auto const* end = kiosk.widget("end_session");
        REQUIRE(home);
        REQUIRE(end);
        CHECK(area->x == 0);
        CHECK(area->width == width);
        CHECK(area->y >= home->rect.y + home->rect.h);
        CHECK(area->y + area->height <= end->rect.y);
        CHECK(area->height > height / 2);
        CHECK(sim->current()->language == "en");
    }
}

TEST_CASE("a question or message over a partner site asks for the kiosk's window in front, and gives it back")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("go_sites");
    kiosk.tap("partner_caf");
    kiosk.tap("open_site");
    REQUIRE(kiosk.app().top_name() == "browser");
    CHECK_FALSE(kiosk.app().covers_browser());

    kiosk.tap("call_agent");
    CHECK(kiosk.app().top_name() == "agent_called");
    CHECK(kiosk.app().covers_browser());
    kiosk.tap("close_overlay");
    CHECK(kiosk.app().top_name() == "browser");
    CHECK_FALSE(kiosk.app().covers_browser());

    // Away from the site (which closes it), nothing of the kiosk is hidden any more.
    kiosk.tap("go_home");
    kiosk.tap("call_agent");
    CHECK_FALSE(kiosk.app().covers_browser());
}
