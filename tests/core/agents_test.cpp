// Tests of the agent store: scrypt PIN hashes, hashed badges, the file on disk.
#include "kiosk/core/agents.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace kiosk;
using namespace kiosk::core;

namespace {
struct TempDir {
    std::filesystem::path path;
    TempDir()
    {
        char pattern[] = "/tmp/kiosk-agents-XXXXXX";
        path = mkdtemp(pattern);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};
} // namespace

TEST_CASE("a PIN hash verifies the right PIN only, and differs each time")
{
    auto first = hash_pin("1234");
    auto second = hash_pin("1234");
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->starts_with("scrypt$32768$8$1$"));
    CHECK(*first != *second); // salted
    CHECK(verify_pin("1234", *first));
    CHECK_FALSE(verify_pin("1235", *first));
    CHECK_FALSE(verify_pin("", *first));
}

TEST_CASE("PINs are 4 to 8 digits")
{
    CHECK(is_valid_pin("0000"));
    CHECK(is_valid_pin("12345678"));
    CHECK_FALSE(is_valid_pin("123"));
    CHECK_FALSE(is_valid_pin("123456789"));
    CHECK_FALSE(is_valid_pin("12a4"));
    CHECK_FALSE(hash_pin("12"));
}

TEST_CASE("a tampered or weakened hash never verifies")
{
    auto hash = *hash_pin("1234");
    CHECK_FALSE(verify_pin("1234", "plain$1234"));
    // Lowering N to make guessing cheap is refused.
    auto weak = hash;
    weak.replace(weak.find("32768"), 5, "2");
    CHECK_FALSE(verify_pin("1234", weak));
    auto flipped = hash;
    flipped[flipped.size() - 3] = flipped[flipped.size() - 3] == 'A' ? 'B' : 'A';
    CHECK_FALSE(verify_pin("1234", flipped));
}

TEST_CASE("the store keeps agents, finds them by badge and PIN, and survives a save and load")
{
    TempDir dir;
    auto file = dir.path / "agents.toml";
    auto store = AgentStore::load(file);
    REQUIRE(store);
    REQUIRE(store->add("m.martin", "Marie Martin", AgentRole::agent, "1234"));
    REQUIRE(store->add("tech", "Tech", AgentRole::technician, "987654"));
    CHECK_FALSE(store->add("m.martin", "Again", AgentRole::agent, "1111"));
    CHECK_FALSE(store->add("Bad Id", "X", AgentRole::agent, "1111"));
    REQUIRE(store->set_badge("m.martin", "04:a2:2b:1a"));
    CHECK_FALSE(store->set_badge("tech", "04A22B1A")); // one badge, one agent
    CHECK_FALSE(store->set_badge("tech", "0102"));
    REQUIRE(store->save(file));

    struct stat info { };
    REQUIRE(::stat(file.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    std::stringstream content;
    content << std::ifstream(file).rdbuf();
    CHECK(content.str().find("1234") == std::string::npos);
    CHECK(content.str().find("04A22B1A") == std::string::npos);

    auto loaded = AgentStore::load(file);
    REQUIRE(loaded);
    REQUIRE(loaded->agents().size() == 2);
    auto const* by_badge = loaded->find_by_badge("04A22B1A");
    REQUIRE(by_badge);
    CHECK(by_badge->id == "m.martin");
    CHECK_FALSE(loaded->find_by_badge("04A22B1B"));
    CHECK(loaded->authenticate("1234", by_badge) == by_badge);
    CHECK_FALSE(loaded->authenticate("987654", by_badge)); // the badge holder's PIN, not anyone's
    auto const* tech = loaded->authenticate("987654");
    REQUIRE(tech);
    CHECK(tech->role == AgentRole::technician);
    CHECK_FALSE(loaded->authenticate("0000"));

    REQUIRE(loaded->remove("tech"));
    CHECK_FALSE(loaded->remove("tech"));
    REQUIRE(loaded->set_pin("m.martin", "5555"));
    CHECK(loaded->authenticate("5555"));
}

TEST_CASE("a malformed agents file is an error naming it")
{
    TempDir dir;
    auto file = dir.path / "agents.toml";
    std::ofstream(file) << "badge_salt = '00112233445566778899aabbccddeeff'\n[[agent]]\nid = 'x'\nname = 'X'\nrole = "
                           "'boss'\npin = 'scrypt$1'\n";
    auto store = AgentStore::load(file);
    REQUIRE_FALSE(store);
    CHECK(store.error().detail.starts_with(file.string() + ":2: "));
    CHECK(store.error().detail.find("role (agent or technician)") != std::string::npos);
}
