// Tests of the per-session encrypted vault and the runtime directory lock, on real files in a fresh directory.
#include "kiosk/core/session_vault.h"
#include "tests/support/small_tmpfs.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using kiosk::tests::TempDir;

namespace fs = std::filesystem;
using kiosk::ErrorCode;
using kiosk::core::RuntimeDirLock;
using kiosk::core::SessionVault;
using kiosk::tests::SmallTmpfs;

namespace {

// A fresh directory per test, deleted afterwards.
std::vector<uint8_t> bytes(std::string_view text)
{
    return { text.begin(), text.end() };
}

std::vector<uint8_t> pattern(size_t size, uint8_t seed)
{
    std::vector<uint8_t> data(size);
    uint32_t state = 2463534242u + seed;
    for (auto& byte : data) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        byte = static_cast<uint8_t>(state);
    }
    return data;
}

// 1 KB of text that is easy to spot in a file: "RESIDENT-SECRET-0000 RESIDENT-SECRET-0001 ..."
std::vector<uint8_t> recognizable_kilobyte()
{
    std::string text;
    for (int i = 0; text.size() < 1024; ++i) {
        char chunk[32];
        std::snprintf(chunk, sizeof chunk, "RESIDENT-SECRET-%04d ", i);
        text += chunk;
    }
    text.resize(1024);
    return bytes(text);
}

std::vector<uint8_t> file_bytes(fs::path const& path)
{
    std::ifstream in(path, std::ios::binary);
    return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
}

void write_file_bytes(fs::path const& path, std::vector<uint8_t> const& data)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<char const*>(data.data()), static_cast<std::streamsize>(data.size()));
    REQUIRE(out.good());
}

bool contains(std::vector<uint8_t> const& haystack, std::vector<uint8_t> const& needle)
{
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

std::vector<std::string> entries_starting_with(fs::path const& directory, std::string_view prefix)
{
    std::vector<std::string> names;
    for (auto const& entry : fs::directory_iterator(directory)) {
        auto name = entry.path().filename().string();
        if (name.starts_with(prefix))
            names.push_back(name);
    }
    return names;
}

std::unique_ptr<SessionVault> make_vault(fs::path const& runtime_dir)
{
    auto vault = SessionVault::create(runtime_dir);
    INFO((vault ? "" : vault.error().detail));
    REQUIRE(vault.has_value());
    return std::move(*vault);
}

unsigned permissions_of(fs::path const& path)
{
    struct stat info { };
    REQUIRE(::lstat(path.c_str(), &info) == 0);
    return info.st_mode & 07777;
}

} // namespace

TEST_CASE("SessionVault creates a private session directory in a private runtime directory", "[vault]")
{
    TempDir temp("kiosk-vault-test");
    auto runtime_dir = temp.path() / "run" / "kiosk";
    auto vault = make_vault(runtime_dir);

    CHECK(permissions_of(runtime_dir) == 0700);
    auto directory = vault->directory();
    CHECK(directory.parent_path() == runtime_dir);
    auto name = directory.filename().string();
    REQUIRE(name.size() == 8 + 16);
    CHECK(name.starts_with("session-"));
    auto is_lower_hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
    CHECK(std::all_of(name.begin() + 8, name.end(), is_lower_hex));
    CHECK(fs::is_directory(directory));
    CHECK(permissions_of(directory) == 0700);
    CHECK(vault->list().empty());
    CHECK(vault->stored_bytes() == 0);

    auto other = make_vault(runtime_dir);
    CHECK(other->directory() != directory);
}

TEST_CASE("SessionVault round-trips documents, empty and large ones included", "[vault]")
{
    TempDir temp("kiosk-vault-test");
    auto vault = make_vault(temp.path());

    auto const empty = std::vector<uint8_t> {};
    auto const small = bytes("Attestation de paiement CAF");
    auto const large = pattern(5 * 1024 * 1024, 1); // above the 1 MB chunk size of the cipher calls
    REQUIRE(vault->write("scan-1.jpg", small));
    REQUIRE(vault->write("empty.txt", empty));
    REQUIRE(vault->write("avis_impot-2024.pdf", large));

    CHECK(vault->list() == std::vector<std::string> { "avis_impot-2024.pdf", "empty.txt", "scan-1.jpg" });
    CHECK(vault->read("scan-1.jpg").value() == small);
    CHECK(vault->read("empty.txt").value() == empty);
    CHECK(vault->read("avis_impot-2024.pdf").value() == large);

    SECTION("overwriting replaces the content")
    {
        auto const replacement = bytes("second version");
        REQUIRE(vault->write("scan-1.jpg", replacement));
        CHECK(vault->read("scan-1.jpg").value() == replacement);
        CHECK(vault->list().size() == 3);
        CHECK(entries_starting_with(vault->directory(), ".").empty()); // no temporary left over
    }
}

TEST_CASE("SessionVault stores only ciphertext, with a fresh nonce per write", "[vault]")
{
    TempDir temp("kiosk-vault-test");
    auto vault = make_vault(temp.path());
    auto const secret = recognizable_kilobyte();

    REQUIRE(vault->write("first.txt", secret));
    auto const first = file_bytes(vault->directory() / "first.txt");
    CHECK(first.size() == 5 + 12 + secret.size() + 16);
    CHECK(std::string(first.begin(), first.begin() + 4) == "KVLT");
    CHECK_FALSE(contains(first, secret));
    CHECK_FALSE(contains(first, bytes("RESIDENT-SECRET")));
    CHECK_FALSE(contains(first, bytes("SECRET")));

    SECTION("the same content written twice gives different files")
    {
        REQUIRE(vault->write("first.txt", secret));
        auto const second = file_bytes(vault->directory() / "first.txt");
        CHECK(second.size() == first.size());
        CHECK(second != first);
        // Nonce and ciphertext both differ, not only a few bytes.
        CHECK_FALSE(std::equal(first.begin() + 5, first.begin() + 17, second.begin() + 5));
        CHECK_FALSE(std::equal(first.begin() + 17, first.end(), second.begin() + 17));
        CHECK(vault->read("first.txt").value() == secret);
    }
}

TEST_CASE("SessionVault detects any altered byte of a document", "[vault]")
{
    TempDir temp("kiosk-vault-test");
    auto vault = make_vault(temp.path());
    auto const secret = recognizable_kilobyte();
    REQUIRE(vault->write("doc.pdf", secret));
    auto const path = vault->directory() / "doc.pdf";
    auto const original = file_bytes(path);

    // Magic, version, nonce, ciphertext (first, middle, last byte) and tag (first, last byte).
    size_t const offset
        = GENERATE(as<size_t> {}, 0u, 4u, 5u, 16u, 17u, 17u + 512u, 17u + 1023u, 17u + 1024u, 17u + 1024u + 15u);
    INFO("altered byte at offset " << offset);
    auto altered = original;
    altered[offset] ^= 0x01;
    write_file_bytes(path, altered);

    auto result = vault->read("doc.pdf");
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == ErrorCode::crypto);

    write_file_bytes(path, original);
    CHECK(vault->read("doc.pdf").value() == secret);
}

TEST_CASE("SessionVault rejects truncated and foreign files", "[vault]")
{
    TempDir temp("kiosk-vault-test");
    auto vault = make_vault(temp.path());
    REQUIRE(vault->write("doc.pdf", recognizable_kilobyte()));
    auto const path = vault->directory() / "doc.pdf";
    auto const original = file_bytes(path);

    size_t const length = GENERATE(as<size_t> {}, 0u, 3u, 5u, 17u, 32u, 33u, 500u, 1024u + 32u);
    INFO("truncated to " << length << " bytes");
    write_file_bytes(path, std::vector<uint8_t>(original.begin(), original.begin() + static_cast<long>(length)));
    auto result = vault->read("doc.pdf");
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == ErrorCode::crypto);
}

TEST_CASE("SessionVault binds each document to its name", "[vault]")
{
    TempDir temp("kiosk-vault-test");
    auto vault = make_vault(temp.path());
    REQUIRE(vault->write("a.pdf", bytes("content of a")));
    REQUIRE(vault->write("b.pdf", bytes("content of b")));

    SECTION("a file renamed to a free name does not decrypt")
    {
        fs::rename(vault->directory() / "a.pdf", vault->directory() / "c.pdf");
        auto moved = vault->read("c.pdf");
        REQUIRE_FALSE(moved.has_value());
        CHECK(moved.error().code == ErrorCode::crypto);
        auto gone = vault->read("a.pdf");
        REQUIRE_FALSE(gone.has_value());
        CHECK(gone.error().code == ErrorCode::not_found);
    }
    SECTION("a file copied over another document does not decrypt")
    {
        fs::copy_file(vault->directory() / "a.pdf", vault->directory() / "b.pdf", fs::copy_options::overwrite_existing);
        auto swapped = vault->read("b.pdf");
        REQUIRE_FALSE(swapped.has_value());
        CHECK(swapped.error().code == ErrorCode::crypto);
        CHECK(vault->read("a.pdf").value() == bytes("content of a"));
    }
}

TEST_CASE("SessionVault rejects invalid names with ErrorCode::usage", "[vault]")
{
    TempDir temp("kiosk-vault-test");
    auto vault = make_vault(temp.path());
    auto const name = GENERATE(as<std::string> {}, "", ".", "..", ".hidden", ".tmp-0123456789abcdef", "a/b",
        "../escape", "/etc/passwd", "with space", "accentu\xc3\xa9", "tab\tname", "star*", "semi;colon", "back\\slash",
        std::string("nul\0byte", 8), std::string(101, 'a'));
    INFO("name \"" << name << "\" (" << name.size() << " bytes)");

    auto written = vault->write(name, bytes("x"));
    REQUIRE_FALSE(written.has_value());
    CHECK(written.error().code == ErrorCode::usage);
    auto read = vault->read(name);
    REQUIRE_FALSE(read.has_value());
    CHECK(read.error().code == ErrorCode::usage);
    auto removed = vault->remove(name);
    REQUIRE_FALSE(removed.has_value());
    CHECK(removed.error().code == ErrorCode::usage);
    auto scratch = vault->scratch_directory(name);
    REQUIRE_FALSE(scratch.has_value());
    CHECK(scratch.error().code == ErrorCode::usage);

    CHECK(vault->list().empty());
    CHECK(fs::is_empty(vault->directory()));
}

TEST_CASE("SessionVault accepts every valid name form", "[vault]")
{
    TempDir temp("kiosk-vault-test");
    auto vault = make_vault(temp.path());
    auto const name = GENERATE(
        as<std::string> {}, "a", "A.b_c-d.0", "-dash-first", "_underscore", "trailing.", "a..b", std::string(100, 'z'));
    REQUIRE(vault->write(name, bytes("ok")));
    CHECK(vault->read(name).value() == bytes("ok"));
    CHECK(vault->list() == std::vector<std::string> { name });
}

TEST_CASE("SessionVault lists, counts and removes documents only", "[vault]")
{
    TempDir temp("kiosk-vault-test");
    auto vault = make_vault(temp.path());
    REQUIRE(vault->write("b.jpg", pattern(1000, 2)));
    REQUIRE(vault->write("a.pdf", pattern(20, 3)));
    REQUIRE(vault->write("c.txt", {}));
    auto scratch = vault->scratch_directory("browser-profile");
    REQUIRE(scratch.has_value());
    write_file_bytes(*scratch / "Cookies", pattern(4096, 4));
    // What an interrupted write of this process would leave: never a document.
    write_file_bytes(vault->directory() / ".tmp-0000000000000000", pattern(10, 5));

    CHECK(vault->list() == std::vector<std::string> { "a.pdf", "b.jpg", "c.txt" });
    uint64_t const overhead = 5 + 12 + 16;
    CHECK(vault->stored_bytes() == (1000 + overhead) + (20 + overhead) + (0 + overhead));

    REQUIRE(vault->remove("b.jpg"));
    CHECK_FALSE(fs::exists(vault->directory() / "b.jpg"));
    CHECK(vault->list() == std::vector<std::string> { "a.pdf", "c.txt" });
    CHECK(vault->stored_bytes() == (20 + overhead) + overhead);

    auto again = vault->remove("b.jpg");
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().code == ErrorCode::not_found);
    auto read = vault->read("b.jpg");
    REQUIRE_FALSE(read.has_value());
    CHECK(read.error().code == ErrorCode::not_found);

    // A scratch directory is not a document: it cannot be read, removed or overwritten as one.
    auto read_scratch = vault->read("browser-profile");
    REQUIRE_FALSE(read_scratch.has_value());
    CHECK(read_scratch.error().code == ErrorCode::not_found);
    auto remove_scratch = vault->remove("browser-profile");
    REQUIRE_FALSE(remove_scratch.has_value());
    CHECK(remove_scratch.error().code == ErrorCode::not_found);
    auto write_scratch = vault->write("browser-profile", bytes("x"));
    REQUIRE_FALSE(write_scratch.has_value());
    CHECK(write_scratch.error().code == ErrorCode::usage);
    CHECK(fs::exists(*scratch / "Cookies"));
}

TEST_CASE("SessionVault scratch directories are private and deleted with the session", "[vault]")
{
    TempDir temp("kiosk-vault-test");
    auto vault = make_vault(temp.path());
    auto scratch = vault->scratch_directory("downloads");
    REQUIRE(scratch.has_value());
    CHECK(*scratch == vault->directory() / "downloads");
    CHECK(fs::is_directory(*scratch));
    CHECK(permissions_of(*scratch) == 0700);

    fs::create_directories(*scratch / "nested" / "deeper");
    write_file_bytes(*scratch / "nested" / "deeper" / "attestation.pdf", recognizable_kilobyte());
    fs::create_symlink(temp.path(), *scratch / "link-outside");

    auto same = vault->scratch_directory("downloads");
    REQUIRE(same.has_value());
    CHECK(*same == *scratch);
    CHECK(fs::exists(*scratch / "nested" / "deeper" / "attestation.pdf"));

    REQUIRE(vault->write("doc.pdf", bytes("x")));
    auto clash = vault->scratch_directory("doc.pdf");
    REQUIRE_FALSE(clash.has_value());
    CHECK(clash.error().code == ErrorCode::usage);

    // A directory made read-only by the program that used it is deleted all the same.
    fs::permissions(*scratch / "nested", fs::perms::owner_read | fs::perms::owner_exec);

    auto directory = vault->directory();
    REQUIRE(vault->destroy());
    CHECK_FALSE(fs::exists(fs::symlink_status(directory)));
    CHECK(fs::is_directory(temp.path())); // the link's target survives
}

TEST_CASE("SessionVault after destroy: nothing left, every call not_found", "[vault]")
{
    TempDir temp("kiosk-vault-test");
    auto vault = make_vault(temp.path());
    REQUIRE(vault->write("doc.pdf", recognizable_kilobyte()));
    REQUIRE(vault->scratch_directory("profile").has_value());
    auto const directory = vault->directory();

    CHECK_FALSE(vault->destroyed());
    auto destroyed = vault->destroy();
    INFO((destroyed ? "" : destroyed.error().detail));
    REQUIRE(destroyed.has_value());
    CHECK(vault->destroyed());
    CHECK_FALSE(fs::exists(fs::symlink_status(directory)));
    CHECK(fs::is_empty(temp.path()));

    auto write = vault->write("doc.pdf", bytes("x"));
    REQUIRE_FALSE(write.has_value());
    CHECK(write.error().code == ErrorCode::not_found);
    auto read = vault->read("doc.pdf");
    REQUIRE_FALSE(read.has_value());
    CHECK(read.error().code == ErrorCode::not_found);
    auto remove = vault->remove("doc.pdf");
    REQUIRE_FALSE(remove.has_value());
    CHECK(remove.error().code == ErrorCode::not_found);
    auto scratch = vault->scratch_directory("profile");
    REQUIRE_FALSE(scratch.has_value());
    CHECK(scratch.error().code == ErrorCode::not_found);
    CHECK(vault->list().empty());
    CHECK(vault->stored_bytes() == 0);

    // Documented: a second destroy after a complete one is not_found, and recreates nothing.
    auto second = vault->destroy();
    REQUIRE_FALSE(second.has_value());
    CHECK(second.error().code == ErrorCode::not_found);
    CHECK_FALSE(fs::exists(directory));
}

TEST_CASE("SessionVault destructor destroys the session", "[vault]")
{
    TempDir temp("kiosk-vault-test");
    fs::path directory;
    {
        auto vault = make_vault(temp.path());
        REQUIRE(vault->write("doc.pdf", bytes("x")));
        REQUIRE(vault->scratch_directory("profile").has_value());
        directory = vault->directory();
        REQUIRE(fs::exists(directory));
    }
    CHECK_FALSE(fs::exists(fs::symlink_status(directory)));
    CHECK(fs::is_empty(temp.path()));
}

TEST_CASE("Two vaults in one runtime directory are independent", "[vault]")
{
    TempDir temp("kiosk-vault-test");
    auto a = make_vault(temp.path());
    auto b = make_vault(temp.path());
    REQUIRE(a->directory() != b->directory());

    auto const secret = recognizable_kilobyte();
    REQUIRE(a->write("passport.jpg", secret));
    CHECK(b->list().empty());
    auto absent = b->read("passport.jpg");
    REQUIRE_FALSE(absent.has_value());
    CHECK(absent.error().code == ErrorCode::not_found);

    // Same name, other session: B's key cannot open A's file.
    fs::copy_file(a->directory() / "passport.jpg", b->directory() / "passport.jpg");
    auto foreign = b->read("passport.jpg");
    REQUIRE_FALSE(foreign.has_value());
    CHECK(foreign.error().code == ErrorCode::crypto);

    REQUIRE(b->destroy());
    CHECK(fs::exists(a->directory()));
    CHECK(a->read("passport.jpg").value() == secret);
}

TEST_CASE("purge_leftovers deletes what a killed kiosk left behind", "[vault]")
{
    TempDir temp("kiosk-vault-test");
    auto const runtime_dir = temp.path() / "run";

    SECTION("a missing runtime directory is not an error")
    {
        auto purged = SessionVault::purge_leftovers(runtime_dir);
        REQUIRE(purged.has_value());
        CHECK(*purged == 0);
        CHECK_FALSE(fs::exists(runtime_dir));
    }

    SECTION("an empty runtime directory")
    {
        fs::create_directories(runtime_dir);
        auto purged = SessionVault::purge_leftovers(runtime_dir);
        REQUIRE(purged.has_value());
        CHECK(*purged == 0);
    }

    SECTION("a child process killed mid-session")
    {
        auto lock = RuntimeDirLock::acquire(runtime_dir);
        REQUIRE(lock.has_value());

        int channel[2];
        REQUIRE(::pipe(channel) == 0);
        pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            // The child reports failures through its exit status and never returns into Catch2.
            ::close(channel[0]);
            auto vault = SessionVault::create(runtime_dir);
            if (!vault)
                ::_exit(10);
            if (!(*vault)->write("scan.jpg", recognizable_kilobyte())
                || !(*vault)->write("big.pdf", pattern(300000, 9)))
                ::_exit(11);
            auto scratch = (*vault)->scratch_directory("browser-profile");
            if (!scratch)
                ::_exit(12);
            std::ofstream(*scratch / "History") << "https://www.caf.fr/";
            auto name = (*vault)->directory().filename().string();
            if (::write(channel[1], name.data(), name.size()) != static_cast<ssize_t>(name.size()))
                ::_exit(13);
            ::close(channel[1]);
            ::raise(SIGKILL);
            ::_exit(14);
        }
        ::close(channel[1]);
        char buffer[64] = {};
        ssize_t got = ::read(channel[0], buffer, sizeof buffer - 1);
        ::close(channel[0]);
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        INFO("child status " << status);
        REQUIRE(WIFSIGNALED(status));
        REQUIRE(WTERMSIG(status) == SIGKILL);
        REQUIRE(got == 24);
        auto const leftover = runtime_dir / std::string(buffer, static_cast<size_t>(got));
        REQUIRE(fs::exists(leftover / "scan.jpg"));
        REQUIRE(fs::exists(leftover / "browser-profile" / "History"));

        // A link named like a session pointing outside: removed as a link, its target untouched.
        auto const outside = temp.path() / "outside";
        fs::create_directories(outside);
        write_file_bytes(outside / "keep.txt", bytes("keep me"));
        fs::create_directory_symlink(outside, runtime_dir / "session-link");
        // A stray temporary at the top level, and a file that is neither.
        write_file_bytes(runtime_dir / ".tmp-0123456789abcdef", bytes("stray"));
        write_file_bytes(runtime_dir / "unrelated.txt", bytes("not ours to delete"));

        auto purged = SessionVault::purge_leftovers(runtime_dir);
        INFO((purged ? "" : purged.error().detail));
        REQUIRE(purged.has_value());
        CHECK(*purged == 2); // the child's session directory and the link
        CHECK(entries_starting_with(runtime_dir, "session-").empty());
        CHECK(entries_starting_with(runtime_dir, ".tmp-").empty());
        CHECK_FALSE(fs::exists(fs::symlink_status(leftover)));
        CHECK(file_bytes(outside / "keep.txt") == bytes("keep me"));
        CHECK(fs::exists(runtime_dir / "kiosk.lock"));
        CHECK(fs::exists(runtime_dir / "unrelated.txt"));

        auto again = SessionVault::purge_leftovers(runtime_dir);
        REQUIRE(again.has_value());
        CHECK(*again == 0);
    }
}

TEST_CASE("RuntimeDirLock admits one kiosk per runtime directory", "[vault][lock]")
{
    TempDir temp("kiosk-vault-test");
    auto const runtime_dir = temp.path() / "run" / "kiosk";

    auto first = RuntimeDirLock::acquire(runtime_dir);
    REQUIRE(first.has_value());
    CHECK(fs::is_directory(runtime_dir));
    CHECK(permissions_of(runtime_dir) == 0700);
    CHECK(fs::is_regular_file(runtime_dir / "kiosk.lock"));

    // flock belongs to the open file description, so a second open in this very process conflicts.
    auto second = RuntimeDirLock::acquire(runtime_dir);
    REQUIRE_FALSE(second.has_value());
    CHECK(second.error().code == ErrorCode::request_failed); // exit 1 of a command, not bad usage
    CHECK(second.error().detail == "another kiosk is using " + runtime_dir.string());

    SECTION("another process is refused too")
    {
        pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            auto lock = RuntimeDirLock::acquire(runtime_dir);
            ::_exit(!lock && lock.error().code == ErrorCode::request_failed ? 0 : 1);
        }
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }

    SECTION("released when destroyed")
    {
        {
            auto released = std::move(*first);
        }
        auto again = RuntimeDirLock::acquire(runtime_dir);
        CHECK(again.has_value());
    }

    SECTION("moving keeps the lock held; the moved-from object releases nothing")
    {
        std::optional<RuntimeDirLock> moved;
        moved.emplace(std::move(*first));
        first = kiosk::make_error(ErrorCode::internal); // destroys the moved-from lock
        CHECK_FALSE(RuntimeDirLock::acquire(runtime_dir).has_value());

        auto const other_dir = temp.path() / "other";
        auto other = RuntimeDirLock::acquire(other_dir);
        REQUIRE(other.has_value());
        // Move assignment releases the lock previously held by the target.
        *moved = std::move(*other);
        CHECK(RuntimeDirLock::acquire(runtime_dir).has_value());
        CHECK_FALSE(RuntimeDirLock::acquire(other_dir).has_value());
        moved.reset();
        CHECK(RuntimeDirLock::acquire(other_dir).has_value());
    }
}

TEST_CASE("SessionVault reports a full disk and keeps the previous content", "[vault][tmpfs]")
{
    TempDir temp("kiosk-vault-test");
    auto const mount_point = temp.path() / "small";
    SmallTmpfs tmpfs(mount_point, "size=64k,mode=0700");
    if (!tmpfs.mounted()) {
        WARN("SKIPPED: cannot mount a 64 KB tmpfs on " << mount_point << " (" << tmpfs.error()
                                                       << "); storage_full is not tested");
        return;
    }

    auto vault = make_vault(mount_point);
    auto const before = pattern(8 * 1024, 6);
    REQUIRE(vault->write("scan.jpg", before));

    auto full = vault->write("scan.jpg", pattern(1024 * 1024, 7));
    REQUIRE_FALSE(full.has_value());
    INFO(full.error().detail);
    CHECK(full.error().code == ErrorCode::storage_full);
    CHECK_FALSE(full.error().detail.empty());
    CHECK(vault->read("scan.jpg").value() == before);
    CHECK(vault->list() == std::vector<std::string> { "scan.jpg" });
    CHECK(entries_starting_with(vault->directory(), ".").empty()); // the temporary was removed

    auto fresh = vault->write("other.pdf", pattern(1024 * 1024, 8));
    REQUIRE_FALSE(fresh.has_value());
    CHECK(fresh.error().code == ErrorCode::storage_full);
    CHECK(vault->list() == std::vector<std::string> { "scan.jpg" });

    // Once space is freed, writing works again.
    REQUIRE(vault->remove("scan.jpg"));
    REQUIRE(vault->write("other.pdf", pattern(16 * 1024, 8)));
    REQUIRE(vault->destroy());
    CHECK(fs::is_empty(mount_point));
}

TEST_CASE("SessionVault destroy names what it could not remove, and can be retried", "[vault][tmpfs]")
{
    TempDir temp("kiosk-vault-test");
    auto vault = make_vault(temp.path());
    auto scratch = vault->scratch_directory("mounted");
    REQUIRE(scratch.has_value());
    // A mount point inside the session cannot be removed (EBUSY) until it is unmounted.
    SmallTmpfs tmpfs(*scratch, "size=64k");
    if (!tmpfs.mounted()) {
        WARN("SKIPPED: cannot mount a tmpfs on " << *scratch << " (" << tmpfs.error()
                                                 << "); destroy failure is not tested");
        return;
    }
    write_file_bytes(*scratch / "inside.txt", bytes("x"));

    auto failed = vault->destroy();
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error().code == ErrorCode::io);
    CHECK_THAT(failed.error().detail, Catch::Contains(vault->directory().string()));
    CHECK(vault->destroyed());
    auto write = vault->write("doc.pdf", bytes("x"));
    REQUIRE_FALSE(write.has_value());
    CHECK(write.error().code == ErrorCode::not_found);

    tmpfs.unmount();
    REQUIRE_FALSE(tmpfs.mounted());
    auto retried = vault->destroy();
    INFO((retried ? "" : retried.error().detail));
    REQUIRE(retried.has_value());
    CHECK_FALSE(fs::exists(vault->directory()));
    auto third = vault->destroy();
    REQUIRE_FALSE(third.has_value());
    CHECK(third.error().code == ErrorCode::not_found);
}
