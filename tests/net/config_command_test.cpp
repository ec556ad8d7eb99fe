// Tests of `kiosk config fetch` through the command boundary: its JSON line, its exit codes and its one error line,
// against the loopback HTTPS server of the fleet tests.
#include "kiosk/cli/commands.h"
#include "kiosk/net/fleet_config.h"

#include "tests/net/fleet_server.h"

#include <catch2/catch.hpp>

#include <sstream>

using namespace kiosk;
using kiosk::tests::FleetServer;
namespace fs = std::filesystem;

namespace {

struct Run {
    int exit = -1;
    std::string out;
    std::string err;
};

Run config_command(std::vector<std::string> const& args)
{
    std::istringstream in;
    std::ostringstream out;
    std::ostringstream err;
    Run run;
    run.exit = cli::run_command("config", &cli::cmd_config, args, { in, out, err });
    run.out = out.str();
    run.err = err.str();
    return run;
}

// A kiosk.toml with the [network] section pointing at path on the server, and an audit log of its own.
fs::path write_config(FleetServer const& server, fs::path const& dir, std::string const& path)
{
    auto file = dir / "kiosk.toml";
    kiosk::tests::write_text(file,
        "[kiosk]\naudit_log = \"" + (dir / "audit.jsonl").string() + "\"\n[network]\nconfig_url = \"" + server.url(path)
            + "\"\nconfig_pubkey = \"" + server.public_key().string() + "\"\nca_file = \"" + server.ca_file().string()
            + "\"\nconfig_dir = \"" + (dir / "state").string() + "\"\n");
    return file;
}

} // namespace

TEST_CASE("kiosk config fetch installs, then finds nothing new, then keeps the last good bundle and exits 1")
{
    FleetServer server;
    kiosk::tests::TempDir dir("kiosk-config-cli");
    auto version = server.publish("good", { { "kiosk.toml", "[session]\npage_quota = 30\n" } });
    auto config = write_config(server, dir.path(), "good/bundle.tar");

    auto first = config_command({ "fetch", "--config", config.string() });
    INFO(first.err);
    CHECK(first.exit == 0);
    CHECK(first.out == "{\"version\":\"" + version + "\",\"changed\":true}\n");
    CHECK(first.err.empty());

    auto second = config_command({ "fetch", "--config", config.string() });
    CHECK(second.exit == 0);
    CHECK(second.out == "{\"version\":\"" + version + "\",\"changed\":false}\n");

    server.publish("good", { { "kiosk.toml", "[session]\npage_quota = 31\n" } }, "stranger");
    auto refused = config_command({ "fetch", "--config", config.string() });
    CHECK(refused.exit == 1);
    CHECK(refused.out.empty());
    CHECK(refused.err
        == "kiosk config: signature: the signature does not match the bundle and the fleet's key; kept bundle "
            + version + "\n");
    auto bundle = net::installed_bundle(dir.path() / "state");
    REQUIRE(bundle);
    CHECK(bundle->version == version);

    // An invalid configuration in a validly signed bundle is still a failed fetch (1), not bad usage (2).
    server.publish("good", { { "kiosk.toml", "[session]\npage_quota = -1\n" } });
    auto invalid = config_command({ "fetch", "--config", config.string() });
    CHECK(invalid.exit == 1);
    CHECK(invalid.err.find("validation: ") != std::string::npos);
    CHECK(invalid.err.find("key 'session.page_quota'") != std::string::npos);

    // Every attempt is in the audit log, chained like every other line.
    auto log = kiosk::tests::read_text(dir.path() / "audit.jsonl");
    CHECK(log.find(R"("result":"installed")") != std::string::npos);
    CHECK(log.find(R"("result":"unchanged")") != std::string::npos);
    CHECK(log.find(R"("result":"failed")") != std::string::npos);
    CHECK(log.find(R"("stage":"signature")") != std::string::npos);
    CHECK(log.find(R"("stage":"validation")") != std::string::npos);
}

TEST_CASE("kiosk config fetch: bad usage and a configuration without a server exit 2 with one line")
{
    auto help = config_command({ "fetch", "--help" });
    CHECK(help.exit == 0);
    CHECK(help.out.starts_with("Usage: kiosk config fetch [--config FILE]"));

    auto none = config_command({});
    CHECK(none.exit == 2);
    CHECK(none.err == "kiosk config: needs fetch (kiosk help config)\n");
    auto unknown = config_command({ "fetch", "--now" });
    CHECK(unknown.exit == 2);
    CHECK(unknown.err == "kiosk config: unknown option '--now' (kiosk help config)\n");
    auto no_value = config_command({ "fetch", "--config" });
    CHECK(no_value.exit == 2);

    kiosk::tests::TempDir dir("kiosk-config-cli");
    auto file = dir.path() / "kiosk.toml";
    kiosk::tests::write_text(file, "[session]\npage_quota = 30\n");
    auto no_server = config_command({ "fetch", "--config", file.string() });
    CHECK(no_server.exit == 2);
    CHECK(no_server.err
        == "kiosk config: " + file.string() + ": no [network] config_url, so no central configuration to fetch\n");
    auto defaults = config_command({ "fetch" });
    CHECK(defaults.exit == 2);
    auto missing = config_command({ "fetch", "--config", (dir.path() / "nope.toml").string() });
    CHECK(missing.exit == 2);
    CHECK(missing.err.find("nope.toml: cannot read the file") != std::string::npos);
}
