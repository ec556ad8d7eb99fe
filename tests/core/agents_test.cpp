// Tests of the agent store: scrypt PIN hashes, hashed badges, the file on disk.
#include "kiosk/core/agents.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using kiosk::tests::TempDir;

using namespace kiosk;
using namespace kiosk::core;

namespace {
} // namespace

TEST_CASE("a PIN hash verifies the right PIN only, and differs each time")
{
    auto first = hash_pin("123456");
    auto second = hash_pin("123456");
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->starts_with("scrypt$32768$8$1$"));
    CHECK(*first != *second); // salted
    CHECK(verify_pin("123456", *first));
    CHECK_FALSE(verify_pin("123457", *first));
    CHECK_FALSE(verify_pin("", *first));
}

TEST_CASE("PINs are 6 to 12 digits")
{
    CHECK(is_valid_pin("000000"));
    CHECK(is_valid_pin("123456789012"));
    CHECK_FALSE(is_valid_pin("1234"));
    CHECK_FALSE(is_valid_pin("12345"));
    CHECK_FALSE(is_valid_pin("1234567890123"));
    CHECK_FALSE(is_valid_pin("12a456"));
    CHECK_FALSE(is_valid_pin("12345 "));
    CHECK_FALSE(hash_pin("1234"));
}

TEST_CASE("a tampered or weakened hash never verifies")
{
    auto hash = *hash_pin("123456");
    CHECK_FALSE(verify_pin("123456", "plain$123456"));
    // Lowering N to make guessing cheap is refused.
    auto weak = hash;
    weak.replace(weak.find("32768"), 5, "2");
    CHECK_FALSE(verify_pin("123456", weak));
    auto flipped = hash;
    flipped[flipped.size() - 3] = flipped[flipped.size() - 3] == 'A' ? 'B' : 'A';
    CHECK_FALSE(verify_pin("123456", flipped));
}

TEST_CASE("the store keeps agents, finds them by badge and PIN, and survives a save and load")
{
    TempDir dir("kiosk-agents");
    auto file = dir.path() / "agents.toml";
    auto store = AgentStore::load(file);
    REQUIRE(store);
    REQUIRE(store->add("m.martin", "Marie Martin", AgentRole::agent, "246810"));
    REQUIRE(store->add("tech", "Tech", AgentRole::technician, "987654"));
    CHECK_FALSE(store->add("m.martin", "Again", AgentRole::agent, "111111"));
    CHECK_FALSE(store->add("Bad Id", "X", AgentRole::agent, "111111"));
    CHECK_FALSE(store->add("short", "Short PIN", AgentRole::agent, "1234"));
    REQUIRE(store->set_badge("m.martin", "04:a2:2b:1a"));
    CHECK_FALSE(store->set_badge("tech", "04A22B1A")); // one badge, one agent
    CHECK_FALSE(store->set_badge("tech", "0102"));
    REQUIRE(store->set_badge("tech", "04C0FFEE"));
    REQUIRE(store->save(file));

    struct stat info { };
    REQUIRE(::stat(file.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    std::stringstream content;
    content << std::ifstream(file).rdbuf();
    CHECK(content.str().find("246810") == std::string::npos);
    CHECK(content.str().find("04A22B1A") == std::string::npos);

    auto loaded = AgentStore::load(file);
    REQUIRE(loaded);
    REQUIRE(loaded->agents().size() == 2);
    auto const* by_badge = loaded->find_by_badge("04A22B1A");
    REQUIRE(by_badge);
    CHECK(by_badge->id == "m.martin");
    CHECK_FALSE(loaded->find_by_badge("04A22B1B"));
    for (bool pin_alone : { false, true }) {
        CHECK(loaded->authenticate("246810", by_badge, pin_alone) == by_badge);
        CHECK_FALSE(loaded->authenticate("987654", by_badge, pin_alone)); // the badge holder's PIN, not anyone's
    }
    auto const* tech_badge = loaded->find_by_badge("04C0FFEE");
    REQUIRE(tech_badge);
    auto const* tech = loaded->authenticate("987654", tech_badge, false);
    REQUIRE(tech);
    CHECK(tech->role == AgentRole::technician);
    CHECK_FALSE(loaded->authenticate("000000", nullptr, true));

    REQUIRE(loaded->remove("tech"));
    CHECK_FALSE(loaded->remove("tech"));
    REQUIRE(loaded->set_pin("m.martin", "555555"));
    CHECK(loaded->authenticate("555555", nullptr, true));
    CHECK_FALSE(loaded->set_pin("m.martin", "5555"));
}

TEST_CASE("a PIN alone opens nothing unless agents may unlock with it, and never a technician's")
{
    auto store = AgentStore::load("/nonexistent/agents.toml");
    REQUIRE(store);
    REQUIRE(store->add("m.martin", "Marie Martin", AgentRole::agent, "246810"));
    REQUIRE(store->add("tech", "Tech", AgentRole::technician, "987654"));
    // agents.unlock = "badge_and_pin", the default: the right PIN without a badge is refused.
    CHECK_FALSE(store->authenticate("246810", nullptr, false));
    // agents.unlock = "pin": an agent's PIN alone is enough; a technician's is not, even the right one.
    auto const* agent = store->authenticate("246810", nullptr, true);
    REQUIRE(agent);
    CHECK(agent->id == "m.martin");
    CHECK_FALSE(store->authenticate("987654", nullptr, true));
    CHECK_FALSE(store->authenticate("987654", nullptr, false));
}

TEST_CASE("wrong PINs in a row outlive a restart, and a damaged state file counts as locked")
{
    TempDir dir("kiosk-agents");
    auto file = unlock_state_file(dir.path() / "agents.toml");
    CHECK(file == dir.path() / "unlock-state");
    auto fresh = load_unlock_lockout(file);
    CHECK(fresh.failed == 0);
    CHECK(fresh.locked_until_unix == 0);

    REQUIRE(save_unlock_lockout(file, { 6, 1'900'000'000 }));
    auto again = load_unlock_lockout(file);
    CHECK(again.failed == 6);
    CHECK(again.locked_until_unix == 1'900'000'000);
    // A shorter record after a longer one leaves no tail of the old one.
    REQUIRE(save_unlock_lockout(file, { 0, 0 }));
    std::stringstream whole;
    whole << std::ifstream(file).rdbuf();
    CHECK(whole.str() == "failed=0\nlocked_until=0\n");

    // Created empty by the package: nothing failed yet.
    std::ofstream(file, std::ios::trunc).close();
    CHECK(load_unlock_lockout(file).failed == 0);
    // Edited or torn: at least five failures, never fewer than there were.
    std::ofstream(file, std::ios::trunc) << "failed=-3\nlocked_until=0\n";
    CHECK(load_unlock_lockout(file).failed >= 5);
    std::ofstream(file, std::ios::trunc) << "fail";
    CHECK(load_unlock_lockout(file).failed >= 5);
    // A link planted in its place is not followed, neither to read nor to write.
    std::filesystem::remove(file);
    std::filesystem::create_symlink(dir.path() / "elsewhere", file);
    CHECK(load_unlock_lockout(file).failed >= 5);
    CHECK_FALSE(save_unlock_lockout(file, { 1, 0 }));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "elsewhere"));
}

TEST_CASE("saving keeps the group that may read the agents file, and never lets anyone write it")
{
    TempDir dir("kiosk-agents");
    auto file = dir.path() / "agents.toml";
    auto store = AgentStore::load(file);
    REQUIRE(store);
    REQUIRE(store->add("m.martin", "Marie Martin", AgentRole::agent, "246810"));
    REQUIRE(store->save(file));
    struct stat info { };
    REQUIRE(::stat(file.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    // The package makes it readable by the kiosk's group (tmpfiles.d); `kiosk agent` must not undo that.
    gid_t group = ::getuid() == 0 ? 65534 : ::getgid();
    REQUIRE(::chown(file.c_str(), static_cast<uid_t>(-1), group) == 0);
    REQUIRE(::chmod(file.c_str(), 0666) == 0); // and a write right that should never have been there
    REQUIRE(store->set_pin("m.martin", "135790"));
    REQUIRE(store->save(file));
    REQUIRE(::stat(file.c_str(), &info) == 0);
    CHECK(info.st_gid == group);
    CHECK((info.st_mode & 0777) == 0640);
}

TEST_CASE("a malformed agents file is an error naming it")
{
    TempDir dir("kiosk-agents");
    auto file = dir.path() / "agents.toml";
    std::ofstream(file) << "badge_salt = '00112233445566778899aabbccddeeff'\n[[agent]]\nid = 'x'\nname = 'X'\nrole = "
                           "'boss'\npin = 'scrypt$1'\n";
    auto store = AgentStore::load(file);
    REQUIRE_FALSE(store);
    CHECK(store.error().detail.starts_with(file.string() + ":2: "));
    CHECK(store.error().detail.find("role (agent or technician)") != std::string::npos);
}
