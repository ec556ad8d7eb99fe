// Contract tests run over every registered backend of each device class, the simulated ones included.
#include "drivers/browser/sim/sim_browser.h"
#include "drivers/idreader/sim/sim_idreader.h"
#include "drivers/printer/sim/sim_printer.h"
#include "drivers/registry.h"
#include "kiosk/documents/jpeg.h"
#include "kiosk/documents/pdf.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>
#include <unistd.h>

using kiosk::tests::TempDir;

using namespace kiosk;
using namespace kiosk::drivers;

namespace {

struct CollectingObserver final : ScanObserver {
    std::vector<documents::Image> pages;
    int progress_calls = 0;
    void on_progress(int, double) override { ++progress_calls; }
    void on_page(documents::Image page) override { pages.push_back(std::move(page)); }
};

// A backend string per registered name that works on this machine without hardware: the real backends
// are pointed at the virtual devices (the SANE test backend through deploy/dev/sane).
std::string spec_for(std::string const& backend)
{
    if (backend == "sane") {
        ::setenv("SANE_CONFIG_DIR", (std::filesystem::path(KIOSK_SOURCE_DIR) / "deploy" / "dev" / "sane").c_str(), 1);
        return "sane:device=test:0,paper=a4";
    }
    if (backend == "chromium") // headless, confined, every name sent to a closed loopback port
        return "chromium:headless=1,resolve_to=127.0.0.1:9";
    return backend;
}

} // namespace

TEST_CASE("every scanner backend scans a flatbed page with realistic content")
{
    auto backend = GENERATE(from_range(scanner_backends()));
    TempDir dir("kiosk-drivers");
    auto scanner = make_scanner(spec_for(backend), { dir.path() });
    REQUIRE(scanner);
    auto caps = (*scanner)->capabilities();
    REQUIRE(caps);
    REQUIRE_FALSE(caps->resolutions.empty());
    CollectingObserver observer;
    std::atomic<bool> cancel { false };
    ScanSettings settings { ScanSource::flatbed, ColorMode::gray, 150 };
    REQUIRE((*scanner)->scan(settings, observer, cancel));
    REQUIRE(observer.pages.size() == 1);
    auto const& page = observer.pages.front();
    CHECK(page.channels == 1);
    CHECK(page.width == Approx(1240).margin(2));
    CHECK(page.height == Approx(1754).margin(2));
    size_t dark = std::count_if(page.pixels.begin(), page.pixels.end(), [](uint8_t v) { return v < 128; });
    CHECK(dark > page.pixels.size() / 100); // content, not a blank sheet
    CHECK(dark < page.pixels.size() * 99 / 100); // not a flat dark frame either
    CHECK(observer.progress_calls > 0);
}

TEST_CASE("every scanner backend refuses an unsupported resolution")
{
    auto backend = GENERATE(from_range(scanner_backends()));
    TempDir dir("kiosk-drivers");
    auto scanner = make_scanner(spec_for(backend), { dir.path() });
    REQUIRE(scanner);
    CollectingObserver observer;
    std::atomic<bool> cancel { false };
    auto result = (*scanner)->scan({ ScanSource::flatbed, ColorMode::color, 99999 }, observer, cancel);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::scanner_unsupported);
}

TEST_CASE("the simulated feeder gives every page, and an injected jam keeps the pages before it")
{
    TempDir dir("kiosk-drivers");
    auto scanner = make_scanner("sim:pages=4", { dir.path() });
    REQUIRE(scanner);
    CollectingObserver observer;
    std::atomic<bool> cancel { false };
    REQUIRE((*scanner)->scan({ ScanSource::adf, ColorMode::lineart, 100 }, observer, cancel));
    CHECK(observer.pages.size() == 4);
    for (auto const& page : observer.pages)
        CHECK(std::all_of(page.pixels.begin(), page.pixels.end(), [](uint8_t v) { return v == 0 || v == 255; }));

    auto jamming = make_scanner("sim:pages=5,fail=jammed,fail_after=2", { dir.path() });
    CollectingObserver kept;
    auto result = (*jamming)->scan({ ScanSource::adf, ColorMode::gray, 100 }, kept, cancel);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::scanner_jammed);
    CHECK(kept.pages.size() == 2);
}

TEST_CASE("a simulated scan is cancelled within a second")
{
    TempDir dir("kiosk-drivers");
    auto scanner = make_scanner("sim:delay_ms=5000", { dir.path() });
    CollectingObserver observer;
    std::atomic<bool> cancel { false };
    auto start = std::chrono::steady_clock::now();
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        cancel = true;
    });
    auto result = (*scanner)->scan({ ScanSource::flatbed, ColorMode::gray, 100 }, observer, cancel);
    stopper.join();
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::cancelled);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(1500));
    CHECK(observer.pages.empty());
}

namespace {

// The printer a backend prints to here: the simulated one writes into dir; CUPS gets a private cupsd with an
// ippeveprinter queue (deploy/dev/cups/virtual-printer.sh), stopped when this goes out of scope.
struct VirtualPrinter {
    std::filesystem::path dir;
    std::string spec;
    bool started = false;

    VirtualPrinter(std::string const& backend, std::filesystem::path const& where)
        : dir(where)
    {
        if (backend == "sim") {
            spec = "sim:dir=" + (dir / "out").string();
            return;
        }
        // cupsd's filters run as lp: every directory above the spool must be traversable (mkdtemp gives 0700).
        std::filesystem::permissions(dir, std::filesystem::perms(0755));
        auto script = std::filesystem::path(KIOSK_SOURCE_DIR) / "deploy" / "dev" / "cups" / "virtual-printer.sh";
        std::string command = "'" + script.string() + "' start '" + (dir / "cups").string() + "' 2>&1";
        FILE* output = ::popen(command.c_str(), "r");
        std::string text;
        char buffer[512];
        while (output && std::fgets(buffer, sizeof buffer, output))
            text += buffer;
        started = output && ::pclose(output) == 0;
        INFO(text);
        REQUIRE(started);
        auto value = [&](std::string const& name) {
            auto at = text.find(name + "=");
            auto end = text.find('\n', at);
            std::string found = text.substr(at + name.size() + 1, end - at - name.size() - 1);
            if (found.size() >= 2 && (found.front() == '\'' || found.front() == '"'))
                found = found.substr(1, found.size() - 2);
            return found;
        };
        spec = "cups:queue=" + value("KIOSK_PRINTER_QUEUE") + ",server=" + value("CUPS_SERVER");
    }
    ~VirtualPrinter()
    {
        if (started) {
            auto script = std::filesystem::path(KIOSK_SOURCE_DIR) / "deploy" / "dev" / "cups" / "virtual-printer.sh";
            std::string command = "'" + script.string() + "' stop '" + (dir / "cups").string() + "' >/dev/null 2>&1";
            int ignored = std::system(command.c_str());
            (void)ignored;
        }
    }
};

} // namespace

TEST_CASE("every printer backend accepts a PDF, follows the job and purges it")
{
    auto backend = GENERATE(from_range(printer_backends()));
    TempDir dir("kiosk-drivers");
    VirtualPrinter virtual_printer(backend, dir.path());
    auto printer = make_printer(virtual_printer.spec, { dir.path() });
    REQUIRE(printer);
    auto status = (*printer)->status();
    REQUIRE(status);
    CHECK_FALSE(status->stopped);

    // An A4 page at 50 dpi: small, and a size every print path knows.
    documents::Image white { 413, 585, 1, 50, std::vector<uint8_t>(413 * 585, 255) };
    std::vector<documents::PdfPage> pages(1);
    pages[0] = { *documents::encode_jpeg(white, 80), 413, 585, 1, 50 };
    auto pdf = documents::assemble_pdf(pages);
    REQUIRE(pdf);
    PrintRequest request { "kiosk-test", *pdf, "application/pdf", 1, 2, false, false };
    auto id = (*printer)->submit(request);
    REQUIRE(id);
    // Followed to its end: at once for the simulated printer, within a few seconds through cupsd.
    auto job = (*printer)->job(*id);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (job && (job->state == JobState::pending || job->state == JobState::processing)
        && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        job = (*printer)->job(*id);
    }
    REQUIRE(job);
    CHECK(job->state == JobState::completed);
    REQUIRE((*printer)->purge({ *id }));
    CHECK_FALSE((*printer)->job(*id));
}

TEST_CASE("the simulated printer writes what it receives and holds jobs while out of paper")
{
    TempDir dir("kiosk-drivers");
    auto printer = make_printer("sim:dir=" + dir.path().string(), { dir.path() });
    REQUIRE(printer);
    std::vector<uint8_t> bytes { '%', 'P', 'D', 'F', '-', '1', '.', '4' };
    auto id = (*printer)->submit({ "t", bytes, "application/pdf", 1, 1, false, false });
    REQUIRE(id);
    CHECK(std::filesystem::file_size(dir.path() / ("job-" + std::to_string(*id) + ".pdf")) == bytes.size());
    CHECK_FALSE((*printer)->submit({ "t", bytes, "text/plain", 1, 1, false, false }));

    auto empty = make_printer("sim:condition=paper_out,dir=" + (dir.path() / "b").string(), { dir.path() });
    REQUIRE(empty);
    auto waiting = (*empty)->submit({ "t", bytes, "application/pdf", 1, 1, false, false });
    REQUIRE(waiting);
    auto job = (*empty)->job(*waiting);
    CHECK(job->state == JobState::pending);
    REQUIRE(job->conditions.size() == 1);
    CHECK(job->conditions.front() == PrinterCondition::paper_out);
    REQUIRE((*empty)->cancel(*waiting));
    CHECK((*empty)->job(*waiting)->state == JobState::canceled);
}

TEST_CASE("every ID reader backend starts and stops")
{
    auto backend = GENERATE(from_range(idreader_backends()));
    TempDir dir("kiosk-drivers");
    auto reader = make_idreader(spec_for(backend), { dir.path() });
    REQUIRE(reader);
    REQUIRE((*reader)->start([](IdEvent) {}));
    (*reader)->stop();
}

TEST_CASE("the simulated ID reader emits badge and MRZ events, and checks what it is fed")
{
    TempDir dir("kiosk-drivers");
    auto reader = make_idreader("sim", { dir.path() });
    auto* sim = dynamic_cast<SimIdReader*>(reader->get());
    REQUIRE(sim);
    std::vector<IdEvent> events;
    REQUIRE(sim->start([&](IdEvent event) { events.push_back(std::move(event)); }));
    REQUIRE(sim->present_card("04:a2:2b:1a"));
    REQUIRE(events.size() == 2);
    CHECK(events[0].kind == IdEvent::Kind::card_inserted);
    CHECK(events[0].card_uid == "04A22B1A");
    CHECK(events[1].kind == IdEvent::Kind::card_removed);
    CHECK_FALSE(sim->present_card("xyz"));
    CHECK_FALSE(sim->present_card("0102"));
    REQUIRE(sim->present_mrz({ "P<UTO", "L898" }));
    CHECK(events.back().kind == IdEvent::Kind::mrz_read);
    // One line is a driving licence; none or four cannot be an MRZ.
    REQUIRE(sim->present_mrz({ "D1FRA13AA000026181231MARTIN<<9" }));
    CHECK(events.back().mrz_lines.size() == 1);
    CHECK_FALSE(sim->present_mrz({}));
    CHECK_FALSE(sim->present_mrz({ "1", "2", "3", "4" }));
}

TEST_CASE("every browser backend opens a partner inside the session directories and closes")
{
    auto backend = GENERATE(from_range(browser_backends()));
    TempDir dir("kiosk-drivers");
    auto browser = make_browser(spec_for(backend), { dir.path() });
    REQUIRE(browser);
    BrowseRequest request { "caf", "https://www.caf.fr", { "caf.fr" }, dir.path() / "profile", dir.path() / "downloads",
        {}, "fr", dir.path() / "uploads" };
    REQUIRE((*browser)->open(request));
    CHECK((*browser)->is_open());
    CHECK(std::filesystem::is_directory(request.uploads_dir));
    (*browser)->close();
    CHECK_FALSE((*browser)->is_open());
    CHECK_FALSE((*browser)->take_unexpected_exit());
    CHECK_FALSE(std::filesystem::exists(request.profile_dir));
}

TEST_CASE("every browser backend answers the kiosk's commands plainly")
{
    auto backend = GENERATE(from_range(browser_backends()));
    INFO(backend);
    TempDir dir("kiosk-drivers");
    auto browser = make_browser(spec_for(backend), { dir.path() });
    REQUIRE(browser);
    auto& b = **browser;
    // Nothing open: every command fails, none hangs or crashes.
    CHECK_FALSE(b.insert_text("x"));
    CHECK_FALSE(b.press_key(EditKey::enter));
    CHECK_FALSE(b.go_back());
    CHECK_FALSE(b.set_area({ 800, 600, 0, 0 }));
    CHECK_FALSE(b.provide_files(1, {}));
    b.cancel_file_request(1);

    BrowseRequest request { "caf", "https://www.caf.fr", { "caf.fr" }, dir.path() / "profile", dir.path() / "downloads",
        {}, "fr", dir.path() / "uploads" };
    REQUIRE(b.open(request));
    // The first page of a visit: Back has nowhere to go (the UI then leaves the site). A real browser needs a
    // moment before its page can be driven.
    std::optional<bool> went_back;
    for (int i = 0; i < 300 && !went_back; ++i) {
        if (auto back = b.go_back())
            went_back = *back;
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(went_back);
    CHECK_FALSE(*went_back);
    auto wrong_area = b.set_area({ 10, 10, -5, 0 });
    REQUIRE_FALSE(wrong_area);
    CHECK(wrong_area.error().code == ErrorCode::usage);
    CHECK(b.set_area({ 800, 600, 0, 100 }));
    // No page asked for a file: nothing to answer.
    auto file = dir.path() / "avis.pdf";
    std::ofstream(file) << "%PDF-1.4\n";
    auto unasked = b.provide_files(42, { { file, "Avis" } });
    REQUIRE_FALSE(unasked);
    CHECK(unasked.error().code == ErrorCode::usage);
    b.close();
}

TEST_CASE("the simulated browser plays the page's part: files asked for, fields focused, history")
{
    TempDir dir("kiosk-drivers");
    auto browser = make_browser("sim", { dir.path() });
    auto* sim = dynamic_cast<SimBrowser*>(browser->get());
    REQUIRE(sim);
    std::vector<BrowserEvent> events;
    sim->set_listener([&events](BrowserEvent event) { events.push_back(std::move(event)); });
    BrowseRequest request { "impots", "https://www.impots.gouv.fr", { "impots.gouv.fr" }, dir.path() / "p",
        dir.path() / "d", {}, "fr", dir.path() / "u" };
    REQUIRE(sim->open(request));

    auto id = sim->simulate_file_request(false, { ".pdf" });
    REQUIRE(id);
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == BrowserEvent::Kind::file_requested);
    CHECK(events[0].file_request.id == *id);
    CHECK(events[0].file_request.accept == std::vector<std::string> { ".pdf" });
    auto avis = dir.path() / "upload-1.pdf";
    std::ofstream(avis) << "%PDF-1.4\n";
    CHECK_FALSE(sim->provide_files(*id, { { avis, "a" }, { avis, "b" } })); // a single input takes one file
    REQUIRE(sim->provide_files(*id, { { avis, "Avis d'impôt 2025" } }));
    REQUIRE(sim->given_files().size() == 1);
    CHECK(sim->given_files()[0].filename() == "Avis-d-impot-2025.pdf");
    CHECK(sim->given_files()[0].parent_path().parent_path() == request.uploads_dir);
    CHECK_FALSE(sim->provide_files(*id, { { avis, "again" } })); // answered already

    sim->simulate_focus(TextFieldKind::email);
    REQUIRE(events.back().kind == BrowserEvent::Kind::text_field_focused);
    CHECK(events.back().field == TextFieldKind::email);
    REQUIRE(sim->insert_text("marie@exemple.fr"));
    REQUIRE(sim->press_key(EditKey::backspace));
    CHECK(sim->field_text() == "marie@exemple.f");
    REQUIRE(sim->press_key(EditKey::tab));
    CHECK(events.back().kind == BrowserEvent::Kind::text_field_left);

    sim->simulate_navigation("https://www.impots.gouv.fr/espace");
    CHECK(*sim->go_back());
    CHECK(sim->page_url() == "https://www.impots.gouv.fr");
    CHECK_FALSE(*sim->go_back());
    REQUIRE(sim->set_area({ 1920, 500, 0, 110 }));
    CHECK(sim->area()->height == 500);
    sim->close();
    CHECK_FALSE(std::filesystem::exists(dir.path() / "u" / "given-1-1"));
}

TEST_CASE("a simulated browser crash is reported once")
{
    TempDir dir("kiosk-drivers");
    auto browser = make_browser("sim", { dir.path() });
    auto* sim = dynamic_cast<SimBrowser*>(browser->get());
    int events = 0;
    sim->set_listener(
        [&events](BrowserEvent event) { events += event.kind == BrowserEvent::Kind::exited_unexpectedly; });
    REQUIRE(sim->open(
        { "caf", "https://www.caf.fr", { "caf.fr" }, dir.path() / "p", dir.path() / "d", {}, "fr", dir.path() / "u" }));
    sim->simulate_crash();
    CHECK_FALSE(sim->is_open());
    CHECK(sim->take_unexpected_exit());
    CHECK_FALSE(sim->take_unexpected_exit());
    CHECK(events == 1);
    CHECK_FALSE(make_browser("sim:fail=1", { dir.path() })
                    .value()
                    ->open({ "caf", "https://www.caf.fr", { "caf.fr" }, dir.path() / "p", dir.path() / "d", {}, "fr",
                        dir.path() / "u" }));
}

TEST_CASE("the simulated devices' controls come with them, and only with them")
{
    TempDir dir("kiosk-drivers");
    core::DeviceConfig specs; // every class simulated, as `kiosk run` without a configuration
    specs.printer = "sim:dir=" + (dir.path() / "printed").string();
    auto simulated = make_devices(specs, DriverContext { dir.path() });
    REQUIRE(simulated);
    CHECK(simulated->sim_browser == simulated->browser.get());
    CHECK(simulated->sim_idreader == simulated->idreader.get());
    // A real browser has no simulated controls (Chromium is created without starting).
    specs.browser = "chromium";
    auto real = make_devices(specs, DriverContext { dir.path() });
    REQUIRE(real);
    CHECK(real->browser);
    CHECK(real->sim_browser == nullptr);
    CHECK(real->sim_idreader == real->idreader.get()); // the reader is still the simulated one
}
