// The running kiosk and the fleet's configuration: it looks for a bundle as it starts, installs a new one, restarts
// onto it once no session is open, and serves residents with it after the restart.
#include "tests/net/fleet_server.h"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

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

TEST_CASE("Appeler un agent from the kiosk reaches the office's webhook, and says so only when it answered")
{
    FleetServer server;
    kiosk::tests::TempDir dir("kiosk-agent-call");
    std::string kiosk = KIOSK_BINARY;
    auto config = dir.path() / "kiosk.toml";
    auto script = dir.path() / "call.ks";
    auto with_webhook = [&](std::string const& path) {
        kiosk::tests::write_text(config,
            kiosk_section(dir.path()) + "name = \"Borne 2\"\nlocation = \"France Services Lure\"\n[network]\n"
                + "agent_webhook = \"" + server.url(path) + "\"\nagent_webhook_ca_file = \"" + server.ca_file().string()
                + "\"\n");
    };

    with_webhook("webhook/200");
    kiosk::tests::write_text(script,
        "tap start\ntap accept\ntap go_scan\ntap scan_start\ntap call_agent\nexpect text Un agent a été prévenu\n");
    CHECK(run(kiosk + " run --headless --config " + config.string() + " --script " + script.string()) == 0);
    // The kiosk's name and place and the kind of help: nothing of the resident, not even that a page was scanned.
    auto posts = kiosk::tests::read_text(server.root() / "posts.log");
    INFO(posts);
    CHECK(posts.find("\"kind\": \"help\"") != std::string::npos);
    CHECK(posts.find("\"kiosk\": \"Borne 2\"") != std::string::npos);
    CHECK(posts.find("\"location\": \"France Services Lure\"") != std::string::npos);
    CHECK(posts.find("scan") == std::string::npos);
    auto audit = kiosk::tests::read_text(dir.path() / "audit.jsonl");
    CHECK(audit.find("\"event\":\"agent_webhook\",\"kind\":\"help\",\"result\":\"ok\"") != std::string::npos);

    // The office's service fails: the resident is sent to the desk, never told someone is coming.
    with_webhook("webhook/500");
    kiosk::tests::write_text(script,
        "tap start\ntap accept\ntap call_agent\nexpect text Demandez à l'accueil\n"
        "expect text La borne n'a pas pu prévenir un agent.\n");
    CHECK(run(kiosk + " run --headless --config " + config.string() + " --script " + script.string()) == 0);
}

TEST_CASE("the serving kiosk's metrics are scraped, tell its printer's toner, and pass promtool")
{
    kiosk::tests::TempDir dir("kiosk-metrics-run");
    // A free loopback port, given back for the kiosk to take.
    int probe = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    int port = ntohs(address.sin_port);
    ::close(probe);

    auto config = dir.path() / "kiosk.toml";
    kiosk::tests::write_text(config,
        kiosk_section(dir.path()) + "[devices]\nprinter = \"sim:dir=" + (dir.path() / "printed").string()
            + ",toner=8\"\n[network]\nmetrics_listen = \"127.0.0.1:" + std::to_string(port) + "\"\n");
    // The kiosk serving (no script), a child of this test so that it can be stopped and waited for.
    std::string log = (dir.path() / "run.log").string();
    std::string config_path = config.string();
    std::vector<char*> argv { const_cast<char*>(KIOSK_BINARY), const_cast<char*>("run"),
        const_cast<char*>("--headless"), const_cast<char*>("--config"), config_path.data(), nullptr };
    posix_spawn_file_actions_t output;
    posix_spawn_file_actions_init(&output);
    posix_spawn_file_actions_addopen(&output, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&output, 1, 2);
    pid_t pid = 0;
    REQUIRE(::posix_spawn(&pid, KIOSK_BINARY, &output, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&output);
    auto scraped = dir.path() / "metrics.txt";
    std::string scrape = "curl -sf -o " + scraped.string() + " http://127.0.0.1:" + std::to_string(port) + "/metrics";
    bool answered = false;
    for (int i = 0; i < 600 && !answered; ++i) { // up to a minute on a loaded machine
        answered = std::system(scrape.c_str()) == 0
            && kiosk::tests::read_text(scraped).find("device_state{device=\"printer\",state=\"ok\"} 1")
                != std::string::npos;
        if (!answered)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    auto text = kiosk::tests::read_text(scraped);
    INFO(text);
    INFO(kiosk::tests::read_text(dir.path() / "run.log"));
    REQUIRE(answered);
    // The printer was looked at by itself, between sessions: its toner is there for the fleet's alert.
    CHECK(text.find("france_services_kiosk_printer_supply_level_percent{marker=\"Black Toner\"") != std::string::npos);
    CHECK(text.find("france_services_kiosk_start_time_seconds") != std::string::npos);
    CHECK(run("promtool check metrics < " + scraped.string() + " > /dev/null 2>&1") == 0);
}
