// Tests of the session's store without any screen: documents in the vault, quota, storage limit, print jobs, the
// wipe, and the PIN lockout that outlives sessions. Real files in a fresh directory.
#include "kiosk/core/session_store.h"
#include "tests/support/small_tmpfs.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using kiosk::ErrorCode;
using kiosk::core::AuditLog;
using kiosk::core::ManualClock;
using kiosk::core::PinLockout;
using kiosk::core::SessionStore;
using kiosk::core::TrayPage;
using kiosk::tests::TempDir;

namespace {

std::vector<uint8_t> bytes(size_t size, uint8_t value = 0x5A)
{
    return std::vector<uint8_t>(size, value);
}

bool audited(AuditLog const& audit, std::string_view text)
{
    auto lines = audit.recent();
    return std::ranges::any_of(lines, [&](std::string const& line) { return line.find(text) != std::string::npos; });
}

// Session directories left in the runtime directory.
int sessions_in(fs::path const& runtime)
{
    int count = 0;
    for (auto const& entry : fs::directory_iterator(runtime))
        count += entry.path().filename().string().starts_with("session-");
    return count;
}

struct Fixture {
    TempDir dir;
    ManualClock clock;
    AuditLog audit = std::move(*AuditLog::open("", clock));
    fs::path runtime = dir.path() / "run";
    fs::path unlock_state = dir.path() / "unlock-state";
    SessionStore store { clock, audit, runtime, { 10, 1 }, unlock_state };
};

TrayPage a4(int dpi = 300)
{
    return TrayPage { {}, 2480 * dpi / 300, 3508 * dpi / 300, 3, dpi };
}

} // namespace

TEST_CASE_METHOD(Fixture, "a session's pages are stored encrypted under names that are never reused")
{
    REQUIRE(store.begin());
    int number = store.take_number();
    auto first = store.add_page(number, "Scan 1", bytes(1000), a4());
    auto second = store.add_page(number, "Scan 1", bytes(2000, 1), a4());
    REQUIRE(first);
    REQUIRE(second);
    REQUIRE(store.documents().size() == 1);
    auto const& document = store.documents().front();
    CHECK(document.name == "Scan 1");
    CHECK(document.page_count() == 2);
    CHECK(document.pages[0].width == 2480);
    CHECK(store.stored_size(document) == 3000);
    CHECK(store.read(second->vault_name).value() == bytes(2000, 1));
    // Nothing a resident scanned is readable on disk.
    for (auto const& entry : fs::recursive_directory_iterator(runtime)) {
        if (!entry.is_regular_file())
            continue;
        std::ifstream file(entry.path(), std::ios::binary);
        std::string content((std::istreambuf_iterator<char>(file)), {});
        CHECK(content.find(std::string(500, 0x5A)) == std::string::npos);
    }
    // Deleting page 1 and adding another: the new page gets a new name, not the deleted one's.
    REQUIRE(store.remove_page(number, first->vault_name).value() == SessionStore::PageRemoval::removed);
    auto third = store.add_page(number, "Scan 1", bytes(10), a4());
    REQUIRE(third);
    CHECK(third->vault_name != first->vault_name);
    CHECK(third->vault_name != second->vault_name);
    CHECK(store.read(first->vault_name).error().code == ErrorCode::not_found);
}

TEST_CASE_METHOD(Fixture, "moving and removing pages keeps the order a resident sees")
{
    REQUIRE(store.begin());
    int number = store.take_number();
    std::vector<std::string> names;
    for (int i = 0; i < 4; ++i)
        names.push_back(store.add_page(number, "Scan 1", bytes(10, uint8_t(i)), a4()).value().vault_name);
    auto order = [&] {
        std::vector<std::string> now;
        for (auto const& page : store.find(number)->pages)
            now.push_back(page.vault_name);
        return now;
    };
    REQUIRE(store.move_page(number, 0, +1));
    CHECK(order() == std::vector { names[1], names[0], names[2], names[3] });
    REQUIRE(store.move_page(number, 3, -1));
    CHECK(order() == std::vector { names[1], names[0], names[3], names[2] });
    // Off either end, or a document that is not there: nothing moves.
    // Further than one place: the others keep their order.
    REQUIRE(store.move_page(number, 0, +3));
    CHECK(order() == std::vector { names[0], names[3], names[2], names[1] });
    REQUIRE(store.move_page(number, 3, -3));
    CHECK(order() == std::vector { names[1], names[0], names[3], names[2] });
    CHECK_FALSE(store.move_page(number, 0, -1));
    CHECK_FALSE(store.move_page(number, 3, +1));
    CHECK_FALSE(store.move_page(number + 1, 0, +1));
    CHECK(order() == std::vector { names[1], names[0], names[3], names[2] });

    // A name that is not a page of this document removes nothing.
    CHECK(store.remove_page(number, "doc9-page1.jpg").value() == SessionStore::PageRemoval::absent);
    for (int i = 0; i < 3; ++i)
        REQUIRE(store.remove_page(number, store.find(number)->pages.front().vault_name).value()
            == SessionStore::PageRemoval::removed);
    // The only page left is not removed on its own: the document goes with it, which remove() does.
    CHECK(store.remove_page(number, names[2]).value() == SessionStore::PageRemoval::last_page);
    CHECK(store.find(number)->page_count() == 1);
    REQUIRE(store.remove(number));
    CHECK(store.documents().empty());
    CHECK(store.vault()->list().empty());
    CHECK(audited(audit, "\"event\":\"document_deleted\""));
}

TEST_CASE_METHOD(Fixture, "a document deleted while its scan still runs does not come back")
{
    REQUIRE(store.begin());
    int number = store.take_number();
    auto first = store.add_page(number, "Scan 1", bytes(10), a4());
    REQUIRE(first);
    REQUIRE(store.remove(number));
    // The feeder's next page arrives after the deletion: refused, and the name of the deleted page is not taken.
    auto late = store.add_page(number, "Scan 1", bytes(10), a4());
    REQUIRE_FALSE(late);
    CHECK(late.error().code == ErrorCode::not_found);
    CHECK(store.documents().empty());
    CHECK(store.vault()->list().empty());
}

TEST_CASE_METHOD(Fixture, "the storage limit refuses a page and keeps the pages already stored")
{
    REQUIRE(store.begin()); // 1 MB
    int number = store.take_number();
    REQUIRE(store.add_page(number, "Scan 1", bytes(600 * 1024), a4()));
    auto refused = store.add_page(number, "Scan 1", bytes(600 * 1024), a4());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::storage_full);
    CHECK(store.find(number)->page_count() == 1);
    CHECK(store.storage_left() < 1024 * 1024 - 600 * 1024);
    // A PDF that does not fit either: no empty document is left in the tray.
    auto pdf = store.add_pdf("Attestation", bytes(600 * 1024), 1);
    REQUIRE_FALSE(pdf);
    CHECK(pdf.error().code == ErrorCode::storage_full);
    CHECK(store.documents().size() == 1);
}

TEST_CASE("a page the disk cannot take leaves no empty document in the tray")
{
    TempDir dir;
    kiosk::tests::SmallTmpfs tmpfs(dir.path() / "small", "size=64k");
    REQUIRE(tmpfs.mounted());
    ManualClock clock;
    AuditLog audit = std::move(*AuditLog::open("", clock));
    SessionStore store(clock, audit, dir.path() / "small" / "run", { 10, 100 }, dir.path() / "unlock-state");
    REQUIRE(store.begin());
    int number = store.take_number();
    auto refused = store.add_page(number, "Scan 1", bytes(256 * 1024), a4());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::storage_full);
    CHECK(store.documents().empty());
}

TEST_CASE_METHOD(Fixture, "a damaged PDF is kept, not printable, and counted as no pages")
{
    REQUIRE(store.begin());
    auto damaged = store.add_pdf("Relevé", bytes(100), std::nullopt);
    REQUIRE(damaged);
    CHECK_FALSE((*damaged)->pdf_readable);
    CHECK((*damaged)->page_count() == 0);
    int damaged_number = (*damaged)->number;
    auto form = store.add_pdf("Formulaire", bytes(200), 3);
    REQUIRE(form);
    CHECK((*form)->pdf_readable);
    CHECK((*form)->page_count() == 3);
    CHECK((*form)->number == damaged_number + 1);
    CHECK_FALSE(store.move_page((*form)->number, 0, +1)); // a PDF's pages are not moved
    CHECK(store.rename((*form)->number, "Ma demande"));
    CHECK(store.find((*form)->number)->name == "Ma demande");
}

TEST_CASE_METHOD(Fixture, "the quota counts printed pages, an agent's extra pages, and starts again each session")
{
    REQUIRE(store.begin());
    CHECK(store.pages_left() == 10);
    store.charge(7);
    CHECK(store.pages_left() == 3);
    store.charge(7);
    CHECK(store.pages_left() == 0); // never below nothing
    store.add_quota(20);
    CHECK(store.pages_left() == 16);
    store.wipe({});
    REQUIRE(store.begin());
    CHECK(store.pages_left() == 10);
    CHECK(store.pages_printed() == 0);
}

TEST_CASE_METHOD(Fixture, "the wipe purges the print jobs, destroys the vault and forgets every document")
{
    REQUIRE(store.begin());
    int number = store.take_number();
    REQUIRE(store.add_page(number, "Scan 1", bytes(1000), a4()));
    REQUIRE(store.add_pdf("Formulaire", bytes(200), 1));
    store.add_print_job(41);
    store.add_print_job(42);
    store.charge(2);
    REQUIRE(sessions_in(runtime) == 1);

    std::vector<int> purged;
    auto result = store.wipe([&](std::vector<int> const& jobs) -> kiosk::Result<void> {
        purged = jobs;
        return {};
    });
    CHECK(result.ok);
    CHECK(result.documents == 2);
    CHECK(result.pages_printed == 2);
    CHECK(purged == std::vector { 41, 42 });
    CHECK_FALSE(store.open());
    CHECK(store.documents().empty());
    CHECK(store.print_jobs().empty());
    CHECK(sessions_in(runtime) == 0);
    CHECK(audited(audit, "\"event\":\"wipe_detail\""));
    // Nothing is stored with no session open.
    CHECK(store.add_page(1, "Scan 1", bytes(10), a4()).error().code == ErrorCode::not_found);
    CHECK(store.read("doc1-page1.jpg").error().code == ErrorCode::not_found);

    // The next session numbers its documents from 1 again.
    REQUIRE(store.begin());
    CHECK(store.take_number() == 1);
}

TEST_CASE_METHOD(Fixture, "a print server that cannot purge makes the wipe fail, and the vault still goes")
{
    REQUIRE(store.begin());
    REQUIRE(store.add_page(store.take_number(), "Scan 1", bytes(1000), a4()));
    store.add_print_job(7);
    auto result = store.wipe([](std::vector<int> const&) -> kiosk::Result<void> {
        return kiosk::make_error(ErrorCode::printer_offline, "cupsd gone");
    });
    CHECK_FALSE(result.ok);
    CHECK(audited(audit, "\"what\":\"print_jobs\""));
    CHECK(sessions_in(runtime) == 0);
    CHECK_FALSE(store.open());
}

TEST_CASE_METHOD(Fixture, "five wrong PINs lock unlocking, longer each time, and a restart does not unlock")
{
    auto& lockout = store.lockout();
    for (int i = 0; i < 4; ++i)
        CHECK(lockout.count_failure() == 0);
    CHECK_FALSE(lockout.locked());
    CHECK(lockout.count_failure() == 30);
    CHECK(lockout.locked());
    clock.advance(std::chrono::seconds(29));
    CHECK(lockout.locked());
    clock.advance(std::chrono::seconds(1));
    CHECK_FALSE(lockout.locked());
    CHECK(lockout.count_failure() == 60);
    for (int i = 0; i < 10; ++i)
        lockout.count_failure();
    CHECK(lockout.count_failure() == static_cast<int>(PinLockout::longest_lock.count()));

    // Another kiosk process on the same file (a restart): still locked, with the same failures.
    PinLockout again(clock, audit, unlock_state);
    CHECK(again.locked());
    CHECK(again.failed() == lockout.failed());
    // A wipe of the session does not reset it.
    REQUIRE(store.begin());
    store.wipe({});
    CHECK(store.lockout().locked());

    // A right PIN clears it, on disk too.
    clock.advance(PinLockout::longest_lock);
    lockout.succeeded();
    CHECK(PinLockout(clock, audit, unlock_state).failed() == 0);
}

TEST_CASE_METHOD(Fixture, "a tampered lockout file locks instead of giving tries back")
{
    {
        std::ofstream file(unlock_state);
        file << "not a lockout";
    }
    PinLockout lockout(clock, audit, unlock_state);
    CHECK(lockout.locked());
    CHECK(lockout.failed() >= PinLockout::free_tries);
}
