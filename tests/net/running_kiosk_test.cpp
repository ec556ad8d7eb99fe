// The running kiosk and the fleet's configuration: it looks for a bundle as it starts, installs a new one, restarts
// onto it once no session is open, and serves residents with it after the restart.
#include "tests/net/fleet_server.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <sys/wait.h>

using kiosk::tests::FleetServer;
namespace fs = std::filesystem;

namespace {

// Runs a command, at most limit seconds; its exit code.
int run(std::string const& command, int limit = 60)
{
    int status = std::system(("timeout " + std::to_string(limit) + " " + command).c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The [kiosk] section of a development run in dir: its own runtime directory, audit log and agents.
std::string kiosk_section(fs::path const& dir)
{
    return "[kiosk]\ndev_mode = true\nruntime_dir = \"" + (dir / "run").string() + "\"\naudit_log = \""
        + (dir / "audit.jsonl").string() + "\"\nagents_file = \"" + (dir / "agents.toml").string() + "\"\n";
}

} // namespace

TEST_CASE("the running kiosk installs the fleet's new bundle, restarts onto it between sessions, and uses it")
{
    FleetServer server;
    kiosk::tests::TempDir dir("kiosk-fleet-run");
    // The bundle changes what residents see: 7 pages to print instead of 20.
    server.publish("v2", { { "kiosk.toml", kiosk_section(dir.path()) + "[session]\npage_quota = 7\n" } });
    auto config = dir.path() / "kiosk.toml";
    kiosk::tests::write_text(config,
        kiosk_section(dir.path()) + "[network]\nconfig_url = \"" + server.url("v2/bundle.tar")
            + "\"\nconfig_pubkey = \"" + server.public_key().string() + "\"\nca_file = \"" + server.ca_file().string()
            + "\"\nconfig_dir = \"" + (dir.path() / "state").string() + "\"\n");
    std::string kiosk = KIOSK_BINARY;

    // Before any bundle: the kiosk's own file.
    auto script = dir.path() / "quota.ks";
    kiosk::tests::write_text(script, "tap start\nexpect text Vous pouvez imprimer 20 pages.\n");
    CHECK(run(kiosk + " run --headless --config " + config.string() + " --script " + script.string()) == 0);

    // Serving (no script): it fetches at once, installs, and leaves since nobody is in a session; systemd would
    // start it again.
    CHECK(
        run(kiosk + " run --headless --config " + config.string() + " > " + (dir.path() / "run.log").string() + " 2>&1")
        == 0);
    auto audit = kiosk::tests::read_text(dir.path() / "audit.jsonl");
    INFO("kiosk's output: " << kiosk::tests::read_text(dir.path() / "run.log"));
    INFO("audit log: " << audit);
    CHECK(audit.find("\"event\":\"config_fetch\",\"result\":\"installed\"") != std::string::npos);
    CHECK(audit.find("\"event\":\"restart\",\"reason\":\"requested\"") != std::string::npos);

    // Started again: the bundle is what residents get.
    kiosk::tests::write_text(script, "tap start\nexpect text Vous pouvez imprimer 7 pages.\n");
    CHECK(run(kiosk + " run --headless --config " + config.string() + " --script " + script.string()) == 0);
}

TEST_CASE("a fleet bundle that cannot start this kiosk leaves it on its own file")
{
    FleetServer server;
    kiosk::tests::TempDir dir("kiosk-fleet-fallback");
    // Valid as a configuration, but it names an agents file this machine has, broken: the kiosk cannot be assembled
    // on it. The check at install reads the configuration and the assets, not this machine's files.
    kiosk::tests::write_text(dir.path() / "broken-agents.toml", "this is not TOML [[[\n");
    std::string bundle_kiosk = "[kiosk]\ndev_mode = true\nruntime_dir = \"" + (dir.path() / "run").string()
        + "\"\naudit_log = \"" + (dir.path() / "audit.jsonl").string() + "\"\nagents_file = \""
        + (dir.path() / "broken-agents.toml").string() + "\"\n[session]\npage_quota = 7\n";
    server.publish("v3", { { "kiosk.toml", bundle_kiosk } });
    auto config = dir.path() / "kiosk.toml";
    kiosk::tests::write_text(config,
        kiosk_section(dir.path()) + "[network]\nconfig_url = \"" + server.url("v3/bundle.tar")
            + "\"\nconfig_pubkey = \"" + server.public_key().string() + "\"\nca_file = \"" + server.ca_file().string()
            + "\"\nconfig_dir = \"" + (dir.path() / "state").string() + "\"\n");
    std::string kiosk = KIOSK_BINARY;
    REQUIRE(run(kiosk + " config fetch --config " + config.string() + " > /dev/null") == 0);

    auto script = dir.path() / "quota.ks";
    kiosk::tests::write_text(script, "tap start\nexpect text Vous pouvez imprimer 20 pages.\n");
    auto log = dir.path() / "run.log";
    CHECK(run(kiosk + " run --headless --config " + config.string() + " --script " + script.string() + " 2> "
              + log.string())
        == 0);
    auto said = kiosk::tests::read_text(log);
    INFO(said);
    CHECK(said.find("cannot start this kiosk") != std::string::npos);
    CHECK(said.find("running on the kiosk's own file") != std::string::npos);
}
