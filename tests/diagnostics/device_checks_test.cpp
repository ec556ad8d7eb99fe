// The test page and the test scan through the simulated drivers, as the registry makes them from a configuration's
// device strings: a printer that prints, one out of paper, a scanner that scans, one whose cover is open.
#include "kiosk/diagnostics/device_checks.h"

#include "drivers/registry.h"
#include "tests/support/temp_dir.h"
#include "tests/support/virtual_printer.h"

#include <catch2/catch.hpp>

using namespace kiosk;

namespace {

bool contains(std::string const& text, std::string const& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("a test page on a printer that works is printed, then purged")
{
    kiosk::tests::TempDir dir("kiosk-diagnostics-print");
    auto printer = drivers::make_printer("sim:dir=" + (dir.path() / "out").string(), { dir.path() });
    REQUIRE(printer);
    std::atomic<bool> cancel { false };
    auto check = diagnostics::test_print(**printer, "Borne 2", std::chrono::seconds(30), cancel);
    INFO(check.detail);
    CHECK(check.name == "test-print sim");
    CHECK(check.ok);
    CHECK(contains(check.detail, "test page printed"));
}

TEST_CASE("a test page on a printer out of paper fails, naming why")
{
    kiosk::tests::TempDir dir("kiosk-diagnostics-print");
    auto printer
        = drivers::make_printer("sim:condition=paper_out,dir=" + (dir.path() / "out").string(), { dir.path() });
    REQUIRE(printer);
    std::atomic<bool> cancel { false };
    auto check = diagnostics::test_print(**printer, "", std::chrono::milliseconds(1000), cancel);
    INFO(check.detail);
    CHECK_FALSE(check.ok);
    CHECK(contains(check.detail, "paper_out"));
}

TEST_CASE("a test scan gives a preview, or the scanner's reason")
{
    kiosk::tests::TempDir dir("kiosk-diagnostics-scan");
    std::atomic<bool> cancel { false };
    auto scanner = drivers::make_scanner("sim", { dir.path() });
    REQUIRE(scanner);
    auto check = diagnostics::test_scan(**scanner, cancel);
    INFO(check.detail);
    CHECK(check.name == "test-scan sim");
    CHECK(check.ok);
    CHECK(contains(check.detail, "preview scanned: "));

    auto open = drivers::make_scanner("sim:fail=cover_open", { dir.path() });
    REQUIRE(open);
    auto failed = diagnostics::test_scan(**open, cancel);
    INFO(failed.detail);
    CHECK_FALSE(failed.ok);
    CHECK(contains(failed.detail, "scanner_cover_open"));
}

TEST_CASE("a test page through CUPS to a real IPP printer", "[cups]")
{
    kiosk::tests::VirtualPrinter virtual_printer;
    REQUIRE(virtual_printer.started());
    auto printer = drivers::make_printer(virtual_printer.driver_string(), { virtual_printer.dir() });
    REQUIRE(printer);
    std::atomic<bool> cancel { false };
    auto check = diagnostics::test_print(**printer, "Borne 2", std::chrono::seconds(90), cancel);
    INFO(check.detail << "\n" << virtual_printer.diagnosis());
    CHECK(check.name == "test-print " + (*printer)->name());
    CHECK(check.ok);
    // Purged once done, as every job of the kiosk: nothing left at the print server.
    CHECK(virtual_printer.job_ids().empty());
}

TEST_CASE("a test page on a real IPP printer out of paper fails, naming why", "[cups]")
{
    kiosk::tests::VirtualPrinter virtual_printer("media-empty");
    REQUIRE(virtual_printer.started());
    auto printer = drivers::make_printer(virtual_printer.driver_string(), { virtual_printer.dir() });
    REQUIRE(printer);
    std::atomic<bool> cancel { false };
    auto check = diagnostics::test_print(**printer, "", std::chrono::seconds(90), cancel);
    INFO(check.detail << "\n" << virtual_printer.diagnosis());
    CHECK_FALSE(check.ok);
    CHECK(contains(check.detail, "paper_out"));
    CHECK(virtual_printer.job_ids().empty());
}
