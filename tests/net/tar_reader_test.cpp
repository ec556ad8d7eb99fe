// Tests of the bundle's tar reader: what GNU tar writes is read whole, and every unsafe or malformed entry is refused
// with its reason.
#include "kiosk/net/tar_reader.h"

#include "tests/net/fleet_server.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <map>
#include <set>

using namespace kiosk;
using namespace kiosk::net;
using kiosk::tests::run_or_fail;

namespace {

void fix_checksum(std::string& block)
{
    std::memset(block.data() + 148, ' ', 8);
    unsigned sum = 0;
    for (size_t i = 0; i < 512; ++i)
        sum += static_cast<unsigned char>(block[i]);
    std::snprintf(block.data() + 148, 8, "%06o", sum);
}

// One ustar header block (POSIX magic), its checksum computed, as a hostile bundle could be made by hand.
std::string header(std::string const& name, char type, size_t size, std::string const& link = {})
{
    std::string block(512, '\0');
    std::memcpy(block.data(), name.data(), std::min<size_t>(name.size(), 100));
    std::snprintf(block.data() + 100, 8, "%07o", 0644);
    std::snprintf(block.data() + 108, 8, "%07o", 0);
    std::snprintf(block.data() + 116, 8, "%07o", 0);
    std::snprintf(block.data() + 124, 12, "%011zo", size);
    std::snprintf(block.data() + 136, 12, "%011o", 0);
    block[156] = type;
    std::memcpy(block.data() + 157, link.data(), std::min<size_t>(link.size(), 100));
    std::memcpy(block.data() + 257,
        "ustar\0"
        "00",
        8);
    fix_checksum(block);
    return block;
}

std::string padded(std::string data)
{
    data.resize((data.size() + 511) / 512 * 512, '\0');
    return data;
}

std::string file_entry(std::string const& name, std::string const& data)
{
    return header(name, '0', data.size()) + padded(data);
}

std::string end_of_archive()
{
    return std::string(1024, '\0');
}

Result<std::vector<TarEntry>> read(std::string const& archive, TarLimits const& limits = {})
{
    return read_tar(
        std::span<const unsigned char>(reinterpret_cast<unsigned char const*>(archive.data()), archive.size()), limits);
}

std::string refusal(std::string const& archive, TarLimits const& limits = {})
{
    auto entries = read(archive, limits);
    REQUIRE_FALSE(entries);
    CHECK(entries.error().code == ErrorCode::config_invalid);
    return entries.error().detail;
}

} // namespace

TEST_CASE("what GNU tar writes for files and folders is read whole, in its gnu, pax and ustar formats")
{
    auto format = GENERATE(as<std::string> {}, "gnu", "pax", "ustar");
    kiosk::tests::TempDir dir("kiosk-tar-test");
    auto source = dir.path() / "src";
    // Over 100 bytes: a GNU 'L' entry, a pax path record, or ustar's prefix field.
    std::string long_folder = "assets/" + std::string(60, 'f') + "/" + std::string(50, 'g');
    kiosk::tests::write_text(source / "kiosk.toml", "[session]\npage_quota = 30\n");
    kiosk::tests::write_text(source / long_folder / "form.pdf", std::string(3000, 'x'));
    kiosk::tests::write_text(source / "assets/empty.txt", "");
    run_or_fail("cd " + source.string() + " && tar --format=" + format + " -cf ../b.tar .");
    auto archive = kiosk::tests::read_text(dir.path() / "b.tar");
    auto entries = read(archive);
    INFO((entries ? std::string() : entries.error().detail));
    REQUIRE(entries);
    std::map<std::string, std::string> files;
    std::set<std::string> folders;
    for (auto const& entry : *entries) {
        if (entry.kind == TarEntry::Kind::file)
            files[entry.path] = std::string(entry.data);
        else
            folders.insert(entry.path);
    }
    CHECK(files.size() == 3);
    CHECK(files["kiosk.toml"] == "[session]\npage_quota = 30\n");
    CHECK(files[long_folder + "/form.pdf"] == std::string(3000, 'x'));
    CHECK(files["assets/empty.txt"].empty());
    CHECK(folders.contains("assets"));
    CHECK(folders.contains(long_folder));
}

TEST_CASE("a bundle's unsafe entries are refused, each with its reason")
{
    auto check = [](std::string const& archive, std::string const& reason) {
        auto detail = refusal(archive);
        INFO(detail);
        CHECK(detail.find(reason) != std::string::npos);
    };
    check(file_entry("/etc/passwd", "x") + end_of_archive(), "absolute path '/etc/passwd'");
    check(file_entry("../kiosk.toml", "x") + end_of_archive(), "has an empty, '.' or '..' part");
    check(file_entry("assets/../../x", "x") + end_of_archive(), "has an empty, '.' or '..' part");
    check(file_entry("assets//x", "x") + end_of_archive(), "has an empty, '.' or '..' part");
    check(file_entry("assets/./x", "x") + end_of_archive(), "has an empty, '.' or '..' part");
    check(file_entry("a\nb", "x") + end_of_archive(), "control character");
    check(header("kiosk.toml", '2', 0, "/etc/shadow") + end_of_archive(), "link 'kiosk.toml'");
    check(header("kiosk.toml", '1', 0, "other") + end_of_archive(), "link 'kiosk.toml'");
    check(header("assets/tty", '3', 0) + end_of_archive(), "device or pipe 'assets/tty'");
    check(header("assets/sda", '4', 0) + end_of_archive(), "device or pipe 'assets/sda'");
    check(header("assets/fifo", '6', 0) + end_of_archive(), "device or pipe 'assets/fifo'");
    check(header("assets/sparse", 'S', 0) + end_of_archive(), "unsupported type 'S'");
    check(header("pax_global_header", 'g', 0) + end_of_archive(), "unsupported type 'g'");
    check(file_entry("kiosk.toml", "a") + file_entry("kiosk.toml", "b") + end_of_archive(), "'kiosk.toml' twice");
    check(file_entry("./kiosk.toml", "a") + file_entry("kiosk.toml", "b") + end_of_archive(), "'kiosk.toml' twice");
    check(header("assets/", '5', 0) + header("assets", '5', 0) + end_of_archive(), "'assets' twice");
    check(file_entry("assets", "a") + file_entry("assets/x", "b") + end_of_archive(), "inside the file 'assets'");
    check(file_entry("assets/x", "b") + file_entry("assets", "a") + end_of_archive(), "'assets' twice");
    // A GNU long name that climbs out, and a pax path that does.
    check(header("././@LongLink", 'L', 14) + padded(std::string("../etc/passwd") + '\0') + file_entry("short", "x")
            + end_of_archive(),
        "has an empty, '.' or '..' part");
    std::string record = "22 path=/etc/cron.d/x\n";
    REQUIRE(record.size() == 22);
    check(header("PaxHeaders/x", 'x', record.size()) + padded(record) + file_entry("x", "y") + end_of_archive(),
        "absolute path '/etc/cron.d/x'");
    std::string size_record = "13 size=9999\n";
    check(
        header("PaxHeaders/x", 'x', size_record.size()) + padded(size_record) + file_entry("x", "y") + end_of_archive(),
        "unsupported pax record 'size'");
}

TEST_CASE("a malformed or cut archive is refused, never read past its end")
{
    std::string good = file_entry("kiosk.toml", std::string(700, 'k')) + end_of_archive();
    REQUIRE(read(good));
    CHECK(refusal(good.substr(0, 512 + 300)).find("cut short inside an entry") != std::string::npos);
    CHECK(refusal(good.substr(0, 1024 + 512)).find("cut short (no end-of-archive block)") != std::string::npos);
    CHECK(refusal(good.substr(0, 100)).find("cut short") != std::string::npos);
    CHECK(refusal("").find("cut short") != std::string::npos);
    auto flipped = good;
    flipped[10] ^= 1; // a byte of the name: the checksum no longer matches
    CHECK(refusal(flipped).find("bad header checksum at byte 0") != std::string::npos);
    auto not_ustar = good;
    std::memcpy(not_ustar.data() + 257, "xstar", 5);
    fix_checksum(not_ustar);
    CHECK(refusal(not_ustar).find("not a ustar archive") != std::string::npos);
    CHECK(refusal(header("././@LongLink", 'L', 5) + padded("name") + end_of_archive()).find("ends after a long name")
        != std::string::npos);
}

TEST_CASE("entries and totals over the limits are refused before their data is read")
{
    TarLimits limits;
    limits.max_entry_bytes = 1000;
    limits.max_total_bytes = 1500;
    limits.max_entries = 3;
    CHECK(read(file_entry("a", std::string(1000, 'a')) + end_of_archive(), limits));
    CHECK(refusal(file_entry("a", std::string(1001, 'a')) + end_of_archive(), limits)
        == "bundle: an entry of 1001 bytes, over the limit of 1000");
    // A size field that claims more than the archive holds is over the limit before it is found short.
    CHECK(refusal(header("a", '0', 1u << 30) + end_of_archive(), limits).find("over the limit") != std::string::npos);
    CHECK(refusal(file_entry("a", std::string(800, 'a')) + file_entry("b", std::string(800, 'b')) + end_of_archive(),
              limits)
        == "bundle: files over 1500 bytes in all");
    CHECK(refusal(
              file_entry("a", "") + file_entry("b", "") + file_entry("c", "") + file_entry("d", "") + end_of_archive(),
              limits)
        == "bundle: more than 3 entries");
}
