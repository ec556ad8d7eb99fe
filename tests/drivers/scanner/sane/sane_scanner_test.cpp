// The SANE driver against the real SANE "test" backend, each test with its own SANE_CONFIG_DIR.
#include "drivers/scanner/sane/sane_scanner.h"

#include <catch2/catch.hpp>
#include <dlfcn.h>
#include <pthread.h>
#include <sane/sane.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>

using namespace kiosk;
using namespace kiosk::drivers;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// The configuration directory of this test process: dll.conf with only "test", and a test.conf with A4 geometry
// plus the test's own lines. libsane remembers SANE_CONFIG_DIR from its first sane_init for the life of the
// process, so the directory is one per process (ctest runs each test case in its own) and is rewritten per test.
class SaneConfig {
public:
    explicit SaneConfig(std::string const& extra = {})
    {
        static fs::path const dir = [] {
            std::string pattern = (fs::temp_directory_path() / "kiosk-sane-XXXXXX").string();
            if (!mkdtemp(pattern.data()))
                throw std::runtime_error("mkdtemp failed");
            std::atexit([] {
                std::error_code ignored;
                fs::remove_all(SaneConfig::directory(), ignored);
            });
            return fs::path(pattern);
        }();
        s_dir = dir;
        // The test backend leaks a buffer when a scan is cancelled mid-read (its reader thread is cancelled
        // without cleanup). Keeping it mapped after sane_exit lets LeakSanitizer name it for a suppression.
        static void* const pinned = dlopen(SANE_BACKEND_DIR "/libsane-test.so.1", RTLD_NOW | RTLD_NODELETE);
        (void)pinned;
        set_backend_listed(true);
        write(extra);
        setenv("SANE_CONFIG_DIR", s_dir.c_str(), 1);
    }

    static fs::path const& directory() { return s_dir; }

    // Without the test backend in dll.conf there is no scanner at all, as when every scanner is unplugged.
    void set_backend_listed(bool listed) { std::ofstream(s_dir / "dll.conf") << (listed ? "test\n" : ""); }

    // The backend reads it at sane_init only: a change shows after the driver re-initialises SANE.
    void write(std::string const& extra)
    {
        // Every option is written, not only those that differ: the backend stays loaded for the whole
        // process (see the dlopen above) and keeps values a previous test set. Later lines win.
        std::ofstream(s_dir / "test.conf") << "number_of_devices 2\nmode Gray\ndepth 8\nhand-scanner false\n"
                                              "three-pass false\nthree-pass-order RGB\nresolution_min 1.0\n"
                                              "resolution_max 1200.0\nresolution_quant 1.0\nresolution 50.0\n"
                                              "test-picture \"Color pattern\"\ninvert-endianess false\n"
                                              "read-limit false\nread-limit-size 1\nread-delay false\n"
                                              "read-delay-duration 1000\nread-status-code \"Default\"\n"
                                              "fuzzy-parameters false\nppl-loss 0\nnon-blocking false\n"
                                              "select-fd false\nenable-test-options false\n"
                                              "geometry_min 0.0\ngeometry_max 300.0\ngeometry_quant 1.0\n"
                                              "tl_x 0.0\ntl_y 0.0\nbr_x 210.0\nbr_y 297.0\n"
                                           << extra << "\n";
    }

private:
    static inline fs::path s_dir;
};

struct Collector final : ScanObserver {
    std::vector<documents::Image> pages;
    std::vector<double> progress;
    std::function<void()> on_first_progress;

    void on_progress(int, double fraction) override
    {
        if (progress.empty() && on_first_progress)
            on_first_progress();
        progress.push_back(fraction);
    }
    void on_page(documents::Image page) override { pages.push_back(std::move(page)); }
};

// The scan area is limited to A4: the test backend's bed is as wide as it is long.
std::unique_ptr<Scanner> open_scanner(std::string const& params = "device=test:0,paper=a4")
{
    auto spec = parse_driver_spec("sane:" + params);
    REQUIRE(spec);
    auto scanner = SaneScanner::create(*spec);
    if (!scanner)
        FAIL("create failed: " << scanner.error().detail);
    return std::move(*scanner);
}

Result<void> scan(Scanner& scanner, Collector& collector, ScanSettings settings = {})
{
    std::atomic<bool> cancel { false };
    auto result = scanner.scan(settings, collector, cancel);
    if (!result)
        UNSCOPED_INFO("scan failed: " << result.error().detail);
    return result;
}

bool has_variation(documents::Image const& image)
{
    auto [min, max] = std::minmax_element(image.pixels.begin(), image.pixels.end());
    return *max - *min > 100;
}

int a4_pixels(double mm, int dpi)
{
    return static_cast<int>(mm / 25.4 * dpi);
}

// Sets a string option of the test backend itself; runs on the SANE thread through the page hook.
void set_backend_option(void* handle, std::string const& name, std::string const& value)
{
    SANE_Int count = 0;
    REQUIRE(sane_control_option(handle, 0, SANE_ACTION_GET_VALUE, &count, nullptr) == SANE_STATUS_GOOD);
    for (SANE_Int i = 1; i < count; ++i) {
        auto const* descriptor = sane_get_option_descriptor(handle, i);
        if (descriptor && descriptor->name && name == descriptor->name) {
            std::vector<char> buffer(static_cast<size_t>(descriptor->size), '\0');
            value.copy(buffer.data(), buffer.size() - 1);
            REQUIRE(sane_control_option(handle, i, SANE_ACTION_SET_VALUE, buffer.data(), nullptr) == SANE_STATUS_GOOD);
            return;
        }
    }
    FAIL("no option " << name);
}

} // namespace

TEST_CASE("flatbed colour scan gives an A4 RGB page at the requested dpi")
{
    SaneConfig config;
    auto scanner = open_scanner();
    Collector collector;
    auto result = scan(*scanner, collector, { ScanSource::flatbed, ColorMode::color, 150 });
    REQUIRE(result);
    REQUIRE(collector.pages.size() == 1);
    auto const& page = collector.pages[0];
    CHECK(page.channels == 3);
    CHECK(page.dpi == 150);
    CHECK(std::abs(page.width - a4_pixels(210, 150)) <= 2);
    CHECK(std::abs(page.height - a4_pixels(297, 150)) <= 2);
    CHECK(page.pixels.size() == page.row_bytes() * static_cast<size_t>(page.height));
    CHECK(has_variation(page));
    REQUIRE_FALSE(collector.progress.empty());
    CHECK(std::is_sorted(collector.progress.begin(), collector.progress.end()));
    CHECK(collector.progress.back() == 1.0);
    CHECK(scanner->name() == "sane:test:0");
}

TEST_CASE("flatbed grey scan gives one channel")
{
    SaneConfig config;
    auto scanner = open_scanner();
    Collector collector;
    REQUIRE(scan(*scanner, collector, { ScanSource::flatbed, ColorMode::gray, 100 }));
    REQUIRE(collector.pages.size() == 1);
    auto const& page = collector.pages[0];
    CHECK(page.channels == 1);
    CHECK(page.dpi == 100);
    CHECK(std::abs(page.width - a4_pixels(210, 100)) <= 2);
    CHECK(std::abs(page.height - a4_pixels(297, 100)) <= 2);
    CHECK(has_variation(page));
}

TEST_CASE("lineart is expanded to black and white and a later colour scan is colour again")
{
    SaneConfig config("test-picture \"Grid\"");
    auto scanner = open_scanner();
    Collector collector;
    REQUIRE(scan(*scanner, collector, { ScanSource::flatbed, ColorMode::lineart, 75 }));
    REQUIRE(collector.pages.size() == 1);
    auto const& page = collector.pages[0];
    CHECK(page.channels == 1);
    CHECK(std::all_of(page.pixels.begin(), page.pixels.end(), [](uint8_t v) { return v == 0 || v == 255; }));
    CHECK(std::count(page.pixels.begin(), page.pixels.end(), 0) > 0);
    CHECK(std::count(page.pixels.begin(), page.pixels.end(), 255) > 0);

    Collector colour;
    REQUIRE(scan(*scanner, colour, { ScanSource::flatbed, ColorMode::color, 75 }));
    REQUIRE(colour.pages.size() == 1);
    CHECK(colour.pages[0].channels == 3);
}

TEST_CASE("a feeder run scans every page until the feeder is empty")
{
    SaneConfig config;
    auto scanner = open_scanner();
    Collector collector;
    auto result = scan(*scanner, collector, { ScanSource::adf, ColorMode::gray, 50 });
    REQUIRE(result);
    CHECK(collector.pages.size() == 10);
    for (auto const& page : collector.pages)
        CHECK(page.height > 0);
}

TEST_CASE("capabilities name the model and the sources")
{
    SaneConfig config("resolution_min 50.0\nresolution_max 600.0");
    auto scanner = open_scanner();
    auto caps = scanner->capabilities();
    REQUIRE(caps);
    CHECK(caps->model == "Noname frontend-tester");
    CHECK(caps->has_flatbed);
    CHECK(caps->has_adf);
    CHECK(caps->resolutions == std::vector<int> { 75, 100, 150, 200, 240, 300, 400, 600 });
}

TEST_CASE("a resolution the device does not offer is refused")
{
    SaneConfig config("resolution_max 600.0");
    auto scanner = open_scanner();
    Collector collector;
    auto result = scan(*scanner, collector, { ScanSource::flatbed, ColorMode::color, 1200 });
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::scanner_unsupported);
    CHECK(collector.pages.empty());
}

TEST_CASE("an unknown device name is an error at creation")
{
    SaneConfig config;
    auto spec = parse_driver_spec("sane:device=nosuch:3");
    REQUIRE(spec);
    auto scanner = SaneScanner::create(*spec);
    REQUIRE_FALSE(scanner);
    CHECK(scanner.error().code == ErrorCode::not_found);
    // The failed instance released SANE: a new one may start.
    auto good = open_scanner();
    CHECK(good->name() == "sane:test:0");
}

TEST_CASE("a misspelt parameter is a usage error")
{
    auto spec = parse_driver_spec("sane:devise=test:0");
    REQUIRE(spec);
    auto scanner = SaneScanner::create(*spec);
    REQUIRE_FALSE(scanner);
    CHECK(scanner.error().code == ErrorCode::usage);
}

TEST_CASE("device errors on the first page reach the caller with their own code")
{
    auto [status, code] = GENERATE(table<std::string, ErrorCode>({
        { "SANE_STATUS_JAMMED", ErrorCode::scanner_jammed },
        { "SANE_STATUS_COVER_OPEN", ErrorCode::scanner_cover_open },
        { "SANE_STATUS_NO_DOCS", ErrorCode::scanner_no_docs },
        { "SANE_STATUS_IO_ERROR", ErrorCode::scanner_io },
        { "SANE_STATUS_DEVICE_BUSY", ErrorCode::scanner_busy },
    }));
    auto source = GENERATE(ScanSource::flatbed, ScanSource::adf);
    CAPTURE(status, source == ScanSource::adf);
    SaneConfig config("read-status-code \"" + status + "\"");
    auto scanner = open_scanner();
    Collector collector;
    auto result = scan(*scanner, collector, { source, ColorMode::gray, 50 });
    REQUIRE_FALSE(result);
    CHECK(result.error().code == code);
    CHECK(collector.pages.empty());
}

TEST_CASE("an error in the middle of a feeder run keeps the pages already scanned")
{
    auto [status, code] = GENERATE(table<std::string, ErrorCode>({
        { "SANE_STATUS_JAMMED", ErrorCode::scanner_jammed },
        { "SANE_STATUS_COVER_OPEN", ErrorCode::scanner_cover_open },
        { "SANE_STATUS_IO_ERROR", ErrorCode::scanner_io },
        { "SANE_STATUS_DEVICE_BUSY", ErrorCode::scanner_busy },
    }));
    CAPTURE(status);
    SaneConfig config;
    auto* scanner = dynamic_cast<SaneScanner*>(open_scanner().release());
    std::unique_ptr<Scanner> owner(scanner);
    scanner->set_page_hook_for_testing([status](int pages_done, void* handle) {
        if (pages_done == 2)
            set_backend_option(handle, "read-return-value", status);
    });
    Collector collector;
    auto result = scan(*scanner, collector, { ScanSource::adf, ColorMode::gray, 50 });
    REQUIRE_FALSE(result);
    CHECK(result.error().code == code);
    CHECK(collector.pages.size() == 2);
}

// A driver call that does not return until the test lets it: a backend deadlocked, a device that stopped answering.
class Stuck {
public:
    void hold()
    {
        std::unique_lock lock(m_mutex);
        m_held = true;
        m_changed.notify_all();
        m_changed.wait(lock, [this] { return m_released; });
    }
    void wait_until_held()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_held; });
    }
    void release()
    {
        std::lock_guard lock(m_mutex);
        m_released = true;
        m_changed.notify_all();
    }
    bool released()
    {
        std::lock_guard lock(m_mutex);
        return m_released;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_held = false;
    bool m_released = false;
};

TEST_CASE("a driver that stops answering in mid-scan is given up on, and answers again when it comes back")
{
    SaneConfig config;
    auto* scanner = dynamic_cast<SaneScanner*>(open_scanner("device=test:0,paper=a4,patience_ms=300").release());
    std::unique_ptr<Scanner> owner(scanner);
    auto stuck = std::make_shared<Stuck>();
    scanner->set_page_hook_for_testing([stuck](int pages_done, void*) {
        if (pages_done == 1)
            stuck->hold();
    });
    Collector collector;
    auto result = scan(*scanner, collector, { ScanSource::adf, ColorMode::gray, 50 });
    // The scan came back while the driver was still stuck: it did not wait for it.
    CHECK_FALSE(stuck->released());
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::scanner_io);
    CHECK(collector.pages.size() == 1); // the page that was read is the caller's
    // While it is stuck, it says so, and every question is answered at once: the scanner does not answer.
    CHECK(scanner->stuck());
    auto capabilities = scanner->capabilities();
    REQUIRE_FALSE(capabilities);
    CHECK(capabilities.error().code == ErrorCode::scanner_io);
    Collector second;
    auto again = scan(*scanner, second, { ScanSource::flatbed, ColorMode::gray, 50 });
    REQUIRE_FALSE(again);
    CHECK(again.error().code == ErrorCode::scanner_io);
    CHECK(second.pages.empty());

    // The device answers again: so does the scanner, and it scans.
    stuck->release();
    scanner->set_page_hook_for_testing({});
    REQUIRE(scanner->capabilities());
    CHECK_FALSE(scanner->stuck());
    Collector third;
    REQUIRE(scan(*scanner, third, { ScanSource::flatbed, ColorMode::gray, 50 }));
    CHECK(third.pages.size() == 1);
}

TEST_CASE("a driver stuck for good does not hold its owner: the scanner is let go, and SANE starts again after")
{
    SaneConfig config;
    auto stuck = std::make_shared<Stuck>();
    {
        auto* scanner = dynamic_cast<SaneScanner*>(open_scanner("device=test:0,paper=a4,patience_ms=300").release());
        std::unique_ptr<Scanner> owner(scanner);
        scanner->set_page_hook_for_testing([stuck](int, void*) { stuck->hold(); });
        Collector collector;
        std::atomic<bool> cancel { false };
        std::thread scanning([&] { (void)scanner->scan({ ScanSource::adf, ColorMode::gray, 50 }, collector, cancel); });
        stuck->wait_until_held();
        scanning.join();
        // The kiosk stopping, or a technician's restart of the driver: it does not wait for the stuck call.
    }
    CHECK_FALSE(stuck->released());
    // No second SANE while the first is stuck inside it.
    auto spec = parse_driver_spec("sane:device=test:0,paper=a4");
    REQUIRE(spec);
    auto refused = SaneScanner::create(*spec);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::scanner_busy);
    // Once the call returns, the driver left behind shuts SANE down, and a new one starts.
    stuck->release();
    Result<std::unique_ptr<Scanner>> created = make_error(ErrorCode::scanner_busy);
    for (int i = 0; i < 100 && !created; ++i) {
        created = SaneScanner::create(*spec);
        if (!created)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(created);
    Collector collector;
    REQUIRE(scan(**created, collector, { ScanSource::flatbed, ColorMode::gray, 50 }));
    CHECK(collector.pages.size() == 1);
}

TEST_CASE("an empty feeder after some pages ends the run successfully")
{
    SaneConfig config;
    auto* scanner = dynamic_cast<SaneScanner*>(open_scanner().release());
    std::unique_ptr<Scanner> owner(scanner);
    scanner->set_page_hook_for_testing([](int pages_done, void* handle) {
        if (pages_done == 3)
            set_backend_option(handle, "read-return-value", "SANE_STATUS_NO_DOCS");
    });
    Collector collector;
    REQUIRE(scan(*scanner, collector, { ScanSource::adf, ColorMode::gray, 50 }));
    CHECK(collector.pages.size() == 3);
}

TEST_CASE("Cancel stops a slow scan within one second")
{
    // 200 ms between small buffers: an A4 page would take minutes.
    SaneConfig config("read-delay true\nread-delay-duration 200000\nread-limit true\nread-limit-size 4096");
    auto scanner = open_scanner();
    std::atomic<bool> cancel { false };
    Clock::time_point cancelled_at;
    Collector collector;
    std::thread canceller;
    collector.on_first_progress = [&] {
        canceller = std::thread([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            cancelled_at = Clock::now();
            cancel = true;
        });
    };
    auto started = Clock::now();
    auto result = scanner->scan({ ScanSource::flatbed, ColorMode::color, 150 }, collector, cancel);
    auto ended = Clock::now();
    if (canceller.joinable())
        canceller.join();
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::cancelled);
    CHECK(collector.pages.empty());
    auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(ended - cancelled_at).count();
    WARN("cancel latency " << latency << " ms, scan ran "
                           << std::chrono::duration_cast<std::chrono::milliseconds>(ended - started).count() << " ms");
    CHECK(latency < 1000);

    // The device is usable again at once.
    Collector next;
    std::atomic<bool> no_cancel { false };
    auto again = scanner->scan({ ScanSource::flatbed, ColorMode::gray, 10 }, next, no_cancel);
    CHECK(again);
}

TEST_CASE("non-blocking reads with a select descriptor")
{
    SaneConfig config("non-blocking true\nselect-fd true\nread-delay true\nread-delay-duration 1000");
    auto scanner = open_scanner();
    Collector collector;
    REQUIRE(scan(*scanner, collector, { ScanSource::flatbed, ColorMode::gray, 50 }));
    REQUIRE(collector.pages.size() == 1);
    CHECK(std::abs(collector.pages[0].height - a4_pixels(297, 50)) <= 2);
}

TEST_CASE("a three-pass scanner's frames are assembled into one RGB page")
{
    SaneConfig config("mode Color\nthree-pass true\nthree-pass-order GBR");
    auto scanner = open_scanner();
    Collector collector;
    REQUIRE(scan(*scanner, collector, { ScanSource::flatbed, ColorMode::color, 75 }));
    REQUIRE(collector.pages.size() == 1);
    auto const& page = collector.pages[0];
    CHECK(page.channels == 3);
    CHECK(std::abs(page.width - a4_pixels(210, 75)) <= 2);
    CHECK(std::abs(page.height - a4_pixels(297, 75)) <= 2);
    CHECK(has_variation(page));
    // The colour pattern has pixels whose channels differ: the planes went to their own channels.
    bool coloured = false;
    for (size_t i = 0; i + 2 < page.pixels.size() && !coloured; i += 3)
        coloured = page.pixels[i] != page.pixels[i + 1] || page.pixels[i + 1] != page.pixels[i + 2];
    CHECK(coloured);
}

TEST_CASE("a hand-scanner frame of unknown length grows until the end of the data")
{
    SaneConfig config("hand-scanner true");
    auto scanner = open_scanner();
    Collector collector;
    REQUIRE(scan(*scanner, collector, { ScanSource::flatbed, ColorMode::gray, 100 }));
    REQUIRE(collector.pages.size() == 1);
    auto const& page = collector.pages[0];
    CHECK(std::abs(page.width - a4_pixels(110, 100)) <= 2); // the backend's fixed 11 cm
    CHECK(page.height > 0);
    CHECK(page.pixels.size() == page.row_bytes() * static_cast<size_t>(page.height));
}

TEST_CASE("a scanner that vanishes is found again even under a new name")
{
    SaneConfig config("number_of_devices 2");
    auto* scanner = dynamic_cast<SaneScanner*>(open_scanner("device=test:1,paper=a4,discovery_ms=100").release());
    std::unique_ptr<Scanner> owner(scanner);
    Collector first;
    REQUIRE(scan(*scanner, first, { ScanSource::flatbed, ColorMode::gray, 25 }));
    CHECK(scanner->name() == "sane:test:1");

    // test:1 is unplugged; the same model remains as test:0.
    config.write("number_of_devices 1");
    scanner->rediscover();
    Collector second;
    REQUIRE(scan(*scanner, second, { ScanSource::flatbed, ColorMode::gray, 25 }));
    CHECK(second.pages.size() == 1);
    CHECK(scanner->name() == "sane:test:0");
    auto caps = scanner->capabilities();
    REQUIRE(caps);
    CHECK(caps->model == "Noname frontend-tester");

    // Every scanner unplugged: a plain "scanner gone".
    config.set_backend_listed(false);
    scanner->rediscover();
    Collector third;
    auto gone = scan(*scanner, third, { ScanSource::flatbed, ColorMode::gray, 25 });
    REQUIRE_FALSE(gone);
    CHECK(gone.error().code == ErrorCode::scanner_gone);

    // Plugged back: background discovery opens it again, under its configured name, without a scan asking.
    config.write("number_of_devices 2");
    config.set_backend_listed(true);
    auto deadline = Clock::now() + std::chrono::seconds(3);
    while (scanner->name() != "sane:test:1" && Clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(scanner->name() == "sane:test:1");
    Collector fourth;
    CHECK(scan(*scanner, fourth, { ScanSource::flatbed, ColorMode::gray, 25 }));
}

TEST_CASE("the backends' reader threads can only be cancelled at a safe point")
{
    // What a backend loaded with dlopen binds to: the driver's pthread_setcanceltype, not libc's.
    using SetCancelType = int (*)(int, int*);
    auto bound = reinterpret_cast<SetCancelType>(dlsym(RTLD_DEFAULT, "pthread_setcanceltype"));
    REQUIRE(bound);
    CHECK(bound != reinterpret_cast<SetCancelType>(dlsym(RTLD_NEXT, "pthread_setcanceltype")));
    // A thread asking for asynchronous cancellation gets deferred cancellation.
    int type = -1;
    std::thread([&] {
        int ignored = 0;
        REQUIRE(bound(PTHREAD_CANCEL_ASYNCHRONOUS, &ignored) == 0);
        REQUIRE(bound(PTHREAD_CANCEL_DEFERRED, &type) == 0);
    }).join();
    CHECK(type == PTHREAD_CANCEL_DEFERRED);
}
