// The fault matrix inside the kiosk: a device fails in the middle of a session (scanner, printer, storage). Each
// case says what happened in plain words, keeps the resident's documents until the session ends, and leaves
// nothing of them after it.
#include "tests/support/pcscd.h"
#include "tests/support/small_tmpfs.h"
#include "tests/support/virtual_printer.h"
#include "tests/ui/kiosk_fixture.h"

#include <dlfcn.h>
#include <unistd.h>

#include <fstream>

using namespace kiosk;
using kiosk::tests::SmallTmpfs;
using kiosk::tests::VirtualPrinter;
using kiosk::ui::testing::add_agent;
using kiosk::ui::testing::KioskFixture;
using namespace std::chrono_literals;

namespace {

// Ends the session as the resident would, and checks that nothing of it is left.
void end_and_check_nothing_left(KioskFixture& kiosk)
{
    kiosk.tap("end_session");
    kiosk.tap("end_now");
    CHECK(kiosk.app().top_name() == "attract");
    CHECK(kiosk.app().vault() == nullptr);
    CHECK(kiosk.app().tray().empty());
    CHECK(kiosk.session_folders() == 0);
    CHECK(kiosk.audited(R"("event":"wipe","session")"));
    CHECK_FALSE(kiosk.audited(R"("ok":false)"));
}

size_t stored_pages(KioskFixture& kiosk)
{
    size_t pages = 0;
    for (auto const& document : kiosk.app().tray())
        pages += static_cast<size_t>(document.page_count());
    return pages;
}

} // namespace

TEST_CASE("a scanner that jams, opens or goes away in mid-feeder keeps the pages already scanned")
{
    auto [fault, words] = GENERATE(std::pair { "jammed", "Le papier est coincé dans le scanner" },
        std::pair { "gone", "Le scanner est débranché" }, std::pair { "cover_open", "Le capot du scanner est ouvert" },
        std::pair { "io", "Le scanner ne répond pas bien" });
    INFO("fault " << fault);
    KioskFixture kiosk(std::string("sim:pages=5,fail_after=2,fail=") + fault);
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("scan_start"); // a first document, from the glass
    REQUIRE(kiosk.app().tray().size() == 1);
    kiosk.tap("source_adf");
    kiosk.tap("scan_start");
    CHECK(kiosk.app().top_name() == "message");
    CHECK(kiosk.shows_text(words));
    kiosk.tap("close_overlay");
    // The glass page and the two feeder pages before the fault are there, encrypted in the vault.
    CHECK(kiosk.app().tray().size() == 2);
    CHECK(stored_pages(kiosk) == 3);
    CHECK(kiosk.stored_names().size() == 3);
    end_and_check_nothing_left(kiosk);
}

TEST_CASE("a scanner that is not there is said on the Scan button, before anyone taps it")
{
    KioskFixture kiosk("sim:fail=gone");
    kiosk.start_session();
    kiosk.tap("go_scan");
    // The scanner was asked when the screen opened (off the UI thread): nothing to tap that would only fail.
    for (auto const* id : { "scan_start", "copy_start", "scan_preview" }) {
        INFO(id);
        REQUIRE(kiosk.widget(id));
        CHECK_FALSE(kiosk.widget(id)->enabled);
    }
    CHECK(kiosk.shows_text("Scanner débranché : demandez à l'accueil"));
    CHECK(kiosk.app().top_name() == "scan");
    // The rest of the kiosk still works: a form prints without the scanner.
    kiosk.tap("go_home");
    kiosk.tap("go_forms");
    CHECK(kiosk.app().top_name() == "forms");
    end_and_check_nothing_left(kiosk);
}

TEST_CASE("a scanner unplugged during a scan disables Scan with the reason, and keeps the pages")
{
    KioskFixture kiosk("sim:pages=5,fail_after=1,fail=gone");
    kiosk.start_session();
    kiosk.tap("go_scan");
    CHECK(kiosk.widget("scan_start")->enabled); // it answers until it goes
    kiosk.tap("source_adf");
    kiosk.tap("scan_start");
    CHECK(kiosk.shows_text("Le scanner est débranché"));
    kiosk.tap("close_overlay");
    CHECK(stored_pages(kiosk) == 1);
    // Touching a setting after the scan brings the Scan button back, still saying why it cannot scan.
    kiosk.tap("source_flatbed");
    REQUIRE(kiosk.widget("scan_start"));
    CHECK_FALSE(kiosk.widget("scan_start")->enabled);
    CHECK(kiosk.shows_text("Scanner débranché : demandez à l'accueil"));
    end_and_check_nothing_left(kiosk);
}

TEST_CASE("the SANE test backend jamming keeps the documents the resident already has")
{
    // The test backend leaks a buffer when a scan stops early; kept mapped after sane_exit, LeakSanitizer can name it
    // for the suppression in tests/lsan.supp (as the SANE driver's own tests do).
    static void* const pinned = dlopen(SANE_BACKEND_DIR "/libsane-test.so.1", RTLD_NOW | RTLD_NODELETE);
    (void)pinned;
    // The development configuration of the SANE test backend, with every read answering "jammed".
    char pattern[] = "/tmp/kiosk-sane-jam-XXXXXX";
    REQUIRE(::mkdtemp(pattern));
    std::filesystem::path config_dir = pattern;
    auto dev = std::filesystem::path(KIOSK_SOURCE_DIR) / "deploy" / "dev" / "sane";
    std::filesystem::copy_file(dev / "dll.conf", config_dir / "dll.conf");
    std::filesystem::copy_file(dev / "test.conf", config_dir / "test.conf");
    std::ofstream(config_dir / "test.conf", std::ios::app) << "read-status-code \"SANE_STATUS_JAMMED\"\n";
    setenv("SANE_CONFIG_DIR", config_dir.c_str(), 1);
    {
        KioskFixture kiosk("sane:device=test:0,paper=a4");
        kiosk.start_session();
        kiosk.tap("go_sites");
        kiosk.tap("partner_caf");
        kiosk.tap("open_site");
        kiosk.tap("sim_download");
        kiosk.tap("go_home");
        REQUIRE(kiosk.app().tray().size() == 1);
        kiosk.tap("go_scan");
        kiosk.tap("scan_start");
        CHECK(kiosk.app().top_name() == "message");
        CHECK(kiosk.shows_text("Le papier est coincé dans le scanner"));
        kiosk.tap("close_overlay");
        CHECK(kiosk.app().tray().size() == 1);
        CHECK(kiosk.stored_names().size() == 1);
        end_and_check_nothing_left(kiosk);
    }
    unsetenv("SANE_CONFIG_DIR");
    std::filesystem::remove_all(config_dir);
}

TEST_CASE("a printer out of paper or jammed: said plainly, nothing charged, nothing left at cupsd")
{
    auto [fault, words] = GENERATE(
        std::pair { "media-empty", "Il n'y a plus de papier" }, std::pair { "media-jam", "Le papier est coincé" });
    INFO("fault " << fault);
    VirtualPrinter virtual_printer(fault);
    REQUIRE(virtual_printer.started());
    KioskFixture kiosk(
        "sim", 1920, 1080, [&](core::Config& config) { config.devices.printer = virtual_printer.driver_string(); });
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("scan_start");
    kiosk.tap("go_tray");
    kiosk.tap("print_doc");
    kiosk.tap("print_start");
    CHECK(kiosk.shows_text("Il vous en reste : 20."));
    // The printer reports its fault while it holds the job, then fails it.
    bool said = false;
    for (int i = 0; i < 120 && kiosk.app().top_name() != "message"; ++i) {
        kiosk.advance(1s);
        said = said || kiosk.shows_text(words);
        if (kiosk.app().top_name() != "message")
            std::this_thread::sleep_for(250ms); // the printer's own time
    }
    CHECK(said);
    REQUIRE(kiosk.app().top_name() == "message");
    CHECK(kiosk.shows_text("Aucune page n'a été comptée"));
    kiosk.tap("close_overlay");
    CHECK(kiosk.shows_text("Il vous en reste : 20."));
    CHECK(kiosk.app().tray().size() == 1);
    CHECK(kiosk.stored_names().size() == 1);
    end_and_check_nothing_left(kiosk);
    CHECK(virtual_printer.job_ids().empty());
}

TEST_CASE("the session's tmpfs fills up: the pages before are kept, and the wipe leaves the tmpfs empty")
{
    char pattern[] = "/tmp/kiosk-small-run-XXXXXX";
    REQUIRE(::mkdtemp(pattern));
    std::filesystem::path mount_point = std::filesystem::path(pattern) / "run";
    SmallTmpfs tmpfs(mount_point, "size=600k,mode=0700");
    if (!tmpfs.mounted()) {
        // Root (the test command runs as root) must be able to: only an unprivileged run skips.
        if (::geteuid() == 0)
            FAIL("cannot mount a small tmpfs on " << mount_point << " as root: " << tmpfs.error());
        WARN("SKIPPED: cannot mount a small tmpfs on " << mount_point << " (" << tmpfs.error() << "): needs root");
        std::filesystem::remove_all(pattern);
        return;
    }
    {
        KioskFixture kiosk("sim:pages=10", 1920, 1080, [&](core::Config& config) { config.runtime_dir = mount_point; });
        kiosk.start_session();
        kiosk.tap("go_scan");
        kiosk.tap("source_adf");
        kiosk.tap("scan_start");
        CHECK(kiosk.app().top_name() == "message");
        CHECK(kiosk.shows_text("Il n'y a plus de place pour vos documents"));
        kiosk.tap("close_overlay");
        auto kept = stored_pages(kiosk);
        INFO("pages kept: " << kept);
        CHECK(kept >= 1);
        CHECK(kept < 10);
        CHECK(kiosk.stored_names().size() == kept);
        // Every page kept can still be read back whole.
        for (auto const& name : kiosk.stored_names())
            CHECK(kiosk.app().vault()->read(name));
        end_and_check_nothing_left(kiosk);
        std::error_code ec;
        for (auto const& entry : std::filesystem::directory_iterator(mount_point, ec))
            CHECK(entry.path().filename() == "kiosk.lock");
    }
    tmpfs.unmount();
    std::filesystem::remove_all(pattern);
}

TEST_CASE("a badge reader pulled out in mid-session: where agents may use a PIN alone it still unlocks, and the badge "
          "works again once the reader is back")
{
    auto& pcscd = kiosk::tests::pcscd();
    if (!pcscd.owned()) {
        WARN("SKIPPED: a pcscd of the machine is running; the test pulls only a reader of its own");
        return;
    }
    std::vector<unsigned char> const uid { 0x04, 0xA1, 0xB2, 0xC3 };
    KioskFixture kiosk("sim", 1920, 1080, [&](core::Config& config) {
        config.devices.idreader = "pcsc:reader=" + pcscd.reader();
        config.agent_unlock = core::AgentUnlock::pin;
        add_agent(config, "m.martin", "Marie Martin", core::AgentRole::agent, "123456", "04A1B2C3");
    });
    auto wait_for_screen = [&](std::string const& name) {
        for (int i = 0; i < 200 && kiosk.app().top_name() != name; ++i) {
            std::this_thread::sleep_for(50ms);
            kiosk.settle();
        }
        return kiosk.app().top_name() == name;
    };
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("scan_start");
    kiosk.tap("go_home");
    {
        kiosk::tests::VirtualCard badge(pcscd.card_port(), uid);
        REQUIRE(wait_for_screen("agent_unlock"));
        kiosk.tap("back");
    }

    // The reader goes: pcscd loses it (as a USB reader pulled out does). The kiosk carries on.
    pcscd.terminate();
    kiosk.advance(2s);
    CHECK(kiosk.app().top_name() == "home");
    CHECK(kiosk.app().tray().size() == 1);
    kiosk.tap("agent");
    kiosk.type_pin("123456");
    REQUIRE(wait_for_screen("assisted"));
    kiosk.tap("lock");
    REQUIRE(kiosk.app().session().state() == core::SessionState::resident);

    // Plugged back in: the badge is read again, without restarting the kiosk.
    pcscd.restart();
    {
        kiosk::tests::VirtualCard badge(pcscd.card_port(), uid);
        CHECK(wait_for_screen("agent_unlock"));
        kiosk.tap("back");
    }
    CHECK(kiosk.app().tray().size() == 1);
    CHECK(kiosk.stored_names().size() == 1);
    end_and_check_nothing_left(kiosk);
}

TEST_CASE("the calendar clock jumping back a year and forward two in mid-session: nothing ends early or late, nothing "
          "is lost")
{
    KioskFixture kiosk("sim");
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("scan_start");
    kiosk.advance(60s);
    // NTP corrects a clock a year fast, then a technician sets it two years ahead: the timeouts do not move.
    kiosk.clock().jump_wall(-std::chrono::hours(24 * 365));
    kiosk.advance(60s);
    kiosk.clock().jump_wall(std::chrono::hours(24 * 365 * 2));
    kiosk.advance(59s);
    CHECK(kiosk.app().top_name() == "scan"); // 179 s without a touch: no warning yet
    CHECK(kiosk.app().session().session_seconds_left() == 45 * 60 - 179);
    kiosk.advance(1s);
    CHECK(kiosk.app().top_name() == "idle_warning");
    kiosk.tap("still_here");
    CHECK(kiosk.app().tray().size() == 1);
    CHECK(kiosk.stored_names().size() == 1);
    CHECK(kiosk.app().vault()->read(kiosk.stored_names().front()));
    end_and_check_nothing_left(kiosk);
}
